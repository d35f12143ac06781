import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContainerService } from '../../shared/core/container-service.js'
import { ConflictError } from '../../shared/core/errors.js'
import { systemClock } from '../../shared/core/ports.js'
import { CachedStore } from '../../shared/local/cached-store.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'

let t: TestStore
let cached: CachedStore
let svc: ContainerService
const backend = new FakeBackend()

beforeAll(async () => {
  t = await startTestStore()
  cached = new CachedStore(t.store)
  svc = new ContainerService({ store: cached, backend, clock: systemClock, pollIntervalMs: 10 })
})
afterAll(async () => t.close())

describe('CachedStore (local mode read model)', () => {
  it('answers exactly what the store holds after every kind of write', async () => {
    const a = await svc.run('ns', { spec: { image: 'busybox' }, name: 'a' })
    await svc.stop('ns', 'a')
    await svc.start('ns', 'a')
    await svc.rename('ns', 'a', 'b')
    const c = await svc.create('ns', { spec: { image: 'busybox' }, name: 'c' })
    await svc.remove('ns', 'c')
    for (const id of [a.id, c.id]) expect(await cached.getContainer('ns', id)).toEqual(await t.store.getContainer('ns', id))
    expect(await cached.listRuns(a.id)).toEqual(await t.store.listRuns(a.id))
    expect((await cached.listContainers('ns')).map((x) => x.name)).toEqual((await t.store.listContainers('ns')).map((x) => x.name))
    expect(await cached.nameOwner('ns', 'b')).toBe(a.id)
    expect(await cached.nameOwner('ns', 'a')).toBeUndefined()
    const run = (await cached.listRuns(a.id)).pop()!
    expect(await cached.getRunByRef(run.ref!)).toEqual(await t.store.getRunByRef(run.ref!))
  })

  it('keeps containers written while the namespace was loading', async () => {
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => svc.create('load', { spec: { image: 'busybox' }, name: `n${i}` })))
    const listed = await cached.listContainers('load')
    expect(listed.map((c) => c.id).sort()).toEqual(created.map((c) => c.id).sort())
  })

  it('a lost conditional write reloads the item: the next read sees the winner', async () => {
    const c = await svc.create('race', { spec: { image: 'busybox' } })
    // Another writer (straight to the store) moves the version on.
    await t.store.updateContainer({ ...c, name: c.name }, c.version)
    await expect(cached.updateContainer({ ...c, restartCount: 9 }, c.version)).rejects.toBeInstanceOf(ConflictError)
    expect((await cached.getContainer('race', c.id))?.version).toBe(c.version + 1)
  })

  it('returns copies: mutating a result does not change the cache', async () => {
    const c = await svc.create('copy', { spec: { image: 'busybox' } })
    const got = await cached.getContainer('copy', c.id)
    got!.state.status = 'dead'
    expect((await cached.getContainer('copy', c.id))?.state.status).toBe('created')
  })

  it('answers writes the store would refuse without asking it, and a new container loads no runs', async () => {
    const calls: string[] = []
    const counting = new Proxy(t.store, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown
        return typeof value === 'function' ? (...args: unknown[]) => { calls.push(String(prop)); return (value as (...a: unknown[]) => unknown).apply(target, args) } : value
      },
    })
    const store = new CachedStore(counting)
    const local = new ContainerService({ store, backend, clock: systemClock, pollIntervalMs: 10 })
    const c = await local.run('fast', { spec: { image: 'busybox' } })
    expect(calls).not.toContain('listRuns')
    const run = (await store.listRuns(c.id)).pop()!
    calls.length = 0
    await expect(store.updateContainer({ ...c, restartCount: 5 }, c.version - 1)).rejects.toBeInstanceOf(ConflictError)
    expect(await store.updateRunIfNewer({ ...run, exitCode: 9, eventVersion: run.eventVersion })).toBe(false)
    expect(await store.updateRunIfNewer({ ...run, exitCode: 9, eventVersion: run.eventVersion - 1 }, true)).toBe(false)
    expect(calls).toEqual([])
    // The same answers as the store itself gives, and nothing changed.
    await expect(t.store.updateContainer({ ...c, restartCount: 5 }, c.version - 1)).rejects.toBeInstanceOf(ConflictError)
    expect(await t.store.updateRunIfNewer({ ...run, exitCode: 9, eventVersion: run.eventVersion })).toBe(false)
    expect(await t.store.getRun(c.id, run.number)).toEqual(run)
    expect(await store.getContainer('fast', c.id)).toEqual(await t.store.getContainer('fast', c.id))
    // A newer write still goes through.
    expect(await store.updateRunIfNewer({ ...run, eventVersion: run.eventVersion + 1 })).toBe(true)
    expect(calls).toEqual(['updateRunIfNewer'])
  })

  it('concurrent writes of one item leave the cache equal to the store (writes are taken in commit order)', async () => {
    const c = await svc.run('order', { spec: { image: 'busybox' } })
    const run = (await cached.listRuns(c.id)).pop()!
    const versions = [7, 3, 9, 9, 2, 12, 5, 12, 11]
    await Promise.all([
      ...versions.map((v, i) => cached.updateRunIfNewer({ ...run, eventVersion: v, exitCode: i }, i % 2 === 0)),
      cached.putRun({ ...run, eventVersion: 4, stoppedReason: 'put' }),
      ...versions.map((_, i) => cached.getContainer('order', c.id).then((x) => cached.updateContainer({ ...x!, restartCount: i }, x!.version).catch(() => undefined))),
    ])
    expect(await cached.getRun(c.id, run.number)).toEqual(await t.store.getRun(c.id, run.number))
    expect(await cached.getContainer('order', c.id)).toEqual(await t.store.getContainer('order', c.id))
  })

  it('a write whose answer comes late is still taken before the next write of that item', async () => {
    const c = await svc.run('late', { spec: { image: 'busybox' } })
    const run = (await cached.listRuns(c.id)).pop()!
    // The store commits the first write at once but answers it late.
    const slowAnswer = Object.create(t.store) as typeof t.store
    slowAnswer.updateRunIfNewer = async (next, allowEqual) => {
      const written = await t.store.updateRunIfNewer(next, allowEqual)
      await new Promise((r) => setTimeout(r, 50))
      return written
    }
    const store = new CachedStore(slowAnswer)
    await store.listRuns(c.id)
    await Promise.all([store.updateRunIfNewer({ ...run, eventVersion: 90 }), store.putRun({ ...run, eventVersion: 4, stoppedReason: 'put after' })])
    expect(await t.store.getRun(c.id, run.number)).toMatchObject({ eventVersion: 4, stoppedReason: 'put after' })
    expect(await store.getRun(c.id, run.number)).toEqual(await t.store.getRun(c.id, run.number))
  })
})
