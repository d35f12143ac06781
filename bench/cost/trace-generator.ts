import { Random } from './prng.js'
import type { TraceContainerInput } from './trace.js'
import { DAY, type Clock } from './workload-shapes.js'
import { FLEET } from './workloads.js'

/** Monday 2026-01-05 00:00 UTC: the generated window starts on a Monday so weekdays line up. */
export const DEFAULT_TRACE_START = Date.UTC(2026, 0, 5) / 1000
/** Four weekly cycles: a month's bill from a month of usage, and three weeks after the first. */
export const DEFAULT_TRACE_DAYS = 28

export interface GenerateOptions {
  seed?: number
  days?: number
  /** Unix seconds of a Monday 00:00 UTC. */
  start?: number
}

/** A deterministic trace of the whole fleet (same options → same lines, byte for byte). */
export function generateTrace(options: GenerateOptions = {}): TraceContainerInput[] {
  const days = options.days ?? DEFAULT_TRACE_DAYS
  if (!Number.isInteger(days) || days < 1) throw new Error(`days must be a whole number ≥ 1 (got ${days})`)
  const start = options.start ?? DEFAULT_TRACE_START
  if ((start - DEFAULT_TRACE_START) % (7 * DAY) !== 0) throw new Error('start must be a Monday 00:00 UTC')
  const clock: Clock = { start, end: start + days * DAY }
  const rng = new Random(options.seed ?? 1)
  return FLEET.flatMap((workload) => workload(clock, rng))
    .filter((line) => line.start < clock.end && (line.end ?? clock.end) <= clock.end)
    .sort((a, b) => a.start - b.start || a.name.localeCompare(b.name))
}
