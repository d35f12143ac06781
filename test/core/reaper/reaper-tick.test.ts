import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BackendError } from '../../../shared/core/errors.js'
import { acquireLease, releaseLease } from '../../../shared/core/reaper/lease.js'
import { IDLE, START, startReaperHarness, type ReaperHarness } from './reaper-harness.js'

let h: ReaperHarness
beforeEach(async () => {
  h = await startReaperHarness()
})
afterEach(async () => h.close())

const T0 = START / 1000

describe('two ticks at once', () => {
  it('one does the work, the other skips on the lease', async () => {
    const c = await h.run({ maxLifetime: '10m' })
    h.clock.advance(11 * 60)

    const [a, b] = await Promise.all([h.tick(), h.tick()])

    expect([a.status, b.status].sort()).toEqual(['done', 'skipped'])
    const done = a.status === 'done' ? a : b
    expect(done.stopped).toEqual([expect.objectContaining({ containerId: c.id, cause: 'lifetime' })])
    expect(h.backend.count('stopRun')).toBe(1)
    expect((await h.store.listEvents(h.ns)).filter((e) => e.id === c.id && e.action === 'stop')).toHaveLength(1)
  })

  it('releases the lease at the end, so the next tick runs', async () => {
    expect((await h.tick()).status).toBe('done')
    expect((await h.tick()).status).toBe('done')
  })

  it('a lease left by a dead tick expires after its TTL', async () => {
    expect(await acquireLease(h.store, h.clock, 'crashed', 120)).toBe(true)
    expect((await h.tick()).status).toBe('skipped')
    h.clock.advance(121)
    expect((await h.tick()).status).toBe('done')
  })

  it('release does not delete a lease another holder took', async () => {
    expect(await acquireLease(h.store, h.clock, 'first', 60)).toBe(true)
    await releaseLease(h.store, 'second')
    expect(await acquireLease(h.store, h.clock, 'third', 60)).toBe(false)
  })
})

describe('failure isolation', () => {
  it('one container failing does not stop the others; the error is in the result', async () => {
    const a = await h.run({ idle: { after: '5m', grace: '0s' } }, 'a')
    const b = await h.run({ idle: { after: '5m', grace: '0s' } }, 'b')
    const c = await h.run({ idle: { after: '5m', grace: '0s' } }, 'c')
    h.clock.advance(10 * 60)
    for (const x of [a, b, c]) await h.feed(x, T0, h.nowS(), IDLE)
    const badRef = await h.refOf(b)
    const stopRun = h.backend.stopRun.bind(h.backend)
    h.backend.stopRun = async (ref, options) => {
      if (ref === badRef) throw new BackendError('StopTask failed: AccessDenied')
      return stopRun(ref, options)
    }

    const result = await h.tick()

    expect(result.stopped.map((s) => s.containerId).sort()).toEqual([a.id, c.id].sort())
    expect(result.errors).toEqual([expect.objectContaining({ step: 'policy', containerId: b.id, message: 'StopTask failed: AccessDenied' })])
    expect((await h.get(a)).state.running).toBe(false)
    expect((await h.get(c)).state.running).toBe(false)
  })

  it('a failing describe is reported and the policies still run', async () => {
    const c = await h.run({ maxLifetime: '1m' })
    h.clock.advance(120)
    const describe = h.backend.describeRuns.bind(h.backend)
    let calls = 0
    h.backend.describeRuns = async (refs) => {
      if (calls++ === 0) throw new BackendError('DescribeTasks failed')
      return describe(refs)
    }
    const result = await h.tick()
    expect(result.errors).toEqual([expect.objectContaining({ step: 'describe' })])
    expect(result.stopped).toEqual([expect.objectContaining({ containerId: c.id })])
  })
})
