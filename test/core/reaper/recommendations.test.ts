import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { applySizing } from '../../../shared/core/policies/sizing-recommendation.js'
import { START, startReaperHarness, type ReaperHarness } from './reaper-harness.js'

let h: ReaperHarness
beforeEach(async () => {
  h = await startReaperHarness()
})
afterEach(async () => h.close())

const T0 = START / 1000
const LOW = { cpuUnits: 50, memoryMiB: 200, networkBytesPerSec: 5000 }

describe('recommendation refresh', () => {
  it('stores a right-sized recommendation from the run usage and applies it at the next start with sizing=auto', async () => {
    const c = await h.run({ cpu: 1, memory: 4096, sizing: 'auto' })
    h.clock.advance(45 * 60)
    await h.feed(c, T0 + 60, h.nowS(), LOW)

    const result = await h.tick()

    expect(result.recommendations).toEqual([
      expect.objectContaining({ containerId: c.id, size: { cpu: 256, memory: 512 }, current: { cpu: 1024, memory: 4096 } }),
    ])
    const after = await h.get(c)
    expect(after.recommendation).toMatchObject({
      size: { cpu: 256, memory: 512 },
      basis: { samples: 45, p95CpuUnits: 50, peakMemoryMiB: 200 },
    })
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

    expect((await h.tick()).recommendations).toEqual([])
    expect((await h.get(c)).recommendation?.size).toEqual(stepped.size)
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
