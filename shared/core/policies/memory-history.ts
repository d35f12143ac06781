import type { UsageHistory } from '../model.js'
import type { UsageSample } from '../ports.js'

/** Days of daily peaks kept: the 7-day memory lookback plus the partial day at its start. */
export const USAGE_HISTORY_DAYS = 8

const DAY = 86_400

/** The UTC day (`YYYY-MM-DD`) of unix seconds `t`. */
export const dayKey = (t: number): string => new Date(Math.floor(t / DAY) * DAY * 1000).toISOString().slice(0, 10)
const dayStart = (key: string) => Date.parse(`${key}T00:00:00Z`) / 1000
const seconds = (iso: string) => Date.parse(iso) / 1000

/**
 * The history with `samples` merged in: the earliest sample time, and per UTC day the highest
 * memory seen. Days before the last USAGE_HISTORY_DAYS (counting today) are dropped, and so are
 * samples after `now`. Merging is idempotent: feeding the same samples twice changes nothing.
 * Undefined while no sample was ever seen.
 */
export function updateUsageHistory(history: UsageHistory | undefined, samples: readonly UsageSample[], now: number): UsageHistory | undefined {
  const oldest = dayStart(dayKey(now)) - (USAGE_HISTORY_DAYS - 1) * DAY
  let first = history ? seconds(history.firstSampleAt) : Number.POSITIVE_INFINITY
  const peaks = new Map<string, number>()
  for (const [day, peak] of Object.entries(history?.dailyPeakMemoryMiB ?? {})) {
    if (dayStart(day) >= oldest && dayStart(day) <= now) peaks.set(day, peak)
  }
  const byDay = new Map<number, number>()
  for (const s of samples) {
    if (s.time > now || !Number.isFinite(s.memoryMiB)) continue
    first = Math.min(first, s.time)
    if (s.time < oldest) continue
    const day = Math.floor(s.time / DAY)
    byDay.set(day, Math.max(byDay.get(day) ?? 0, s.memoryMiB))
  }
  for (const [day, peak] of byDay) {
    const key = dayKey(day * DAY)
    peaks.set(key, Math.max(peaks.get(key) ?? 0, peak))
  }
  if (!Number.isFinite(first)) return undefined
  const days = [...peaks.keys()].sort()
  return { firstSampleAt: new Date(first * 1000).toISOString(), dailyPeakMemoryMiB: Object.fromEntries(days.map((d) => [d, peaks.get(d)!])) }
}

export interface MemoryPeak {
  /** Highest daily peak of the days that overlap (now − lookback, now]; 0 for none. */
  peakMemoryMiB: number
  /** Seconds from the first sample seen to `now` (0 without a history). */
  coveredSeconds: number
}

/**
 * The memory peak the history shows over a lookback, and how much time it covers. Whole days
 * count, so the peak may come from up to a day before the lookback: never less than the peak
 * inside it.
 */
export function memoryPeakOver(history: UsageHistory | undefined, now: number, lookbackSeconds: number): MemoryPeak {
  if (!history) return { peakMemoryMiB: 0, coveredSeconds: 0 }
  let peakMemoryMiB = 0
  for (const [day, peak] of Object.entries(history.dailyPeakMemoryMiB)) {
    const start = dayStart(day)
    if (start + DAY > now - lookbackSeconds && start <= now) peakMemoryMiB = Math.max(peakMemoryMiB, peak)
  }
  return { peakMemoryMiB, coveredSeconds: Math.max(0, now - seconds(history.firstSampleAt)) }
}

/** Same first sample and same daily peaks (key order aside). */
export function sameUsageHistory(a: UsageHistory | undefined, b: UsageHistory | undefined): boolean {
  if (!a || !b) return a === b
  const days = Object.keys(a.dailyPeakMemoryMiB)
  return (
    seconds(a.firstSampleAt) === seconds(b.firstSampleAt) &&
    days.length === Object.keys(b.dailyPeakMemoryMiB).length &&
    days.every((d) => a.dailyPeakMemoryMiB[d] === b.dailyPeakMemoryMiB[d])
  )
}
