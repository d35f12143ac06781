import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ThrottledError } from '../../../shared/core/errors.js'
import { startReaperHarness, type ReaperHarness } from './reaper-harness.js'

let h: ReaperHarness
beforeEach(async () => {
  h = await startReaperHarness()
})
afterEach(async () => h.close())

/** The container's current run exits with `code` and the event is applied, as the events function would. */
async function crash(h: ReaperHarness, id: string, code = 1) {
  const c = (await h.store.getContainer(h.ns, id))!
  await h.service.observe(h.backend.exit(await h.refOf(c), code))
  return (await h.store.getContainer(h.ns, id))!
}

describe('due restart-policy restarts', () => {
  it('starts a container once restartAt has come, counting the restart', async () => {
    const c = await h.run({ restartPolicy: { name: 'on-failure', maximumRetryCount: 2 } })
    const crashed = await crash(h, c.id)
    expect(crashed.state.status).toBe('restarting')
    expect(crashed.restartAt).toBe(new Date(h.clock.now().getTime() + 1000).toISOString())

    expect((await h.tick()).restarted).toEqual([])

    h.clock.advance(2)
    const result = await h.tick()

    expect(result.restarted).toEqual([expect.objectContaining({ containerId: c.id, runNumber: 2, restartCount: 1 })])
    const after = await h.get(c)
    expect(after.state.running).toBe(true)
    expect(after.restartAt).toBeUndefined()
    expect((await h.store.listEvents(h.ns)).filter((e) => e.id === c.id && e.action === 'restart')).toHaveLength(1)
  })

  it('honours on-failure:N: exactly N restarts, then the container stays exited', async () => {
    const c = await h.run({ restartPolicy: { name: 'on-failure', maximumRetryCount: 2 } })
    for (const expected of [1, 2]) {
      await crash(h, c.id)
      h.clock.advance(10)
      const result = await h.tick()
      expect(result.restarted).toEqual([expect.objectContaining({ restartCount: expected })])
    }
    const last = await crash(h, c.id)
    expect(last.restartAt).toBeUndefined()
    expect(last.state.status).toBe('exited')
    h.clock.advance(600)
    expect((await h.tick()).restarted).toEqual([])
    expect((await h.get(c)).restartCount).toBe(2)
  })

  it('reschedules a restart whose start failed, and starts it on a later tick', async () => {
    const c = await h.run({ restartPolicy: { name: 'always' } })
    await crash(h, c.id)
    h.clock.advance(2)
    h.backend.failNextStarts = [new ThrottledError('Rate exceeded')]

    const failed = await h.tick()

    expect(failed.restarted).toEqual([])
    expect(failed.errors).toEqual([expect.objectContaining({ step: 'restart', containerId: c.id, message: 'Rate exceeded' })])
    const waiting = await h.get(c)
    expect(waiting.state.running).toBe(false)
    expect(waiting.restartAt).toBeDefined()

    h.clock.advance(60)
    expect((await h.tick()).restarted).toEqual([expect.objectContaining({ containerId: c.id })])
    expect((await h.get(c)).state.running).toBe(true)
  })

  it('does not restart a container the user stopped while it waited', async () => {
    const c = await h.run({ restartPolicy: { name: 'always' } })
    await crash(h, c.id)
    await h.service.stop(h.ns, c.id)
    h.clock.advance(10)
    expect((await h.tick()).restarted).toEqual([])
    expect((await h.get(c)).state.running).toBe(false)
  })
})
