import { ROOT_KEY } from '../../support/api-harness.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RegistryCredentialsProvider } from '../../../shared/core/images/registry-credentials.js'
import { startHooksHarness, type HooksHarness } from './hooks-harness.js'

let h: HooksHarness
let bare: HooksHarness
const issued: { namespace: string; repositories?: string[] }[] = []
const provider: RegistryCredentialsProvider = {
  async issue(namespace, options) {
    issued.push({ namespace, repositories: options?.repositories })
    return { serverAddress: 'reg.example', username: 'AWS', password: 'pw', expiresAt: '2030-01-01T00:00:00.000Z', repositoryPrefix: `reg.example/fargated/${namespace}` }
  },
}

beforeAll(async () => {
  h = await startHooksHarness({ registryCredentials: provider })
  bare = await startHooksHarness()
})
afterAll(async () => {
  await h.close()
  await bare.close()
})

const digest = `sha256:${'c'.repeat(64)}`
const envelope = (repository: string, tag: string) => ({
  events: [{ id: 'e', action: 'push', target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1, length: 1, repository, url: 'x', tag }, request: { host: '127.0.0.1:5000' } }],
})

describe('/v1/registry', () => {
  it("issues credentials for the caller's namespace with a write key", async () => {
    const key = await h.keyFor('team-r')
    const res = await h.request('/v1/registry/credentials', { method: 'POST', key, json: { repositories: ['app'] } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ username: 'AWS', repositoryPrefix: 'reg.example/fargated/team-r' })
    expect((await h.request('/v1/registry/credentials', { method: 'POST', key })).status).toBe(200)
    expect(issued).toEqual([{ namespace: 'team-r', repositories: ['app'] }, { namespace: 'team-r', repositories: undefined }])
    const reader = await h.keyFor('team-r', ['read'])
    expect((await h.request('/v1/registry/credentials', { method: 'POST', key: reader })).status).toBe(403)
    expect((await h.request('/v1/registry/credentials', { method: 'POST', key, json: { repositories: ['Bad Name'] } })).status).toBe(400)
  })

  it('answers 501 where no registry issues credentials (local mode)', async () => {
    const res = await bare.request('/v1/registry/credentials', { method: 'POST', key: await bare.keyFor('x') })
    expect(res.status).toBe(501)
  })

  it('takes registry notifications (root key, local mode): a tagged push starts the rollout of tracking containers, once', async () => {
    const tenant = await h.keyFor('team-r')
    const refused = await h.request('/v1/registry/notifications', { method: 'POST', key: tenant, body: '{}' })
    expect(refused.status).toBe(403)
    const key = ROOT_KEY
    const c = await h.containers.run('team-r', { spec: { image: 'localhost:5000/web:latest', track: 'true' } })
    const post = () => h.request('/v1/registry/notifications', {
      method: 'POST', key, body: JSON.stringify(envelope('web', 'latest')), headers: { 'content-type': 'application/vnd.docker.distribution.events.v2+json' },
    })
    const res = await post()
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({
      pushes: [{ repository: 'localhost:5000/web', tag: 'latest', digest }],
      rollouts: [expect.objectContaining({ containerId: c.id, outcome: 'started' })],
    })
    expect(await (await post()).json()).toMatchObject({ rollouts: [] })
    await h.rollouts.advanceAll()
    expect(await h.store.getContainer('team-r', c.id)).toMatchObject({ runNumber: 2, imageDigest: digest })
    const bad = await h.request('/v1/registry/notifications', { method: 'POST', key, body: 'nope' })
    expect(bad.status).toBe(400)
  })
})
