import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BackendError, NotFoundError } from '../../../shared/core/errors.js'
import { FakeBackend } from '../../support/fake-backend.js'
import { decodeRegistryAuth, pullReference } from '../../../shared/api/docker/images-pull-push.js'
import { startDockerHarness } from './docker-harness.js'

type Json = Record<string, unknown>
const DIGEST = 'sha256:' + 'b'.repeat(64)
const lines = (text: string) => text.split(/\r?\n/).filter(Boolean).map((l) => JSON.parse(l) as Json)

describe('images on ECS (listImages only)', () => {
  let h: Awaited<ReturnType<typeof startDockerHarness>>
  beforeAll(async () => {
    h = await startDockerHarness()
  })
  afterAll(async () => h.close())

  it('GET /images/json: int Created and Size, RepoTags, RepoDigests', async () => {
    const list = (await (await h.request('/v1.44/images/json')).json()) as Json[]
    expect(list).toEqual([
      { Id: DIGEST, ParentId: '', RepoTags: ['busybox:latest'], RepoDigests: [`busybox@${DIGEST}`], Created: Date.parse('2026-01-01T00:00:00Z') / 1000, Size: 1234, SharedSize: -1, Labels: null, Containers: -1 },
    ])
  })

  it('filters by reference (a glob on the familiar name)', async () => {
    const count = async (ref: string) => ((await (await h.request(`/v1.44/images/json?filters=${encodeURIComponent(JSON.stringify({ reference: { [ref]: true } }))}`)).json()) as Json[]).length
    expect(await count('busybox')).toBe(1)
    expect(await count('docker.io/library/busybox')).toBe(1)
    expect(await count('busy*')).toBe(1)
    expect(await count('busybox:lat*')).toBe(1)
    expect(await count('busybox:1')).toBe(0)
    expect(await count('nginx')).toBe(0)
  })

  it('GET /images/{name}/json matches slashes and colons greedily; Created is a string', async () => {
    for (const name of ['busybox', 'busybox:latest', 'docker.io/library/busybox:latest', DIGEST, 'bbbbbbbbbbbb']) {
      const res = await h.request(`/v1.44/images/${name}/json`)
      expect(res.status, name).toBe(200)
      const body = (await res.json()) as Json
      expect(body).toMatchObject({ Id: DIGEST, RepoTags: ['busybox:latest'], Created: '2026-01-01T00:00:00Z', Size: 1234, Os: 'linux', Architecture: 'amd64', Config: expect.any(Object) })
    }
    const missing = await h.request('/v1.44/images/localhost:5000/nope:1/json')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ message: 'No such image: localhost:5000/nope:1' })
  })

  it('tag and rmi are 501 with the ECR hint for a known image, 404 for an unknown one', async () => {
    const tag = await h.request('/v1.44/images/busybox:latest/tag?repo=docker.io%2Flibrary%2Fx&tag=1', { method: 'POST' })
    expect(tag.status).toBe(501)
    expect(((await tag.json()) as { message: string }).message).toMatch(/ECR/)
    expect((await h.request('/v1.44/images/nope/tag?repo=x&tag=1', { method: 'POST' })).status).toBe(404)
    expect((await h.request('/v1.44/images/busybox:latest', { method: 'DELETE' })).status).toBe(501)
    expect((await h.request('/v1.44/images/localhost:5000/nope:1', { method: 'DELETE' })).status).toBe(404)
  })

  it('pull of an image the runtime resolves succeeds with a status line', async () => {
    const res = await h.request('/v1.44/images/create?fromImage=docker.io%2Flibrary%2Fbusybox&tag=latest', { method: 'POST', headers: { 'x-registry-auth': 'e30=' } })
    expect(res.status).toBe(200)
    const out = lines(await res.text())
    expect(out.some((l) => 'error' in l)).toBe(false)
    expect(String(out.at(-1)?.status)).toMatch(/Fargate pulls it when a container starts/)
  })

  it('pull of an image that is not there is an in-stream error with the push hint', async () => {
    const res = await h.request('/v1.44/images/create?fromImage=missing%2Fapp&tag=1', { method: 'POST' })
    expect(res.status).toBe(200)
    const last = lines(await res.text()).at(-1)!
    expect(last.error).toMatch(/missing\/app:1 was not found/)
    expect(last.error).toMatch(/POST \/v1\/registry\/credentials/)
    expect(last.errorDetail).toEqual({ message: last.error })
  })

  it('push is an in-stream error pointing at the registry credentials', async () => {
    const res = await h.request('/v1.44/images/docker.io/someuser/repo/push?tag=tag1', { method: 'POST', headers: { 'x-registry-auth': 'e30=' } })
    expect(res.status).toBe(200)
    const out = lines(await res.text())
    expect(out[0]).toEqual({ status: 'The push refers to repository [docker.io/someuser/repo]' })
    expect(out[1].error).toMatch(/POST \/v1\/registry\/credentials/)
  })

  it('POST /auth answers Login Succeeded for a valid key; a bad body is 400', async () => {
    const ok = await h.request('/v1.44/auth', { method: 'POST', json: { username: 'AWS', password: 'x', serveraddress: '123.dkr.ecr.us-east-1.amazonaws.com' } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ Status: 'Login Succeeded', IdentityToken: '' })
    expect((await h.request('/v1.44/auth', { method: 'POST', body: '' })).status).toBe(400)
    expect((await h.request('/v1.44/auth', { method: 'POST', key: null, json: {} })).status).toBe(401)
  })
})

/** A FakeBackend with the DockerBackend's image operations. */
class ImageBackend extends FakeBackend {
  readonly ops: unknown[][] = []
  pullPlan: 'ok' | 'missing' | 'fails-midway' = 'ok'

  async inspectImage(ref: string): Promise<Json> {
    this.ops.push(['inspect', ref])
    if (ref.startsWith('nope')) throw new NotFoundError(`No such image: ${ref}`)
    return { Id: DIGEST, RepoTags: [ref], Created: '2026-01-02T03:04:05.123456789Z', Size: 9, Os: 'linux', Architecture: 'arm64', Config: {} }
  }
  async tagImage(source: string, repo: string, tag: string): Promise<void> {
    this.ops.push(['tag', source, repo, tag])
  }
  async removeImage(ref: string, options: { force?: boolean; noprune?: boolean }): Promise<Json[]> {
    this.ops.push(['remove', ref, options])
    return [{ Untagged: ref }, { Deleted: DIGEST }]
  }
  async pullImage(ref: string, options: { auth?: unknown; platform?: string; onProgress?: (e: Json) => void }): Promise<void> {
    this.ops.push(['pull', ref, options.auth, options.platform])
    if (this.pullPlan === 'missing') throw new NotFoundError(`manifest for ${ref} not found: manifest unknown`)
    options.onProgress?.({ status: 'Pulling from busybox', id: '1' })
    await new Promise((r) => setTimeout(r, 5))
    if (this.pullPlan === 'fails-midway') throw new BackendError(`could not pull ${ref}: connection reset`)
    options.onProgress?.({ status: `Status: Downloaded newer image for ${ref}` })
  }
}

describe('images on the local engine (DockerBackend-like operations)', () => {
  const backend = new ImageBackend()
  let h: Awaited<ReturnType<typeof startDockerHarness>>
  beforeAll(async () => {
    h = await startDockerHarness({ kind: 'docker', backend })
  })
  afterAll(async () => h.close())

  it('passes inspect through (404 stays a 404)', async () => {
    const body = (await (await h.request('/v1.44/images/local/busybox:1/json')).json()) as Json
    expect(body).toMatchObject({ Id: DIGEST, RepoTags: ['local/busybox:1'], Architecture: 'arm64' })
    expect((await h.request('/v1.44/images/nope:1/json')).status).toBe(404)
  })

  it('tags (201, empty body) and removes (the engine\'s report)', async () => {
    const tag = await h.request('/v1.44/images/local/busybox:1/tag?repo=localhost%3A5000%2Fbusybox&tag=1', { method: 'POST' })
    expect(tag.status).toBe(201)
    expect(await tag.text()).toBe('')
    expect(backend.ops).toContainEqual(['tag', 'local/busybox:1', 'localhost:5000/busybox', '1'])
    const rmi = await h.request('/v1.44/images/localhost:5000/busybox:1?force=1&noprune=1', { method: 'DELETE' })
    expect(await rmi.json()).toEqual([{ Untagged: 'localhost:5000/busybox:1' }, { Deleted: DIGEST }])
    expect(backend.ops).toContainEqual(['remove', 'localhost:5000/busybox:1', { force: true, noprune: true }])
  })

  it('pulls with progress lines, the decoded credentials and the platform', async () => {
    backend.pullPlan = 'ok'
    const auth = Buffer.from(JSON.stringify({ username: 'u', password: 'p', serveraddress: 'localhost:5000' })).toString('base64url')
    const res = await h.request('/v1.44/images/create?fromImage=localhost%3A5000%2Fbusybox&tag=1&platform=linux%2Farm64', { method: 'POST', headers: { 'x-registry-auth': auth } })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text.endsWith('\r\n')).toBe(true)
    expect(lines(text)).toEqual([{ status: 'Pulling from busybox', id: '1' }, { status: 'Status: Downloaded newer image for localhost:5000/busybox:1' }])
    expect(backend.ops).toContainEqual(['pull', 'localhost:5000/busybox:1', { username: 'u', password: 'p', serveraddress: 'localhost:5000' }, 'linux/arm64'])
  })

  it('a pull that fails before any progress is a JSON 404; one that fails later an in-stream error', async () => {
    backend.pullPlan = 'missing'
    const missing = await h.request('/v1.44/images/create?fromImage=localhost%3A5000%2Fbusybox&tag=nope', { method: 'POST' })
    expect(missing.status).toBe(404)
    expect(((await missing.json()) as { message: string }).message).toMatch(/manifest unknown/)
    backend.pullPlan = 'fails-midway'
    const midway = await h.request('/v1.44/images/create?fromImage=busybox&tag=latest', { method: 'POST' })
    expect(midway.status).toBe(200)
    expect(lines(await midway.text()).at(-1)).toEqual({ errorDetail: { message: 'could not pull busybox:latest: connection reset' }, error: 'could not pull busybox:latest: connection reset' })
  })

  it('push in local mode says the engine\'s images are already usable', async () => {
    const res = await h.request('/v1.44/images/localhost:5000/busybox/push?tag=1', { method: 'POST' })
    expect(lines(await res.text())[1].error).toMatch(/already usable/)
  })
})

describe('helpers', () => {
  it('decodes X-Registry-Auth in both base64 alphabets; {} is anonymous', () => {
    expect(decodeRegistryAuth('e30=')).toBeUndefined()
    expect(decodeRegistryAuth(Buffer.from('{"username":"a?>","password":"b"}').toString('base64'))).toEqual({ username: 'a?>', password: 'b' })
    expect(decodeRegistryAuth(Buffer.from('{"username":"a?>","password":"b"}').toString('base64url'))).toEqual({ username: 'a?>', password: 'b' })
    expect(decodeRegistryAuth(Buffer.from('{"identitytoken":"tok","serveraddress":"r"}').toString('base64'))).toEqual({ identitytoken: 'tok', serveraddress: 'r' })
    expect(decodeRegistryAuth('!!!')).toBeUndefined()
  })

  it('pullReference puts a digest after @', () => {
    expect(pullReference('busybox', 'latest')).toBe('busybox:latest')
    expect(pullReference('busybox', 'sha256:' + 'a'.repeat(64))).toBe(`busybox@sha256:${'a'.repeat(64)}`)
  })
})
