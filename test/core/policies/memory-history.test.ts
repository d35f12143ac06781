import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { dayKey, memoryPeakOver, sameUsageHistory, updateUsageHistory, USAGE_HISTORY_DAYS } from '../../../shared/core/policies/memory-history.js'
import type { UsageSample } from '../../../shared/core/ports.js'

const DAY = 86_400
/** Tuesday 2026-03-10 12:00 UTC. */
const NOW = Date.parse('2026-03-10T12:00:00Z') / 1000
const at = (time: number, memoryMiB: number): UsageSample => ({ time, memoryMiB, cpuUnits: 10, networkBytesPerSec: 0 })

describe('updateUsageHistory', () => {
  it('keeps the first sample time and the peak memory of each UTC day', () => {
    const h = updateUsageHistory(undefined, [at(NOW - DAY, 500), at(NOW - DAY + 60, 900), at(NOW - 60, 400), at(NOW, 450)], NOW)
    expect(h).toEqual({ firstSampleAt: '2026-03-09T12:00:00.000Z', dailyPeakMemoryMiB: { '2026-03-09': 900, '2026-03-10': 450 } })
    expect(updateUsageHistory(undefined, [], NOW)).toBeUndefined()
  })

  it('merges into an existing history: earliest first sample, higher peaks, idempotent', () => {
    const h = updateUsageHistory(undefined, [at(NOW - 2 * DAY, 800)], NOW)
    const more = updateUsageHistory(h, [at(NOW - 3 * DAY, 300), at(NOW - 2 * DAY + 1, 700), at(NOW, 1200)], NOW)
    expect(more).toEqual({ firstSampleAt: '2026-03-07T12:00:00.000Z', dailyPeakMemoryMiB: { '2026-03-07': 300, '2026-03-08': 800, '2026-03-10': 1200 } })
    expect(updateUsageHistory(more, [at(NOW, 1200), at(NOW - 2 * DAY, 800)], NOW)).toEqual(more)
  })

  it('drops days older than the last 8 (today included) but keeps the first sample time', () => {
    const samples = Array.from({ length: 12 }, (_, d) => at(NOW - d * DAY, 100 + d))
    const h = updateUsageHistory(undefined, samples, NOW)!
    expect(Object.keys(h.dailyPeakMemoryMiB)).toEqual(['2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10'])
    expect(h.firstSampleAt).toBe('2026-02-27T12:00:00.000Z')
    // A day later the oldest day goes (and the new day has no sample yet).
    const later = updateUsageHistory(h, [], NOW + DAY)!
    expect(Object.keys(later.dailyPeakMemoryMiB)).toEqual(Object.keys(h.dailyPeakMemoryMiB).slice(1))
    expect(later.firstSampleAt).toBe(h.firstSampleAt)
  })

  it('ignores samples after now', () => {
    expect(updateUsageHistory(undefined, [at(NOW + 60, 999)], NOW)).toBeUndefined()
  })

  it('property: at most 8 days, and the 7-day peak is the peak of every sample fed in the last 7 days, however the feed is split', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ age: fc.integer({ min: 0, max: 20 * DAY }), memory: fc.integer({ min: 0, max: 120_000 }) }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 5 }),
        (raw, chunks) => {
          const samples = raw.map((r) => at(NOW - r.age, r.memory)).sort((a, b) => a.time - b.time)
          let h: ReturnType<typeof updateUsageHistory>
          const size = Math.ceil(samples.length / chunks)
          for (let i = 0; i < samples.length; i += size) {
            const part = samples.slice(i, i + size)
            h = updateUsageHistory(h, part, part[part.length - 1].time)
          }
          h = updateUsageHistory(h, [], NOW)
          expect(Object.keys(h!.dailyPeakMemoryMiB).length).toBeLessThanOrEqual(USAGE_HISTORY_DAYS)
          const inWeek = samples.filter((s) => s.time > NOW - 7 * DAY).map((s) => s.memoryMiB)
          const { peakMemoryMiB, coveredSeconds } = memoryPeakOver(h, NOW, 7 * DAY)
          expect(peakMemoryMiB).toBeGreaterThanOrEqual(Math.max(0, ...inWeek))
          expect(coveredSeconds).toBe(NOW - samples[0].time)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('memoryPeakOver', () => {
  const h = { firstSampleAt: '2026-03-01T06:00:00.000Z', dailyPeakMemoryMiB: { '2026-03-02': 3000, '2026-03-03': 2200, '2026-03-09': 700, '2026-03-10': 650 } }

  it('takes the days that overlap the lookback, whole', () => {
    // (now − 7 d, now] starts on 2026-03-03 12:00: that whole day counts, 03-02 does not.
    expect(memoryPeakOver(h, NOW, 7 * DAY)).toEqual({ peakMemoryMiB: 2200, coveredSeconds: NOW - Date.parse('2026-03-01T06:00:00Z') / 1000 })
    expect(memoryPeakOver(h, NOW, DAY).peakMemoryMiB).toBe(700)
    expect(memoryPeakOver(undefined, NOW, 7 * DAY)).toEqual({ peakMemoryMiB: 0, coveredSeconds: 0 })
  })

  it('names days in UTC', () => {
    expect(dayKey(Date.parse('2026-03-01T23:59:59Z') / 1000)).toBe('2026-03-01')
    expect(dayKey(Date.parse('2026-03-02T00:00:00Z') / 1000)).toBe('2026-03-02')
  })
})

describe('sameUsageHistory', () => {
  it('compares the first sample and the peaks, not key order', () => {
    const a = { firstSampleAt: '2026-03-01T06:00:00.000Z', dailyPeakMemoryMiB: { '2026-03-02': 1, '2026-03-03': 2 } }
    expect(sameUsageHistory(a, { firstSampleAt: '2026-03-01T06:00:00Z', dailyPeakMemoryMiB: { '2026-03-03': 2, '2026-03-02': 1 } })).toBe(true)
    expect(sameUsageHistory(a, { ...a, dailyPeakMemoryMiB: { '2026-03-02': 1, '2026-03-03': 3 } })).toBe(false)
    expect(sameUsageHistory(a, { ...a, dailyPeakMemoryMiB: { '2026-03-02': 1 } })).toBe(false)
    expect(sameUsageHistory(a, undefined)).toBe(false)
    expect(sameUsageHistory(undefined, undefined)).toBe(true)
  })
})
