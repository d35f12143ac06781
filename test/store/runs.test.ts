import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newContainerId } from '../../shared/core/ids.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { fullRun } from './fixtures.js'

let t: TestStore
beforeAll(async () => {
  t = await startTestStore()
})
afterAll(() => t.close())

describe('putRun / getRun / listRuns / getRunByRef', () => {
  it('round-trips every field', async () => {
    const run = fullRun()
    await t.store.putRun(run)
    expect(await t.store.getRun(run.containerId, run.number)).toStrictEqual(run)
  })

  it('round-trips a null exit code and a run without a ref yet', async () => {
    const { ref: _, ...pending } = fullRun({ exitCode: null, lastStatus: 'PROVISIONING' })
    await t.store.putRun(pending)
    expect(await t.store.getRun(pending.containerId, pending.number)).toStrictEqual(pending)
  })

  it('lists a container’s runs by number (2 before 10), and only its own', async () => {
    const containerId = newContainerId()
    for (const number of [10, 2, 1, 33]) await t.store.putRun(fullRun({ containerId, number }))
    await t.store.putRun(fullRun({ number: 5 }))
    expect((await t.store.listRuns(containerId)).map((r) => r.number)).toEqual([1, 2, 10, 33])
    expect(await t.store.listRuns(newContainerId())).toEqual([])
  })

  it('finds a run by its backend ref', async () => {
    const run = fullRun({ number: 3 })
    await t.store.putRun(run)
    expect(await t.store.getRunByRef(run.ref!)).toStrictEqual(run)
    expect(await t.store.getRunByRef('arn:aws:ecs:us-east-1:123456789012:task/fargated/none')).toBeUndefined()
  })

  it('finds a run by the ref it got after it was first stored', async () => {
    const { ref, ...pending } = fullRun()
    await t.store.putRun(pending)
    expect(await t.store.getRunByRef(ref!)).toBeUndefined()
    await t.store.putRun({ ...pending, ref })
    expect((await t.store.getRunByRef(ref!))?.containerId).toBe(pending.containerId)
  })
})

describe('updateRunIfNewer', () => {
  it('writes a run that does not exist yet', async () => {
    const run = fullRun({ eventVersion: 1 })
    expect(await t.store.updateRunIfNewer(run)).toBe(true)
    expect(await t.store.getRun(run.containerId, run.number)).toStrictEqual(run)
  })

  it('skips an equal version unless allowEqual', async () => {
    const run = fullRun({ eventVersion: 4, lastStatus: 'RUNNING' })
    await t.store.putRun(run)
    expect(await t.store.updateRunIfNewer({ ...run, lastStatus: 'STOPPING' })).toBe(false)
    expect((await t.store.getRun(run.containerId, run.number))?.lastStatus).toBe('RUNNING')
    expect(await t.store.updateRunIfNewer({ ...run, lastStatus: 'STOPPING' }, true)).toBe(true)
    expect((await t.store.getRun(run.containerId, run.number))?.lastStatus).toBe('STOPPING')
    expect(await t.store.updateRunIfNewer({ ...run, eventVersion: 3 }, true)).toBe(false)
  })

  it('applied in shuffled order, accepts exactly the running maxima and keeps the highest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }), async (versions) => {
        const containerId = newContainerId()
        let highest = 0
        for (const eventVersion of versions) {
          const applied = await t.store.updateRunIfNewer(fullRun({ containerId, eventVersion, stoppedReason: `v${eventVersion}` }))
          expect(applied).toBe(eventVersion > highest)
          highest = Math.max(highest, eventVersion)
        }
        const stored = await t.store.getRun(containerId, 1)
        expect(stored?.eventVersion).toBe(highest)
        expect(stored?.stoppedReason).toBe(`v${highest}`)
      }),
      { numRuns: 25 },
    )
  })

  it('keeps the highest of 30 concurrent shuffled updates', async () => {
    const containerId = newContainerId()
    const versions = fc.sample(fc.shuffledSubarray(Array.from({ length: 30 }, (_, i) => i + 1), { minLength: 30 }), 1)[0]
    const results = await Promise.all(
      versions.map((eventVersion) => t.store.updateRunIfNewer(fullRun({ containerId, eventVersion, stoppedReason: `v${eventVersion}` }))),
    )
    expect(results[versions.indexOf(30)]).toBe(true)
    const stored = await t.store.getRun(containerId, 1)
    expect(stored).toMatchObject({ eventVersion: 30, stoppedReason: 'v30' })
  })
})

describe('deleteRuns', () => {
  it('deletes every run of the container (more than one batch) and no other', async () => {
    const containerId = newContainerId()
    const other = fullRun()
    await t.store.putRun(other)
    await Promise.all(Array.from({ length: 60 }, (_, i) => t.store.putRun(fullRun({ containerId, number: i + 1 }))))
    expect(await t.store.listRuns(containerId)).toHaveLength(60)
    await t.store.deleteRuns(containerId)
    expect(await t.store.listRuns(containerId)).toEqual([])
    expect(await t.store.getRun(other.containerId, other.number)).toStrictEqual(other)
    await expect(t.store.deleteRuns(containerId)).resolves.toBeUndefined()
  })
})
