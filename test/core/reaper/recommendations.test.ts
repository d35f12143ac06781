import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Container } from '../../../shared/core/model.js'
import { applySizing } from '../../../shared/core/policies/sizing-recommendation.js'
import { START, startReaperHarness, type ReaperHarness } from './reaper-harness.js'

let h: ReaperHarness
beforeEach(async () => {
  h = await startReaperHarness()
})
afterEach(async () => h.close())

const T0 = START / 1000
const DAY = 86_400
const LOW = { cpuUnits: 50, memoryMiB: 200, networkBytesPerSec: 5000 }

/** Gives the container a memory history whose first sample is `days` old (as if it had run that long). */
async function seenFor(c: Container, days: number, dailyPeakMemoryMiB: Record<string, number> = {}): Promise<void> {
  const fresh = await h.get(c)
  await h.store.updateContainer({ ...fresh, usageHistory: { firstSampleAt: new Date((T0 - days * DAY) * 1000).toISOString(), dailyPeakMemoryMiB } }, fresh.version)
}

describe('recommendation refresh', () => {
  it('keeps memory until a week of usage is seen, storing the memory history in the same write', async () => {
    const c = await h.run({ cpu: 1, memory: 4096, sizing: 'auto' })
    h.clock.advance(45 * 60)
    await h.feed(c, T0 + 60, h.nowS(), LOW)
    await h.feed(c, T0 + 120, T0 + 120, { ...LOW, memoryMiB: 260 })
    const writes = vi.spyOn(h.store, 'updateContainer')

    const result = await h.tick()

    // CPU shrinks at once; memory stays at 4 GiB: the cheapest pair is 0.5 vCPU / 4 GiB.
    expect(result.recommendations).toEqual([expect.objectContaining({ containerId: c.id, size: { cpu: 512, memory: 4096 }, current: { cpu: 1024, memory: 4096 } })])
    const after = await h.get(c)
    const withRecommendation = writes.mock.calls.filter(([next]) => next.id === c.id && next.recommendation)
    expect(withRecommendation).toHaveLength(1)
    expect(withRecommendation[0][0].usageHistory).toEqual(after.usageHistory)
    expect(after.recommendation?.reason).toContain('memory kept at 4096 MiB until 7 days of usage are seen (0 days so far)')
    expect(after.usageHistory).toEqual({ firstSampleAt: new Date((T0 + 60) * 1000).toISOString(), dailyPeakMemoryMiB: { '2026-03-02': 260 } })
  })

  it('stores a right-sized recommendation once a week is seen and applies it at the next start with sizing=auto', async () => {
    const c = await h.run({ cpu: 1, memory: 4096, sizing: 'auto' })
    await seenFor(c, 7, { '2026-02-27': 230 })
    h.clock.advance(45 * 60)
    await h.feed(c, T0 + 60, h.nowS(), LOW)

    const result = await h.tick()

    expect(result.recommendations).toEqual([
      expect.objectContaining({ containerId: c.id, size: { cpu: 256, memory: 512 }, current: { cpu: 1024, memory: 4096 } }),
    ])
    const after = await h.get(c)
    expect(after.recommendation).toMatchObject({
      size: { cpu: 256, memory: 512 },
      basis: { samples: 45, p95CpuUnits: 50, peakMemoryMiB: 230 },
    })
    expect(after.usageHistory).toEqual({ firstSampleAt: new Date((T0 - 7 * DAY) * 1000).toISOString(), dailyPeakMemoryMiB: { '2026-02-27': 230, '2026-03-02': 200 } })
    expect(after.recommendation!.monthlyCostRecommended).toBeLessThan(after.recommendation!.monthlyCostCurrent)
    expect(applySizing(after.spec, after)).toEqual({ cpu: 256, memory: 512 })

    await h.service.stop(h.ns, c.id)
    const restarted = await h.service.start(h.ns, c.id)
    expect(restarted.size).toEqual({ cpu: 256, memory: 512 })
  })

  it('waits for enough samples and does not recompute a fresh recommendation', async () => {
    const c = await h.run({ cpu: 1, memory: 2048 })
    h.clock.advance(15 * 60)
    await h.feed(c, T0 + 60, h.nowS(), LOW)
    expect((await h.tick()).recommendations).toEqual([])
    expect((await h.get(c)).recommendation).toBeUndefined()

    h.clock.advance(15 * 60)
    await h.feed(c, h.nowS() - 15 * 60, h.nowS(), LOW)
    expect((await h.tick()).recommendations).toHaveLength(1)
    const first = (await h.get(c)).recommendation!

    h.clock.advance(60)
    expect((await h.tick()).recommendations).toEqual([])
    expect((await h.get(c)).recommendation).toEqual(first)

    h.clock.advance(3600)
    expect((await h.tick()).recommendations).toHaveLength(1)
  })

  it('keeps the step-up after an OOM kill instead of recommending the killed memory again', async () => {
    const c = await h.run({ cpu: 1, memory: 2048, sizing: 'auto' })
    h.clock.advance(10 * 60)
    await h.feed(c, T0 + 60, h.nowS(), LOW)
    await h.service.observe({ ...h.backend.exit(await h.refOf(c), 137), oomKilled: true })
    const stepped = (await h.get(c)).recommendation!
    expect(stepped.size.memory).toBeGreaterThan(2048)

    const restarted = await h.service.start(h.ns, c.id)
    expect(restarted.size).toEqual(stepped.size)
    h.clock.advance(61 * 60)
    await h.feed(restarted, h.nowS() - 60 * 60, h.nowS(), LOW)

    // Memory stays at the stepped-up size (less than a week seen); only CPU may shrink.
    const [rec] = (await h.tick()).recommendations
    expect(rec.size.memory).toBe(stepped.size.memory)
    expect((await h.get(c)).recommendation?.size.memory).toBe(stepped.size.memory)
  })

  it('never recommends the memory of an OOM-killed run again, even after a week of history', async () => {
    const c = await h.run({ cpu: 1, memory: 2048, sizing: 'auto' })
    await seenFor(c, 8)
    h.clock.advance(10 * 60)
    await h.feed(c, T0 + 60, h.nowS(), LOW)
    await h.service.observe({ ...h.backend.exit(await h.refOf(c), 137), oomKilled: true })
    const stepped = (await h.get(c)).recommendation!
    const restarted = await h.service.start(h.ns, c.id)
    h.clock.advance(61 * 60)
    await h.feed(restarted, h.nowS() - 60 * 60, h.nowS(), LOW)

    expect((await h.tick()).recommendations).toEqual([])
    const after = await h.get(c)
    expect(after.recommendation?.size).toEqual(stepped.size)
    // The history is kept up to date all the same.
    expect(after.usageHistory?.dailyPeakMemoryMiB).toEqual({ '2026-03-02': 200 })
  })

  it('makes none with sizing=fixed', async () => {
    const c = await h.run({ cpu: 1, memory: 2048, sizing: 'fixed' })
    h.clock.advance(60 * 60)
    await h.feed(c, T0 + 60, h.nowS(), LOW)
    expect((await h.tick()).recommendations).toEqual([])
    expect((await h.get(c)).recommendation).toBeUndefined()
  })

  it('caps the recommendations computed per tick', async () => {
    const cs = [await h.run({ cpu: 1 }, 'r1'), await h.run({ cpu: 1 }, 'r2'), await h.run({ cpu: 1 }, 'r3')]
    h.clock.advance(45 * 60)
    for (const c of cs) await h.feed(c, T0 + 60, h.nowS(), LOW)
    expect((await h.tick({ maxRecommendationsPerTick: 2 })).recommendations).toHaveLength(2)
  })
})
