import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerView } from '../../../shared/api/v1/container-view.js'
import { json, problem, startV1, type V1Harness } from './v1-harness.js'

let h: V1Harness
let readKey: string
let writeKey: string
let otherNsKey: string
let web: ContainerView
beforeAll(async () => {
  h = await startV1()
  readKey = await h.key(['read'])
  writeKey = await h.key(['write'])
  otherNsKey = await h.key(['admin'], 'team-b')
  web = await h.run({ image: 'busybox', name: 'auth-web' })
})
afterAll(async () => {
  await h?.close()
})

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate without a key', async () => {
    const res = await h.request('/v1/containers', { key: null })
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="fargated"')
    expect((await problem(res, 401, 'unauthorized')).detail).toMatch(/Authorization: Bearer/)
  })

  it('answers 401 for an unknown key and for another scheme', async () => {
    await problem(await h.request('/v1/containers', { key: 'fgd_not-a-real-key' }), 401, 'unauthorized')
    await problem(await h.request('/v1/containers', { headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'unauthorized')
  })

  it('checks the key before anything else, also on unknown paths', async () => {
    await problem(await h.request('/v1/nothing-here', { key: null }), 401, 'unauthorized')
    const p = await problem(await h.request('/v1/nothing-here'), 404, 'not_found')
    expect(p.detail).toMatch(/\/v1\/docs/)
  })

  it('serves the OpenAPI document, the docs page and /healthz without a key', async () => {
    expect((await h.request('/v1/openapi.json', { key: null })).status).toBe(200)
    expect((await h.request('/v1/docs', { key: null })).status).toBe(200)
    expect((await h.request('/healthz', { key: null })).status).toBe(200)
  })
})

describe('scopes', () => {
  it('lets a read key read but not change', async () => {
    expect((await h.request('/v1/containers', { key: readKey })).status).toBe(200)
    expect((await h.request('/v1/containers/auth-web', { key: readKey })).status).toBe(200)
    expect((await h.request('/v1/usage', { key: readKey })).status).toBe(200)
    const p = await problem(await h.request('/v1/containers/auth-web/stop', { method: 'POST', key: readKey }), 403, 'forbidden')
    expect(p.detail).toMatch(/needs "write"/)
  })

  it('answers 403 before validating the body', async () => {
    await problem(await h.request('/v1/containers', { method: 'POST', key: readKey, json: { bogus: true } }), 403, 'forbidden')
  })

  it('lets a write key run containers but not manage keys', async () => {
    await json(await h.request('/v1/containers', { method: 'POST', key: writeKey, json: { image: 'busybox', start: false } }), 201)
    await problem(await h.request('/v1/keys', { key: writeKey }), 403, 'forbidden')
    await problem(await h.request('/v1/keys', { method: 'POST', key: writeKey, json: { scopes: ['read'] } }), 403, 'forbidden')
  })
})

describe('namespaces', () => {
  it("answers 404 for another namespace's container, by id, prefix or name", async () => {
    for (const ref of [web.id, web.shortId, 'auth-web']) {
      await problem(await h.request(`/v1/containers/${ref}`, { key: otherNsKey }), 404, 'not_found')
    }
    await problem(await h.request(`/v1/containers/${web.id}/stop`, { method: 'POST', key: otherNsKey }), 404, 'not_found')
    await problem(await h.request(`/v1/containers/${web.id}/logs`, { key: otherNsKey }), 404, 'not_found')
    await problem(await h.request(`/v1/containers/${web.id}`, { method: 'DELETE', key: otherNsKey }), 404, 'not_found')
    const after = await json<ContainerView>(await h.request(`/v1/containers/${web.id}`))
    expect(after.state.running).toBe(true)
  })

  it("lists and runs only in the key's own namespace", async () => {
    const mine = await json<ContainerView>(await h.request('/v1/containers', { method: 'POST', key: otherNsKey, json: { image: 'busybox', name: 'auth-web' } }), 201)
    expect(mine.namespace).toBe('team-b')
    expect(mine.id).not.toBe(web.id)
    const listed = await json<{ containers: ContainerView[] }>(await h.request('/v1/containers?all=true', { key: otherNsKey }))
    expect(listed.containers.map((c) => c.id)).toEqual([mine.id])
    const events = await (await h.request('/v1/events', { key: otherNsKey })).text()
    expect(events).toContain(mine.id)
    expect(events).not.toContain(web.id)
  })
})
