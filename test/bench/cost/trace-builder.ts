import { TraceContainerSchema, type TraceContainer, type TraceContainerInput, type TraceSample } from '../../../bench/cost/trace.js'

export const T0 = 1_767_571_200
export const MIN = 60
export const HOUR = 3600

type Usage = readonly [cpu: number, memoryMiB: number, networkBytesPerSec: number]

/** A trace line with one sample a minute over [start, end ?? until), usage by minute index. */
export function traceLine(
  options: Partial<Omit<TraceContainerInput, 'samples'>> & { until?: number },
  usage: (minute: number) => Usage,
): TraceContainer {
  const { until, ...rest } = options
  const start = rest.start ?? T0
  const stop = rest.end ?? until ?? start + 4 * HOUR
  const samples: TraceSample[] = []
  for (let t = start, i = 0; t < stop; t += MIN, i++) samples.push([t, ...usage(i)])
  return TraceContainerSchema.parse({
    name: 'box',
    platform: 'linux/amd64',
    capacity: 'on-demand',
    requested: { cpu: 1, memory: 2048 },
    labels: {},
    start,
    end: null,
    ...rest,
    samples,
  })
}

export const BUSY: Usage = [0.5, 800, 50_000]
export const QUIET: Usage = [0.001, 800, 100]
