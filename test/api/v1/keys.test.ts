import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, problem, startV1, type V1Harness } from './v1-harness.js'

interface KeyView {
  id: string
  namespace: string
  scopes: string[]
  description?: string
  root?: boolean
  createdAt: string
  key?: string
}

let h: V1Harness
let nsAdmin: string
beforeAll(async () => {
  h = await startV1()
  nsAdmin = await h.key(['admin'], 'team-a')
})
afterAll(async () => {
  await h?.close()
})

const createKey = (body: unknown, key?: string) => h.request('/v1/keys', { method: 'POST', json: body, key })

describe('POST /v1/keys', () => {
  it('creates a key whose secret is shown once and works', async () => {
    const created = await json<KeyView>(await createKey({ scopes: ['read', 'write'], description: 'ci' }), 201)
    expect(created).toMatchObject({ namespace: 'default', scopes: ['read', 'write'], description: 'ci' })
    expect(created.id).toMatch(/^key_[0-9a-f]{12}$/)
    expect(created.key).toMatch(/^fgd_/)
    expect(JSON.stringify(created)).not.toMatch(/hash/)
    expect((await h.request('/v1/containers', { key: created.key })).status).toBe(200)
    await problem(await h.request('/v1/keys', { key: created.key }), 403, 'forbidden')
  })

  it('lets the root key create keys in another namespace', async () => {
    const created = await json<KeyView>(await createKey({ scopes: ['write'], namespace: 'team-c' }), 201)
    expect(created.namespace).toBe('team-c')
    const run = await json<{ namespace: string }>(await h.request('/v1/containers', { method: 'POST', key: created.key, json: { image: 'busybox', start: false } }), 201)
    expect(run.namespace).toBe('team-c')
  })

  it('refuses another namespace for a non-root admin key, allows its own', async () => {
    const p = await problem(await createKey({ scopes: ['read'], namespace: 'default' }, nsAdmin), 403, 'forbidden')
    expect(p.detail).toMatch(/only the root/)
    const own = await json<KeyView>(await createKey({ scopes: ['read'] }, nsAdmin), 201)
    expect(own.namespace).toBe('team-a')
    const explicit = await json<KeyView>(await createKey({ scopes: ['read'], namespace: 'team-a' }, nsAdmin), 201)
    expect(explicit.namespace).toBe('team-a')
  })

  it('validates scopes, fields and the namespace', async () => {
    const none = await problem(await createKey({ scopes: [] }), 400, 'invalid_request')
    expect(none.errors?.[0]).toMatchObject({ in: 'body', field: 'scopes' })
    await problem(await createKey({ scopes: ['root'] }), 400, 'invalid_request')
    await problem(await createKey({ scopes: ['read'], secret: 'mine' }), 400, 'invalid_request')
    await problem(await createKey({ scopes: ['read'], namespace: 'Not Valid' }), 400, 'invalid_request')
  })
})

describe('GET /v1/keys', () => {
  it("lists the namespace's keys without secrets or hashes", async () => {
    const { keys } = await json<{ keys: KeyView[] }>(await h.request('/v1/keys'))
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.every((k) => k.namespace === 'default')).toBe(true)
    expect(keys.some((k) => k.root)).toBe(true)
    const text = JSON.stringify(keys)
    expect(text).not.toMatch(/"hash"|"key"|fgd_/)
  })

  it('lists another namespace only for the root key', async () => {
    const { keys } = await json<{ keys: KeyView[] }>(await h.request('/v1/keys?namespace=team-a'))
    expect(keys.length).toBeGreaterThan(0)
    expect(keys.every((k) => k.namespace === 'team-a')).toBe(true)
    await problem(await h.request('/v1/keys?namespace=default', { key: nsAdmin }), 403, 'forbidden')
    const own = await json<{ keys: KeyView[] }>(await h.request('/v1/keys', { key: nsAdmin }))
    expect(own.keys.every((k) => k.namespace === 'team-a')).toBe(true)
  })
})

describe('DELETE /v1/keys/{id}', () => {
  it('revokes a key so it no longer authenticates', async () => {
    const created = await json<KeyView>(await createKey({ scopes: ['read'] }), 201)
    const res = await h.request(`/v1/keys/${created.id}`, { method: 'DELETE' })
    expect(res.status).toBe(204)
    await problem(await h.request('/v1/containers', { key: created.key }), 401, 'unauthorized')
    await problem(await h.request(`/v1/keys/${created.id}`, { method: 'DELETE' }), 404, 'not_found')
  })

  it("cannot reach another namespace's key without the root key", async () => {
    const other = await json<KeyView>(await createKey({ scopes: ['read'], namespace: 'team-d' }), 201)
    await problem(await h.request(`/v1/keys/${other.id}`, { method: 'DELETE', key: nsAdmin }), 404, 'not_found')
    expect((await h.request(`/v1/keys/${other.id}?namespace=team-d`, { method: 'DELETE' })).status).toBe(204)
  })

  it('refuses to revoke the root key and rejects malformed ids', async () => {
    const { keys } = await json<{ keys: KeyView[] }>(await h.request('/v1/keys'))
    const root = keys.find((k) => k.root)!
    expect((await problem(await h.request(`/v1/keys/${root.id}`, { method: 'DELETE' }), 409, 'conflict')).detail).toMatch(/Secrets Manager/)
    await problem(await h.request('/v1/keys/not-a-key', { method: 'DELETE' }), 400, 'invalid_request')
  })
})
