import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dockerCreate, startDockerHarness } from './docker-harness.js'

let h: Awaited<ReturnType<typeof startDockerHarness>>
beforeAll(async () => {
  h = await startDockerHarness()
})
afterAll(async () => h.close())

describe('/_ping', () => {
  it.each(['GET', 'HEAD'])('answers %s without a key, with the version headers the CLI negotiates from', async (method) => {
    const res = await h.request('/_ping', { method, key: null })
    expect(res.status).toBe(200)
    expect(res.headers.get('api-version')).toBe('1.44')
    expect(res.headers.get('docker-experimental')).toBe('false')
    expect(res.headers.get('ostype')).toBe('linux')
    expect(res.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate')
    expect(res.headers.get('pragma')).toBe('no-cache')
    expect(res.headers.get('server')).toBe('fargated/test')
    expect(await res.text()).toBe(method === 'GET' ? 'OK' : '')
  })

  it('also answers with a version prefix', async () => {
    const res = await h.request('/v1.44/_ping', { key: null })
    expect(res.status).toBe(200)
  })
})

describe('authentication', () => {
  it('refuses a missing key with 401, exact application/json and the config.json hint', async () => {
    const res = await h.request('/v1.44/containers/json', { key: null })
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/json')
    const body = (await res.json()) as { message: string }
    expect(body.message).toContain('"HttpHeaders": {"Authorization": "Bearer <key>"}')
    expect(body.message).toContain('$DOCKER_CONFIG/config.json')
  })

  it('refuses a wrong key with 401', async () => {
    const res = await h.request('/v1.44/info', { key: 'fgd_wrong' })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { message: string }).message).toMatch(/invalid API key/)
  })

  it('lets a read key list but not create (403)', async () => {
    const { secret } = await h.keys.create('default', ['read'])
    expect((await h.request('/v1.44/containers/json', { key: secret })).status).toBe(200)
    const create = await h.request('/v1.44/containers/create', { method: 'POST', key: secret, json: { Image: 'busybox' } })
    expect(create.status).toBe(403)
    expect(create.headers.get('content-type')).toBe('application/json')
  })

  it('lets a read key wait on a container (a POST that only reads)', async () => {
    const id = await dockerCreate(h, 'read-wait')
    const { secret } = await h.keys.create('default', ['read'])
    const res = await h.request(`/v1.44/containers/${id}/wait`, { method: 'POST', key: secret })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ StatusCode: 0, Error: null })
  })

  it('keeps namespaces apart: a key of another namespace gets 404', async () => {
    const id = await dockerCreate(h, 'ns-private')
    const { secret } = await h.keys.create('other', ['admin'])
    const res = await h.request(`/v1.44/containers/${id}/json`, { key: secret })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ message: `No such container: ${id}` })
  })
})

describe('errors and unknown routes', () => {
  it('answers an unknown path with 404 JSON', async () => {
    const res = await h.request('/v1.44/swarm')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toBe('application/json')
    expect(((await res.json()) as { message: string }).message).toMatch(/page not found/)
  })

  it('answers invalid JSON in a body with 400, not 500', async () => {
    const res = await h.request('/v1.44/containers/create', { method: 'POST', body: '{"Image":', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { message: string }).message).toMatch(/invalid JSON/)
  })

  it('answers a malformed filters parameter with 400', async () => {
    const res = await h.request('/v1.44/containers/json?filters=%7Bnope')
    expect(res.status).toBe(400)
  })

  it('adds the engine headers to every Docker response, errors included', async () => {
    const res = await h.request('/v1.44/containers/nope/json')
    expect(res.status).toBe(404)
    expect(res.headers.get('api-version')).toBe('1.44')
  })

  it('leaves the native surface alone', async () => {
    const res = await h.request('/healthz', { key: null })
    expect(res.status).toBe(200)
    expect(res.headers.get('api-version')).toBeNull()
  })
})

describe('version and info', () => {
  it('GET /version names fargated and the API versions', async () => {
    const body = (await (await h.request('/v1.44/version')).json()) as Record<string, unknown>
    expect(body).toMatchObject({ Version: 'test', ApiVersion: '1.44', MinAPIVersion: '1.24', Os: 'linux', Arch: 'amd64' })
    expect(body.Components).toEqual([expect.objectContaining({ Name: 'fargated', Version: 'test' })])
  })

  it('GET /info counts containers by state and names the backend', async () => {
    const res = await h.request('/v1.44/info')
    const info = (await res.json()) as Record<string, unknown>
    const all = await h.store.listContainers('default')
    const running = all.filter((c) => c.state.running).length
    expect(info).toMatchObject({
      Name: 'fargated',
      ServerVersion: 'test',
      OSType: 'linux',
      Containers: all.length,
      ContainersRunning: running,
      ContainersPaused: 0,
      ContainersStopped: all.length - running,
      Images: 1,
      Swarm: { LocalNodeState: 'inactive' },
    })
    expect(info.OperatingSystem).toBe('fargated (AWS ECS Fargate)')
    expect(info.Fargated).toMatchObject({ namespace: 'default', backendKind: 'ecs', backend: { kind: 'fake' } })
    expect(info.Labels).toContain('fargated.backend.kind=fake')
  })
})
