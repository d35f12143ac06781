import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runToken } from '../../../shared/core/container-start.js'
import { startReaperHarness, type ReaperHarness } from './reaper-harness.js'

let h: ReaperHarness
beforeEach(async () => {
  h = await startReaperHarness()
})
afterEach(async () => h.close())

describe('reconcile: store vs runtime', () => {
  it('repairs a run the runtime stopped while the event was lost, with its exit code', async () => {
    const c = await h.run({})
    h.clock.advance(120)
    h.backend.exit(await h.refOf(c), 3)

    const result = await h.tick()

    expect(result.described).toBe(1)
    expect(result.repaired).toEqual([expect.objectContaining({ containerId: c.id, kind: 'stopped', status: 'STOPPED' })])
    const after = await h.get(c)
    expect(after.state).toMatchObject({ running: false, status: 'exited', exitCode: 3, stopCause: 'exited' })
    expect(after.costToDate).toBeGreaterThan(0)
    const die = (await h.store.listEvents(h.ns)).find((e) => e.id === c.id && e.action === 'die')
    expect(die?.attributes.exitCode).toBe('3')
  })

  it('applies the restart policy to a repaired stop', async () => {
    const c = await h.run({ restartPolicy: { name: 'on-failure' } })
    h.backend.exit(await h.refOf(c), 1)
    await h.tick()
    const after = await h.get(c)
    expect(after.state.status).toBe('restarting')
    expect(after.restartAt).toBeDefined()
  })

  it('does nothing when store and runtime agree', async () => {
    const c = await h.run({})
    await h.tick() // takes the runtime's event version, which the start does not record
    const before = await h.get(c)
    const result = await h.tick()
    expect(result.repaired).toEqual([])
    expect((await h.get(c)).version).toBe(before.version)
  })

  it('marks a run the runtime no longer knows as lost, only after lostAfterSeconds', async () => {
    const c = await h.run({})
    h.backend.tasks.delete(await h.refOf(c))
    h.clock.advance(60)
    expect((await h.tick()).repaired).toEqual([])
    expect((await h.get(c)).state.running).toBe(true)

    h.clock.advance(300)
    const result = await h.tick()

    expect(result.repaired).toEqual([expect.objectContaining({ containerId: c.id, kind: 'lost' })])
    expect((await h.get(c)).state).toMatchObject({ running: false, status: 'exited', exitCode: 137, stopCause: 'lost' })
  })

  it('marks a start that never got a runtime reference as failed after stuckStartSeconds', async () => {
    const c = await h.run({}, 'stuck')
    const fresh = await h.get(c)
    const run = (await h.store.getRun(c.id, fresh.runNumber))!
    // A crash between the PROVISIONING write and the runtime call: no ref, no task.
    await h.store.putRun({ ...run, ref: undefined, lastStatus: 'PROVISIONING', eventVersion: 0 })

    h.clock.advance(5 * 60)
    expect((await h.tick()).repaired).toEqual([])

    h.clock.advance(11 * 60)
    const result = await h.tick()

    expect(result.repaired).toEqual([expect.objectContaining({ containerId: c.id, kind: 'failed-to-start' })])
    const after = await h.get(c)
    expect(after.state).toMatchObject({ running: false, status: 'dead', exitCode: 128, stopCause: 'failed-to-start' })
    expect((await h.store.getRun(c.id, fresh.runNumber))?.lastStatus).toBe('STOPPED')
    const die = (await h.store.listEvents(h.ns)).find((e) => e.id === c.id && e.action === 'die')
    expect(die?.attributes.reason).toBe('failed-to-start')
  })

  it('replays a stop the container did not follow (run STOPPED, container still running)', async () => {
    const c = await h.run({})
    const fresh = await h.get(c)
    const run = (await h.store.getRun(c.id, fresh.runNumber))!
    await h.store.putRun({ ...run, lastStatus: 'STOPPED', exitCode: 0, stoppedAt: h.clock.now().toISOString(), eventVersion: run.eventVersion + 1 })

    const result = await h.tick()

    expect(result.repaired).toEqual([expect.objectContaining({ kind: 'replayed-stop' })])
    expect((await h.get(c)).state).toMatchObject({ running: false, exitCode: 0 })
  })
})

describe('orphan scan', () => {
  /** Starts a task in the runtime that no store record accounts for. */
  async function orphanTask(containerId = 'f'.repeat(64), runNumber = 1) {
    const started = await h.backend.startRun({
      container: { id: containerId, namespace: h.ns, name: 'ghost', spec: { image: 'busybox' } as never },
      runNumber,
      size: { cpu: 256, memory: 512 },
      image: 'busybox',
      capacity: 'on-demand',
      token: runToken(containerId, runNumber, 'orphan'),
    })
    return started.ref
  }

  it('stops an unknown fargated task by default', async () => {
    const ref = await orphanTask()
    const result = await h.tick({ forceOrphanScan: true })
    expect(result.orphanScan).toBe(true)
    expect(result.orphans).toEqual([expect.objectContaining({ ref, action: 'stopped' })])
    expect(h.backend.tasks.get(ref)?.status).toBe('STOPPED')
  })

  it('leaves it running with policy ignore', async () => {
    const ref = await orphanTask()
    const result = await h.tick({ forceOrphanScan: true, orphanPolicy: 'ignore' })
    expect(result.orphans).toEqual([expect.objectContaining({ ref, action: 'ignored' })])
    expect(h.backend.tasks.get(ref)?.status).toBe('RUNNING')
  })

  it('adopts it into its stopped container with policy adopt', async () => {
    const c = await h.run({}, 'adoptive')
    await h.service.stop(h.ns, c.id)
    const ref = await orphanTask(c.id, 2)

    const result = await h.tick({ forceOrphanScan: true, orphanPolicy: 'adopt' })

    expect(result.orphans).toEqual([expect.objectContaining({ ref, action: 'adopted' })])
    const after = await h.get(c)
    expect(after.state.running).toBe(true)
    expect(after.runNumber).toBe(2)
    expect((await h.store.getRun(c.id, 2))?.ref).toBe(ref)
  })

  it('a scan tick describes only the live runs the listing did not include', async () => {
    const a = await h.run({}, 'listed')
    const b = await h.run({}, 'gone')
    h.backend.exit(await h.refOf(b), 2)

    const result = await h.tick({ forceOrphanScan: true })

    expect(result.described).toBe(1)
    expect(result.repaired).toEqual([expect.objectContaining({ containerId: b.id, kind: 'stopped' })])
    expect((await h.get(b)).state.exitCode).toBe(2)
    expect((await h.get(a)).state.running).toBe(true)
  })

  it('does not scan again before the interval', async () => {
    await orphanTask()
    expect((await h.tick({ orphanScanIntervalSeconds: 600 })).orphanScan).toBe(true)
    h.clock.advance(60)
    expect((await h.tick({ orphanScanIntervalSeconds: 600 })).orphanScan).toBe(false)
    h.clock.advance(600)
    expect((await h.tick({ orphanScanIntervalSeconds: 600 })).orphanScan).toBe(true)
  })

  it('links a task whose reference write was lost instead of failing or stopping it', async () => {
    const c = await h.run({}, 'relinked')
    const fresh = await h.get(c)
    const run = (await h.store.getRun(c.id, fresh.runNumber))!
    await h.store.putRun({ ...run, ref: undefined, lastStatus: 'PROVISIONING', eventVersion: 0 })
    h.clock.advance(20 * 60)

    const result = await h.tick({ forceOrphanScan: true })

    expect(result.repaired).toEqual([expect.objectContaining({ containerId: c.id, kind: 'linked', ref: run.ref })])
    expect(result.orphans).toEqual([])
    expect(h.backend.tasks.get(run.ref!)?.status).toBe('RUNNING')
    expect((await h.get(c)).state.running).toBe(true)
  })
})
