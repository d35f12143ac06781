import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError, InvalidRequestError } from '../../shared/core/errors.js'
import { ManualClock, startTestStore, type TestStore } from '../support/dynalite.js'
import { uniqueNamespace } from './fixtures.js'

const clock = new ManualClock()
let t: TestStore
beforeAll(async () => {
  t = await startTestStore({ clock })
})
afterAll(() => t.close())

interface Hook {
  id: string
  url: string
  events: string[]
  secretRef?: string
  retries: number
  meta: { pk: string; ttl: number; nested: { empty: string; none: null } }
}

const hook = (id: string): Hook => ({
  id,
  url: 'https://example.com/hook',
  events: ['push', 'die'],
  retries: 3,
  // field names that collide with the table's own attributes must survive
  meta: { pk: 'mine', ttl: 5, nested: { empty: '', none: null } },
})

describe('generic records', () => {
  it('round-trips a value, including fields named like table attributes', async () => {
    const namespace = uniqueNamespace()
    await t.store.putRecord('hooks', namespace, 'h1', hook('h1'))
    expect(await t.store.getRecord<Hook>('hooks', namespace, 'h1')).toStrictEqual(hook('h1'))
    expect(await t.store.getRecord('hooks', uniqueNamespace(), 'h1')).toBeUndefined()
    expect(await t.store.getRecord('deliveries', namespace, 'h1')).toBeUndefined()
  })

  it('lists one kind in one namespace, ordered by id', async () => {
    const namespace = uniqueNamespace()
    for (const id of ['b', 'a', 'c']) await t.store.putRecord('hooks', namespace, id, hook(id))
    await t.store.putRecord('leases', namespace, 'x', { holder: 'x' })
    await t.store.putRecord('hooks', uniqueNamespace(), 'z', hook('z'))
    expect((await t.store.listRecords<Hook>('hooks', namespace)).map((h) => h.id)).toEqual(['a', 'b', 'c'])
  })

  it('overwrites by default; with ifAbsent, refuses a live record', async () => {
    const namespace = uniqueNamespace()
    await t.store.putRecord('leases', namespace, 'reaper', { holder: 'a' }, { ifAbsent: true })
    await expect(t.store.putRecord('leases', namespace, 'reaper', { holder: 'b' }, { ifAbsent: true })).rejects.toThrow(ConflictError)
    await expect(t.store.putRecord('leases', namespace, 'reaper', { holder: 'b' }, { ifAbsent: true })).rejects.toThrow(
      `leases "reaper" already exists in namespace "${namespace}"`,
    )
    expect(await t.store.getRecord('leases', namespace, 'reaper')).toEqual({ holder: 'a' })
    await t.store.putRecord('leases', namespace, 'reaper', { holder: 'c' })
    expect(await t.store.getRecord('leases', namespace, 'reaper')).toEqual({ holder: 'c' })
  })

  it('lets exactly one of 20 concurrent ifAbsent writers win', async () => {
    const namespace = uniqueNamespace()
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => t.store.putRecord('leases', namespace, 'reaper', { holder: `h${i}` }, { ifAbsent: true, ttlSeconds: 30 })),
    )
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []))
    expect(winners).toHaveLength(1)
    expect(await t.store.getRecord('leases', namespace, 'reaper')).toEqual({ holder: `h${winners[0]}` })
  })

  it('expires a record after ttlSeconds, and lets ifAbsent take an expired one', async () => {
    const namespace = uniqueNamespace()
    await t.store.putRecord('leases', namespace, 'reaper', { holder: 'a' }, { ifAbsent: true, ttlSeconds: 30 })
    await t.store.putRecord('leases', namespace, 'forever', { holder: 'b' })
    clock.advance(29)
    expect(await t.store.getRecord('leases', namespace, 'reaper')).toEqual({ holder: 'a' })
    clock.advance(1)
    expect(await t.store.getRecord('leases', namespace, 'reaper')).toBeUndefined()
    expect(await t.store.listRecords('leases', namespace)).toEqual([{ holder: 'b' }])
    await t.store.putRecord('leases', namespace, 'reaper', { holder: 'c' }, { ifAbsent: true, ttlSeconds: 30 })
    expect(await t.store.getRecord('leases', namespace, 'reaper')).toEqual({ holder: 'c' })
  })

  it('deletes, and deleting a missing record is a no-op', async () => {
    const namespace = uniqueNamespace()
    await t.store.putRecord('usage', namespace, 'u1', { cpu: 1.5 })
    await t.store.deleteRecord('usage', namespace, 'u1')
    expect(await t.store.getRecord('usage', namespace, 'u1')).toBeUndefined()
    await expect(t.store.deleteRecord('usage', namespace, 'u1')).resolves.toBeUndefined()
  })

  it('rejects a kind that could blur the key layout', async () => {
    await expect(t.store.putRecord('a#b', uniqueNamespace(), 'x', {})).rejects.toThrow(InvalidRequestError)
  })
})
