import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotFoundError } from '../../../shared/core/errors.js'
import type { ImageInfo } from '../../../shared/core/ports.js'
import { startApiHarness } from '../../support/api-harness.js'
import { FakeBackend } from '../../support/fake-backend.js'

const DIGEST = 'sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6'

/** The FakeBackend with the optional image writes, recording what it was asked. */
class ImageWritingBackend extends FakeBackend {
  readonly deletes: [string, string][] = []
  readonly tags: [string, string, string][] = []

  async deleteImage(namespace: string, ref: string): Promise<{ deleted: string[] }> {
    this.deletes.push([namespace, ref])
    if (ref.startsWith('missing')) throw new NotFoundError(`No such image: ${ref}`)
    return { deleted: [ref] }
  }

  async addImageTag(namespace: string, source: string, target: string): Promise<ImageInfo> {
    this.tags.push([namespace, source, target])
    return { id: DIGEST, repository: 'app', tags: ['1', 'stable'], digest: DIGEST, sizeBytes: 10 }
  }
}

let h: Awaited<ReturnType<typeof startApiHarness>>
let plain: Awaited<ReturnType<typeof startApiHarness>>
const backend = new ImageWritingBackend()

beforeAll(async () => {
  h = await startApiHarness({ backend })
  plain = await startApiHarness()
})
afterAll(async () => {
  await h.close()
  await plain.close()
})

describe('DELETE /v1/images/{ref}', () => {
  it('deletes by tag and by digest, with the ref URL-decoded and the caller\'s namespace', async () => {
    const res = await h.request(`/v1/images/${encodeURIComponent('team/app:1')}`, { method: 'DELETE' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ deleted: ['team/app:1'] })
    const byDigest = await h.request(`/v1/images/${encodeURIComponent(`app@${DIGEST}`)}`, { method: 'DELETE' })
    expect(byDigest.status).toBe(200)
    expect(backend.deletes).toEqual([
      ['default', 'team/app:1'],
      ['default', `app@${DIGEST}`],
    ])
  })

  it('answers 404 for an absent image', async () => {
    const res = await h.request(`/v1/images/${encodeURIComponent('missing:1')}`, { method: 'DELETE' })
    expect(res.status).toBe(404)
  })

  it('needs the write scope', async () => {
    const { secret } = await h.keys.create('default', ['read'], 'reader')
    const res = await h.request(`/v1/images/app%3A1`, { method: 'DELETE', key: secret })
    expect(res.status).toBe(403)
    expect(backend.deletes.some(([, ref]) => ref === 'app:1')).toBe(false)
  })

  it('answers 501 when the backend cannot delete images', async () => {
    const res = await plain.request(`/v1/images/app%3A1`, { method: 'DELETE' })
    expect(res.status).toBe(501)
    expect(res.headers.get('content-type')).toContain('problem+json')
  })
})

describe('POST /v1/images/tag', () => {
  it('tags and answers 201 with the image', async () => {
    const res = await h.request('/v1/images/tag', { method: 'POST', json: { source: 'app:1', target: 'app:stable' } })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({
      source: 'app:1',
      target: 'app:stable',
      image: { id: DIGEST, repository: 'app', tags: ['1', 'stable'], digest: DIGEST, sizeBytes: 10 },
    })
    expect(backend.tags).toEqual([['default', 'app:1', 'app:stable']])
  })

  it('answers 400 without a target', async () => {
    const res = await h.request('/v1/images/tag', { method: 'POST', json: { source: 'app:1' } })
    expect(res.status).toBe(400)
  })

  it('answers 501 when the backend cannot tag images', async () => {
    const res = await plain.request('/v1/images/tag', { method: 'POST', json: { source: 'app:1', target: 'app:2' } })
    expect(res.status).toBe(501)
  })
})
