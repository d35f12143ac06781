import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApiHarness } from '../../support/api-harness.js'
import { FakeBackend } from '../../support/fake-backend.js'

/** A backend with the port's image writes (as EcsBackend has), without engine-style tag/rmi. */
class WritableImages extends FakeBackend {
  readonly tagged: [string, string, string][] = []
  readonly deleted: [string, string][] = []
  async addImageTag(namespace: string, source: string, target: string): Promise<void> {
    this.tagged.push([namespace, source, target])
  }
  async deleteImage(namespace: string, ref: string): Promise<{ deleted: string[] }> {
    this.deleted.push([namespace, ref])
    return { deleted: [ref] }
  }
}

let h: Awaited<ReturnType<typeof startApiHarness>>
const backend = new WritableImages()
beforeAll(async () => { h = await startApiHarness({ backend }) })
afterAll(async () => { await h.close() })

describe('docker tag / rmi on a backend with port image writes (ECS)', () => {
  it('tags within the namespace, stripping the CLI\'s Docker Hub normalization', async () => {
    const res = await h.request('/v1.44/images/app:1/tag?repo=docker.io/library/app&tag=2', { method: 'POST' })
    expect(res.status).toBe(201)
    expect(backend.tagged).toEqual([['default', 'app:1', 'app:2']])
  })

  it('deletes by tag and by digest, in Docker\'s report shape', async () => {
    const byTag = await h.request('/v1.44/images/app:2', { method: 'DELETE' })
    expect(await byTag.json()).toEqual([{ Untagged: 'app:2' }])
    const digest = `app@sha256:${'a'.repeat(64)}`
    const byDigest = await h.request(`/v1.44/images/${digest}`, { method: 'DELETE' })
    expect(await byDigest.json()).toEqual([{ Deleted: digest }])
    expect(backend.deleted).toEqual([['default', 'app:2'], ['default', digest]])
  })
})
