import type { Random } from './prng.js'
import { DEFAULT_STEP, type TraceContainerInput, type TraceSample } from './trace.js'

export const HOUR = 3600
export const DAY = 86_400

/** The generator's clock: trace time → calendar (the window starts on a Monday 00:00 UTC). */
export interface Clock {
  start: number
  end: number
}

export const hourOf = (clock: Clock, t: number) => ((t - clock.start) % DAY) / HOUR
/** 0 = Monday … 6 = Sunday. */
export const dayOf = (clock: Clock, t: number) => Math.floor((t - clock.start) / DAY) % 7
export const isWeekday = (clock: Clock, t: number) => dayOf(clock, t) < 5
/** Midnight of day `d` of the window. */
export const dayStart = (clock: Clock, d: number) => clock.start + d * DAY
export const days = (clock: Clock) => Math.round((clock.end - clock.start) / DAY)

/** Daily traffic curve: 0 at night, rising from 06:00 to a peak at 14:00, back to 0 at 22:00. */
export function diurnal(clock: Clock, t: number): number {
  const h = hourOf(clock, t)
  return h < 6 || h > 22 ? 0 : Math.sin((Math.PI * (h - 6)) / 16)
}

/** Usage at one instant: [vCPU, MiB, bytes/s]; undefined means no sample (metrics missing). */
export type Usage = readonly [cpu: number, memoryMiB: number, networkBytesPerSec: number] | undefined

export interface LineOptions extends Omit<TraceContainerInput, 'samples' | 'step'> {
  step?: number
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits

/** Builds one trace line by sampling `usage` every step over [start, end ?? clock.end). */
export function line(clock: Clock, options: LineOptions, usage: (t: number) => Usage): TraceContainerInput {
  const step = options.step ?? DEFAULT_STEP
  const end = options.end ?? clock.end
  const samples: TraceSample[] = []
  for (let t = options.start; t < end; t += step) {
    const u = usage(t)
    if (u) samples.push([t, round(Math.max(0, u[0]), 4), Math.round(Math.max(0, u[1])), Math.round(Math.max(0, u[2]))])
  }
  return { ...options, ...(step !== DEFAULT_STEP ? { step } : {}), samples }
}

/**
 * A two-state (quiet/burst) process sampled once a step: bursts start with `startChance(t)` per
 * step and last `length()` steps. Returns whether step t is in a burst; call with increasing t.
 */
export function bursts(rng: Random, startChance: (t: number) => number, length: () => number): (t: number) => boolean {
  let left = 0
  return (t) => {
    if (left > 0) {
      left--
      return true
    }
    if (rng.chance(startChance(t))) {
      left = Math.max(0, length() - 1)
      return true
    }
    return false
  }
}
