import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateIdle, inferSampleStep, isIdleSample, MAX_GAP_STEPS, type IdlePolicy } from '../../../shared/core/policies/idle-policy.js'
import type { UsageSample } from '../../../shared/core/ports.js'

const size = { cpu: 1024, memory: 2048 }
const policy: IdlePolicy = { after: 1800, cpuPercent: 2, networkBytesPerSec: 1024, grace: 60 }
const T0 = 1_700_000_000

/** One sample a minute from `from` (inclusive) to `to` (exclusive). */
function series(from: number, to: number, usage: (t: number) => Partial<UsageSample> = () => ({})): UsageSample[] {
  const out: UsageSample[] = []
  for (let t = from; t < to; t += 60) out.push({ time: t, cpuUnits: 5, memoryMiB: 300, networkBytesPerSec: 100, ...usage(t) })
  return out
}

describe('isIdleSample', () => {
  it('compares CPU with a percentage of the reserved CPU and network with its threshold, inclusive', () => {
    const at = (cpuUnits: number, networkBytesPerSec: number) => isIdleSample({ time: 0, cpuUnits, memoryMiB: 1, networkBytesPerSec }, policy, size)
    expect(at(20.48, 1024)).toBe(true)
    expect(at(20.49, 0)).toBe(false)
    expect(at(0, 1025)).toBe(false)
    expect(isIdleSample({ time: 0, cpuUnits: 20, memoryMiB: 1, networkBytesPerSec: 0 }, policy, { cpu: 256, memory: 512 })).toBe(false)
  })
})

describe('evaluateIdle', () => {
  it('is idle exactly `after` seconds after the first idle sample', () => {
    const samples = series(T0, T0 + 3 * 3600, (t) => (t < T0 + 3600 ? { cpuUnits: 500, networkBytesPerSec: 50_000 } : {}))
    const firstIdle = T0 + 3600
    expect(evaluateIdle({ policy, size, startedAt: T0, now: firstIdle + 1799, samples })).toEqual({ idle: false, reason: 'too-short', idleSince: firstIdle })
    expect(evaluateIdle({ policy, size, startedAt: T0, now: firstIdle + 1800, samples })).toEqual({ idle: true, idleSince: firstIdle })
  })

  it('never stops before grace + after, even when every sample is idle', () => {
    const samples = series(T0, T0 + 7200)
    const p = { ...policy, grace: 600 }
    expect(evaluateIdle({ policy: p, size, startedAt: T0, now: T0 + 2399, samples })).toEqual({ idle: false, reason: 'grace' })
    expect(evaluateIdle({ policy: p, size, startedAt: T0, now: T0 + 2400, samples })).toEqual({ idle: true, idleSince: T0 + 600 })
  })

  it('restarts the idle clock after a gap wider than two steps', () => {
    const samples = [...series(T0, T0 + 1200), ...series(T0 + 1200 + 180, T0 + 3600)]
    const now = T0 + 1200 + 180 + 1800
    expect(evaluateIdle({ policy, size, startedAt: T0, now: now - 1, samples: series(T0, T0 + 3600) }).idle).toBe(true)
    expect(evaluateIdle({ policy, size, startedAt: T0, now: now - 1, samples })).toMatchObject({ idle: false, reason: 'too-short', idleSince: T0 + 1380 })
    expect(evaluateIdle({ policy, size, startedAt: T0, now, samples })).toEqual({ idle: true, idleSince: T0 + 1380 })
  })

  it('accepts a gap of exactly two steps', () => {
    const samples = series(T0, T0 + 3600).filter((s) => s.time !== T0 + 600)
    expect(evaluateIdle({ policy, size, startedAt: T0, now: T0 + 1860, samples })).toEqual({ idle: true, idleSince: T0 + 60 })
  })

  it('is not idle when the newest sample is stale, missing or active', () => {
    const samples = series(T0, T0 + 3600)
    expect(evaluateIdle({ policy, size, startedAt: T0, now: T0 + 3600 + 61, samples })).toEqual({ idle: false, reason: 'stale' })
    expect(evaluateIdle({ policy, size, startedAt: T0, now: T0 + 3600, samples: [] })).toEqual({ idle: false, reason: 'no-samples' })
    const busy = [...samples, { time: T0 + 3600, cpuUnits: 5, memoryMiB: 300, networkBytesPerSec: 2048 }]
    expect(evaluateIdle({ policy, size, startedAt: T0, now: T0 + 3660, samples: busy })).toEqual({ idle: false, reason: 'active' })
  })

  it('ignores samples from before the run started and after now, and accepts unsorted input', () => {
    const before = series(T0 - 3600, T0)
    const run = series(T0, T0 + 1200).reverse()
    const future = series(T0 + 1260, T0 + 4000, () => ({ cpuUnits: 900 }))
    expect(evaluateIdle({ policy, size, startedAt: T0, now: T0 + 1200, samples: [...future, ...run, ...before] })).toEqual({ idle: false, reason: 'grace' })
    expect(evaluateIdle({ policy: { ...policy, after: 600 }, size, startedAt: T0, now: T0 + 1200, samples: [...future, ...run, ...before] })).toEqual({ idle: true, idleSince: T0 + 60 })
  })

  it('infers the sample step from the median spacing', () => {
    const every5m = series(T0, T0 + 3600).filter((s) => (s.time - T0) % 300 === 0)
    expect(inferSampleStep(every5m)).toBe(300)
    expect(evaluateIdle({ policy, size, startedAt: T0, now: T0 + 3300 + 2 * 300, samples: every5m }).idle).toBe(true)
    expect(evaluateIdle({ policy, size, startedAt: T0, now: T0 + 3300 + 2 * 300, samples: every5m, sampleStep: 60 })).toEqual({ idle: false, reason: 'stale' })
  })

  it('properties: idle implies covered, idle since ≥ grace and `after` long; one active sample in the window prevents it', () => {
    let idleCases = 0
    fc.assert(
      fc.property(
        fc.record({
          after: fc.integer({ min: 60, max: 7200 }),
          grace: fc.integer({ min: 0, max: 3600 }),
          minutes: fc.integer({ min: 1, max: 300 }),
          active: fc.array(fc.integer({ min: 0, max: 299 }), { maxLength: 5 }),
          dropped: fc.array(fc.integer({ min: 0, max: 299 }), { maxLength: 20 }),
          nowOffset: fc.integer({ min: 0, max: 200 }),
        }),
        ({ after, grace, minutes, active, dropped, nowOffset }) => {
          const p = { ...policy, after, grace }
          const samples = series(T0, T0 + minutes * 60, (t) => (active.includes((t - T0) / 60) ? { cpuUnits: 1000 } : {})).filter(
            (s) => !dropped.includes((s.time - T0) / 60),
          )
          const now = T0 + minutes * 60 + nowOffset
          const verdict = evaluateIdle({ policy: p, size, startedAt: T0, now, samples, sampleStep: 60 })
          if (!verdict.idle) return
          idleCases++
          expect(now - T0).toBeGreaterThanOrEqual(grace + after)
          expect(verdict.idleSince).toBeGreaterThanOrEqual(T0 + grace)
          expect(now - verdict.idleSince).toBeGreaterThanOrEqual(after)
          const covered = samples.filter((s) => s.time >= verdict.idleSince - 60)
          expect(covered.every((s) => s.cpuUnits < 1000 || s.time < verdict.idleSince)).toBe(true)
          const times = [...covered.map((s) => s.time).filter((t) => t >= verdict.idleSince), now]
          for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(MAX_GAP_STEPS * 60)
        },
      ),
      { numRuns: 300 },
    )
    expect(idleCases).toBeGreaterThan(10)
  })
})
