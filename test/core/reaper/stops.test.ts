import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BUSY, IDLE, START, startReaperHarness, type ReaperHarness } from './reaper-harness.js'

let h: ReaperHarness
beforeEach(async () => {
  h = await startReaperHarness()
})
afterEach(async () => h.close())

const T0 = START / 1000

async function events(h: ReaperHarness, id: string) {
  return (await h.store.listEvents(h.ns)).filter((e) => e.id === id)
}

describe('idle stops through the tick', () => {
  it('stops a container idle for `after` once past grace, records the cause on stop and die', async () => {
    const c = await h.run({ idle: { after: '10m', grace: '1m' }, restartPolicy: { name: 'always' } })
    h.clock.advance(12 * 60)
    await h.feed(c, T0, h.nowS(), IDLE)

    const result = await h.tick()

    expect(result.status).toBe('done')
    expect(result.stopped).toEqual([expect.objectContaining({ containerId: c.id, cause: 'idle' })])
    const after = await h.get(c)
    expect(after.state).toMatchObject({ running: false, status: 'exited', stopCause: 'idle' })
    expect(after.restartAt).toBeUndefined()
    expect(h.backend.count('stopRun')).toBe(1)
    const evs = await events(h, c.id)
    expect(evs.find((e) => e.action === 'stop')?.attributes.reason).toBe('idle')
    expect(evs.find((e) => e.action === 'die')?.attributes.reason).toBe('idle')
    const run = await h.store.getRun(c.id, after.runNumber)
    expect(run?.stopCause).toBe('idle')
    expect(run?.stoppedReason).toMatch(/^Stopped by fargated: idle for/)
  })

  it('keeps a busy container running', async () => {
    const c = await h.run({ idle: { after: '10m', grace: '1m' } })
    h.clock.advance(20 * 60)
    await h.feed(c, T0, h.nowS(), BUSY)

    const result = await h.tick()

    expect(result.stopped).toEqual([])
    expect((await h.get(c)).state.running).toBe(true)
    expect(h.backend.count('stopRun')).toBe(0)
  })

  it('does not stop before grace + after, even when idle from the first sample', async () => {
    const c = await h.run({ idle: { after: '10m', grace: '5m' } })
    h.clock.advance(14 * 60)
    await h.feed(c, T0, h.nowS(), IDLE)
    expect((await h.tick()).stopped).toEqual([])
    expect((await h.get(c)).state.running).toBe(true)

    h.clock.advance(60)
    await h.feed(c, h.nowS() - 60, h.nowS(), IDLE)
    expect((await h.tick()).stopped).toHaveLength(1)
    expect((await h.get(c)).state.stopCause).toBe('idle')
  })

  it('restarts the idle clock after recent activity', async () => {
    const c = await h.run({ idle: { after: '10m', grace: '0s' } })
    h.clock.advance(30 * 60)
    await h.feed(c, T0, T0 + 24 * 60, IDLE)
    await h.feed(c, T0 + 25 * 60, T0 + 25 * 60, BUSY)
    await h.feed(c, T0 + 26 * 60, h.nowS(), IDLE)
    expect((await h.tick()).stopped).toEqual([])

    h.clock.advance(6 * 60)
    await h.feed(c, h.nowS() - 6 * 60, h.nowS(), IDLE)
    expect((await h.tick()).stopped).toHaveLength(1)
  })

  it('does not stop when usage is missing (no samples)', async () => {
    const c = await h.run({ idle: { after: '10m', grace: '0s' } })
    h.clock.advance(60 * 60)
    expect((await h.tick()).stopped).toEqual([])
    expect((await h.get(c)).state.running).toBe(true)
  })
})

describe('max lifetime through the tick', () => {
  it('stops at startedAt + maxLifetime whatever the usage, with reason lifetime', async () => {
    const c = await h.run({ maxLifetime: '30m' })
    h.clock.advance(29 * 60)
    await h.feed(c, T0, h.nowS(), BUSY)
    expect((await h.tick()).stopped).toEqual([])

    h.clock.advance(60)
    const result = await h.tick()

    expect(result.stopped).toEqual([expect.objectContaining({ containerId: c.id, cause: 'lifetime', reason: expect.stringMatching(/max lifetime of 30m/) })])
    expect((await h.get(c)).state).toMatchObject({ running: false, stopCause: 'lifetime' })
    const evs = await events(h, c.id)
    expect(evs.find((e) => e.action === 'die')?.attributes.reason).toBe('lifetime')
  })

  it('stops at most maxStopsPerTick, lifetime first, and the rest on the next tick', async () => {
    const idle = await h.run({ idle: { after: '5m', grace: '0s' } }, 'idle-one')
    const old = await h.run({ maxLifetime: '5m' }, 'old-one')
    h.clock.advance(10 * 60)
    await h.feed(idle, T0, h.nowS(), IDLE)

    const first = await h.tick({ maxStopsPerTick: 1 })
    expect(first.stopped).toEqual([expect.objectContaining({ containerId: old.id, cause: 'lifetime' })])
    expect(first.deferredStops).toBe(1)
    expect((await h.get(idle)).state.running).toBe(true)

    const second = await h.tick({ maxStopsPerTick: 1 })
    expect(second.stopped).toEqual([expect.objectContaining({ containerId: idle.id, cause: 'idle' })])
    expect(second.deferredStops).toBe(0)
  })

  it('leaves containers without policies alone', async () => {
    const c = await h.run({})
    h.clock.advance(48 * 3600)
    const result = await h.tick()
    expect(result.stopped).toEqual([])
    expect((await h.get(c)).state.running).toBe(true)
  })
})
