import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotFoundError } from '../../shared/core/errors.js'
import type { ApiKey } from '../../shared/core/model.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { uniqueNamespace } from './fixtures.js'

let t: TestStore
beforeAll(async () => {
  t = await startTestStore()
})
afterAll(() => t.close())

const apiKey = (overrides: Partial<ApiKey> = {}): ApiKey => ({
  id: `key_${randomUUID().slice(0, 8)}`,
  namespace: 'team-a',
  hash: randomUUID().replaceAll('-', '').repeat(2),
  scopes: ['read', 'write'],
  description: 'CI deploys',
  createdAt: '2025-01-01T00:00:00Z',
  lastUsedAt: '2025-01-02T00:00:00Z',
  ...overrides,
})

describe('api keys', () => {
  it('round-trips a key by hash', async () => {
    const key = apiKey({ namespace: uniqueNamespace() })
    await t.store.putKey(key)
    expect(await t.store.getKeyByHash(key.hash)).toStrictEqual(key)
    expect(await t.store.getKeyByHash('0'.repeat(64))).toBeUndefined()
  })

  it('lists the namespace’s keys only', async () => {
    const namespace = uniqueNamespace()
    const { description: _, ...withoutDescription } = apiKey({ namespace, scopes: ['admin'] })
    const mine: ApiKey[] = [apiKey({ namespace }), withoutDescription]
    for (const key of [...mine, apiKey({ namespace: uniqueNamespace() })]) await t.store.putKey(key)
    const byId = (a: ApiKey, b: ApiKey) => a.id.localeCompare(b.id)
    expect((await t.store.listKeys(namespace)).sort(byId)).toStrictEqual(mine.sort(byId))
  })

  it('updates lastUsedAt by putting the key again', async () => {
    const key = apiKey({ namespace: uniqueNamespace() })
    await t.store.putKey(key)
    await t.store.putKey({ ...key, lastUsedAt: '2025-02-01T00:00:00Z' })
    expect((await t.store.getKeyByHash(key.hash))?.lastUsedAt).toBe('2025-02-01T00:00:00Z')
    expect(await t.store.listKeys(key.namespace)).toHaveLength(1)
  })

  it('deletes by (namespace, id), and answers NotFoundError for another namespace’s key', async () => {
    const key = apiKey({ namespace: uniqueNamespace() })
    await t.store.putKey(key)
    await expect(t.store.deleteKey(uniqueNamespace(), key.id)).rejects.toThrow(NotFoundError)
    expect(await t.store.getKeyByHash(key.hash)).toBeDefined()
    await t.store.deleteKey(key.namespace, key.id)
    expect(await t.store.getKeyByHash(key.hash)).toBeUndefined()
    expect(await t.store.listKeys(key.namespace)).toEqual([])
    await expect(t.store.deleteKey(key.namespace, key.id)).rejects.toThrow(`No such key: ${key.id}`)
  })
})
