import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hourlyPrice, HOURS_PER_MONTH } from '../../../shared/core/fargate-prices.js'
import { FARGATE_SIZES, isValidSize, type FargateSize } from '../../../shared/core/fargate-sizes.js'
import { architectureOf } from '../../../shared/core/policies/cost.js'
import { applySizing, percentile, recommendSize, type RecommendInput } from '../../../shared/core/policies/sizing-recommendation.js'
import type { UsageHistory } from '../../../shared/core/model.js'
import type { UsageSample } from '../../../shared/core/ports.js'
import { parseSpec, type ContainerSpec } from '../../../shared/core/spec.js'

const NOW = 1_700_086_400
const big = { cpu: 4096, memory: 16384 }

function samples(n: number, usage: (i: number) => { cpuUnits: number; memoryMiB: number }, step = 60): UsageSample[] {
  return Array.from({ length: n }, (_, i) => ({ time: NOW - (n - 1 - i) * step, networkBytesPerSec: 0, ...usage(i) }))
}

const DAY = 86_400
const iso = (t: number) => new Date(t * 1000).toISOString()
/** Usage seen for 8 days, no daily peak: memory may shrink, the samples decide. */
const weekSeen: UsageHistory = { firstSampleAt: iso(NOW - 8 * DAY), dailyPeakMemoryMiB: {} }
const base: Omit<RecommendInput, 'samples'> = { current: big, platform: 'linux/amd64', capacity: 'on-demand', now: NOW, usageHistory: weekSeen }

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(values, 95)).toBe(95)
    expect(percentile([...values].reverse(), 95)).toBe(95)
    expect(percentile([7], 95)).toBe(7)
    expect(percentile([], 95)).toBe(0)
    expect(percentile([1, 2, 3], 100)).toBe(3)
  })
})

describe('recommendSize', () => {
  it('maps p95 CPU and peak memory plus 20% headroom to the cheapest pair, with monthly costs', () => {
    // p95 of 0..99 → 94 → 94×1.2 = 113 units; peak 1500 MiB → 1800 MiB → 0.25 vCPU / 2048 MiB.
    const rec = recommendSize({ ...base, samples: samples(100, (i) => ({ cpuUnits: i, memoryMiB: 1000 + i * 5 })) })
    expect(rec).toMatchObject({
      size: { cpu: 256, memory: 2048 },
      current: big,
      basis: { samples: 100, p95CpuUnits: 94, peakMemoryMiB: 1495, lookbackSeconds: 86400 },
      updatedAt: new Date(NOW * 1000).toISOString(),
    })
    expect(rec?.monthlyCostCurrent).toBeCloseTo((4 * 0.04048 + 16 * 0.004445) * HOURS_PER_MONTH, 9)
    expect(rec?.monthlyCostRecommended).toBeCloseTo((0.25 * 0.04048 + 2 * 0.004445) * HOURS_PER_MONTH, 9)
  })

  it('prices ARM and spot for the platform and capacity', () => {
    const rec = recommendSize({ ...base, platform: 'linux/arm64', capacity: 'spot', samples: samples(60, () => ({ cpuUnits: 300, memoryMiB: 900 })) })
    expect(rec?.size).toEqual({ cpu: 512, memory: 2048 })
    expect(rec?.monthlyCostRecommended).toBeCloseTo(hourlyPrice({ cpu: 512, memory: 2048 }, 'arm64', 'spot') * HOURS_PER_MONTH, 9)
  })

  it('gives nothing with fewer than minSamples samples inside the lookback', () => {
    const old = samples(100, () => ({ cpuUnits: 10, memoryMiB: 100 })).map((s) => ({ ...s, time: s.time - 86400 }))
    expect(recommendSize({ ...base, samples: [...old, ...samples(29, () => ({ cpuUnits: 10, memoryMiB: 100 }))] })).toBeUndefined()
    expect(recommendSize({ ...base, samples: samples(30, () => ({ cpuUnits: 10, memoryMiB: 100 })) })?.basis.samples).toBe(30)
    expect(recommendSize({ ...base, minSamples: 5, samples: samples(5, () => ({ cpuUnits: 10, memoryMiB: 100 })) })?.size).toEqual({ cpu: 256, memory: 512 })
  })

  it('honours custom headroom and lookback', () => {
    const s = samples(60, () => ({ cpuUnits: 1000, memoryMiB: 1900 }))
    expect(recommendSize({ ...base, samples: s, headroom: { cpu: 0, memory: 0 } })?.size).toEqual({ cpu: 1024, memory: 2048 })
    expect(recommendSize({ ...base, samples: s })?.size).toEqual({ cpu: 2048, memory: 4096 })
    expect(recommendSize({ ...base, samples: s, lookbackSeconds: 600 })).toBeUndefined()
  })

  it('steps memory up after an OOM kill, from the larger of current and usage, even with few samples', () => {
    const small = { cpu: 256, memory: 512 }
    expect(recommendSize({ ...base, current: small, samples: [], oomKilled: true })?.size).toEqual({ cpu: 256, memory: 1024 })
    // Usage already says 0.25 vCPU / 2048 MiB (capped samples near the 1024 MiB limit): one step above that.
    const near = samples(60, () => ({ cpuUnits: 100, memoryMiB: 1024 }))
    expect(recommendSize({ ...base, current: { cpu: 256, memory: 1024 }, samples: near, oomKilled: true })).toMatchObject({
      size: { cpu: 512, memory: 3072 },
      reason: 'the last run was OOM-killed at 1024 MiB: memory stepped up to 3072 MiB',
    })
    const top = { cpu: 16384, memory: 122880 }
    expect(recommendSize({ ...base, current: top, samples: [], oomKilled: true })?.size).toEqual(top)
  })

  it('caps at the largest size when usage exceeds every Fargate size', () => {
    expect(recommendSize({ ...base, samples: samples(40, () => ({ cpuUnits: 16000, memoryMiB: 120000 })) })?.size).toEqual({ cpu: 16384, memory: 122880 })
  })

  describe('properties over the whole domain', () => {
    const arbUsage = fc.record({
      cpu: fc.array(fc.double({ min: 0, max: 16384, noNaN: true }), { minLength: 30, maxLength: 80 }),
      memory: fc.double({ min: 0, max: 100_000, noNaN: true }),
      spread: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    const arbCurrent = fc.constantFrom(...FARGATE_SIZES)
    const arbPlatform = fc.constantFrom<ContainerSpec['platform']>('linux/amd64', 'linux/arm64')
    const arbCapacity = fc.constantFrom<ContainerSpec['capacity']>('on-demand', 'spot', 'spot-with-fallback')
    const toSamples = (u: { cpu: number[]; memory: number; spread: number }, scale = 1) =>
      samples(u.cpu.length, (i) => ({ cpuUnits: u.cpu[i] * scale, memoryMiB: u.memory * scale * (1 - u.spread * (i % 2)) }))
    const price = (s: FargateSize, platform: ContainerSpec['platform'], capacity: ContainerSpec['capacity']) =>
      hourlyPrice(s, architectureOf(platform), capacity)

    it('is a valid pair, never below peak memory, and the cheapest pair that fits for the platform and capacity', () => {
      fc.assert(
        fc.property(arbUsage, arbCurrent, arbPlatform, arbCapacity, (u, current, platform, capacity) => {
          const s = toSamples(u)
          const rec = recommendSize({ ...base, current, platform, capacity, samples: s })
          expect(rec).toBeDefined()
          const size = rec!.size
          expect(isValidSize(size)).toBe(true)
          expect(size.memory).toBeGreaterThanOrEqual(rec!.basis.peakMemoryMiB)
          expect(size.cpu).toBeGreaterThanOrEqual(rec!.basis.p95CpuUnits)
          const needCpu = Math.ceil(rec!.basis.p95CpuUnits * 1.2)
          const needMem = Math.ceil(rec!.basis.peakMemoryMiB * 1.2)
          const cheaper = FARGATE_SIZES.find((o) => o.cpu >= needCpu && o.memory >= needMem && price(o, platform, capacity) < price(size, platform, capacity) - 1e-12)
          expect(cheaper).toBeUndefined()
        }),
        { numRuns: 300 },
      )
    })

    it('is monotonic: more usage never gives a cheaper size', () => {
      fc.assert(
        fc.property(arbUsage, fc.double({ min: 1, max: 3, noNaN: true }), arbPlatform, arbCapacity, (u, scale, platform, capacity) => {
          const low = recommendSize({ ...base, platform, capacity, samples: toSamples(u) })!
          const high = recommendSize({ ...base, platform, capacity, samples: toSamples(u, scale) })!
          expect(price(high.size, platform, capacity)).toBeGreaterThanOrEqual(price(low.size, platform, capacity) - 1e-12)
          expect(high.size.memory).toBeGreaterThanOrEqual(low.size.memory)
        }),
        { numRuns: 300 },
      )
    })

    it('OOM steps memory up strictly above both the current size and the usage-based size, below the top', () => {
      fc.assert(
        fc.property(arbUsage, arbCurrent, arbPlatform, (u, current, platform) => {
          const s = toSamples(u)
          const plain = recommendSize({ ...base, current, platform, samples: s })!
          const oom = recommendSize({ ...base, current, platform, samples: s, oomKilled: true })!
          expect(isValidSize(oom.size)).toBe(true)
          const top = Math.max(current.memory, plain.size.memory) >= 122880
          if (top) expect(oom.size.memory).toBe(122880)
          else {
            expect(oom.size.memory).toBeGreaterThan(current.memory)
            expect(oom.size.memory).toBeGreaterThan(plain.size.memory)
            expect(oom.size.cpu).toBeGreaterThanOrEqual(plain.size.cpu)
          }
        }),
        { numRuns: 300 },
      )
    })
  })
})

describe('recommendSize: memory needs a week of history before it shrinks', () => {
  const low = samples(100, () => ({ cpuUnits: 50, memoryMiB: 300 }))
  const seenSince = (daysAgo: number, dailyPeakMemoryMiB: Record<string, number> = {}): UsageHistory => ({ firstSampleAt: iso(NOW - daysAgo * DAY), dailyPeakMemoryMiB })
  const day = (daysAgo: number) => iso(NOW - daysAgo * DAY).slice(0, 10)

  it('keeps the current memory (CPU still shrinks) until 7 days of usage are seen, and says so', () => {
    const fresh = recommendSize({ ...base, usageHistory: undefined, samples: low })!
    // 100 minutes seen: memory kept at 16 GiB, the cheapest CPU with 16 GiB is 2 vCPU.
    expect(fresh.size).toEqual({ cpu: 2048, memory: 16384 })
    expect(fresh.reason).toMatch(/; memory kept at 16384 MiB until 7 days of usage are seen \(0\.1 days so far\)$/)
    expect(fresh.basis).toMatchObject({ samples: 100, peakMemoryMiB: 300, lookbackSeconds: 86_400 })
    const twoDays = recommendSize({ ...base, usageHistory: seenSince(2.1), samples: low })!
    expect(twoDays.size).toEqual({ cpu: 2048, memory: 16384 })
    expect(twoDays.reason).toContain('memory kept at 16384 MiB until 7 days of usage are seen (2.1 days so far)')
    expect(recommendSize({ ...base, usageHistory: seenSince(6.99), samples: low })!.size.memory).toBe(16384)
  })

  it('shrinks memory once the first sample is 7 days old', () => {
    const rec = recommendSize({ ...base, usageHistory: seenSince(7), samples: low })!
    expect(rec.size).toEqual({ cpu: 256, memory: 512 })
    expect(rec.reason).toBe('p95 CPU 0.049 vCPU over 1d and peak memory 300 MiB over 7d, plus 20% CPU and 20% memory headroom')
    // Raw samples 7 days old count as coverage too.
    const old = { time: NOW - 7 * DAY, cpuUnits: 0, memoryMiB: 300, networkBytesPerSec: 0 }
    expect(recommendSize({ ...base, usageHistory: undefined, samples: [old, ...low] })!.size).toEqual({ cpu: 256, memory: 512 })
  })

  it('grows memory at once, before a week is seen', () => {
    const small = { cpu: 256, memory: 512 }
    const rec = recommendSize({ ...base, current: small, usageHistory: undefined, samples: samples(40, () => ({ cpuUnits: 50, memoryMiB: 1500 })) })!
    expect(rec.size).toEqual({ cpu: 256, memory: 2048 })
    expect(rec.reason).not.toContain('kept')
  })

  it('keeps memory for a weekly peak inside the last 7 days, not for one before', () => {
    const current = { cpu: 1024, memory: 3072 }
    // Sunday's reindex 6 days ago peaked at 2200 MiB: ×1.2 = 2640 → 3 GiB; today's 700 MiB alone → 1 GiB.
    const today = samples(100, () => ({ cpuUnits: 60, memoryMiB: 700 }))
    const withPeak = (daysAgo: number) => recommendSize({ ...base, current, usageHistory: seenSince(30, { [day(daysAgo)]: 2200, [day(0)]: 700 }), samples: today })!
    expect(withPeak(6).size).toEqual({ cpu: 512, memory: 3072 })
    expect(withPeak(6).basis.peakMemoryMiB).toBe(2200)
    expect(withPeak(8).size).toEqual({ cpu: 256, memory: 1024 })
    expect(recommendSize({ ...base, current, usageHistory: seenSince(30, { [day(6)]: 2200 }), samples: today, memoryLookbackSeconds: 2 * DAY })!.size.memory).toBe(1024)
  })

  it('still steps memory up after an OOM kill without history', () => {
    expect(recommendSize({ ...base, current: { cpu: 256, memory: 512 }, usageHistory: undefined, samples: [], oomKilled: true })?.size).toEqual({ cpu: 256, memory: 1024 })
  })

  it('property: never recommends less memory than the current size while coverage < 7 days', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...FARGATE_SIZES),
        fc.array(fc.double({ min: 0, max: 100_000, noNaN: true }), { minLength: 30, maxLength: 60 }),
        fc.double({ min: 0, max: 6.999, noNaN: true }),
        fc.boolean(),
        (current, memory, coveredDays, oomKilled) => {
          const s = samples(memory.length, (i) => ({ cpuUnits: 100, memoryMiB: memory[i] }))
          const rec = recommendSize({ ...base, current, samples: s, usageHistory: seenSince(coveredDays, { [day(1)]: memory[0] / 2 }), oomKilled })!
          expect(rec.size.memory).toBeGreaterThanOrEqual(current.memory)
          expect(isValidSize(rec.size)).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('applySizing', () => {
  const rec = recommendSize({ ...base, samples: samples(60, () => ({ cpuUnits: 50, memoryMiB: 200 })) })!
  it('uses the recommendation only with sizing=auto', () => {
    const spec = (sizing: string) => parseSpec({ image: 'nginx', cpu: 4, memory: 16384, labels: { 'fargated.sizing': sizing } })
    expect(applySizing(spec('auto'), { recommendation: rec })).toEqual({ cpu: 256, memory: 512 })
    expect(applySizing(spec('auto'), {})).toEqual(big)
    expect(applySizing(spec('recommend'), { recommendation: rec })).toEqual(big)
    expect(applySizing(spec('fixed'), { recommendation: rec })).toEqual(big)
    expect(applySizing(parseSpec({ image: 'nginx' }))).toEqual({ cpu: 256, memory: 512 })
  })
})
