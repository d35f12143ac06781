import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { ProblemSchema } from '../../../shared/api/v1/problem.js'
import { BackendError, EngineUnavailableError, ThrottledError, UnsupportedError } from '../../../shared/core/errors.js'
import type { FakeBackend } from '../../support/fake-backend.js'
import { ROOT_KEY } from '../../support/api-harness.js'
import { json, problem, startV1, type V1Harness } from './v1-harness.js'

let h: V1Harness
let backend: FakeBackend
let original: FakeBackend['listImages']
beforeAll(async () => {
  h = await startV1()
  backend = h.backend as FakeBackend
  original = backend.listImages
})
afterEach(() => {
  backend.listImages = original
  vi.restoreAllMocks()
})
afterAll(async () => {
  await h?.close()
})

describe('GET /v1/images', () => {
  it("lists the runtime's images for the namespace", async () => {
    const { images } = await json<{ images: { repository: string; tags: string[]; digest?: string }[] }>(await h.request('/v1/images'))
    expect(images).toEqual([expect.objectContaining({ repository: 'busybox', tags: ['latest'], digest: expect.stringMatching(/^sha256:/) })])
  })
})

describe('error mapping', () => {
  it.each([
    [new ThrottledError('Rate exceeded'), 429, 'throttled'],
    [new UnsupportedError('ECS cannot list images here'), 501, 'unsupported'],
    [new EngineUnavailableError('no engine'), 503, 'engine_unavailable'],
  ])('maps %s to its status and stable code', async (err, status, code) => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    backend.listImages = async () => {
      throw err
    }
    const p = await problem(await h.request('/v1/images'), status, code)
    expect(p.detail).toBe(err.message)
    expect(ProblemSchema.safeParse(p).success).toBe(true)
  })

  it('answers an unexpected error with a 500 problem carrying the request id, logged without the key', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    backend.listImages = async () => {
      throw new TypeError('cannot read properties of undefined')
    }
    const res = await h.request('/v1/images', { headers: { 'x-request-id': 'req-123' } })
    expect(res.headers.get('x-request-id')).toBe('req-123')
    const p = await problem(res, 500, 'internal')
    expect(p.requestId).toBe('req-123')
    expect(p.detail).toMatch(/req-123/)
    expect(p.detail).not.toMatch(/cannot read/)
    expect(logged).toHaveBeenCalledTimes(1)
    const line = String(logged.mock.calls[0][0])
    expect(line).toContain('req-123')
    expect(line).toContain('cannot read properties')
    expect(line).not.toContain(ROOT_KEY)
    expect(line.toLowerCase()).not.toContain('authorization')
  })

  it('logs runtime failures (5xx) with their code, without the key', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    backend.listImages = async () => {
      throw new BackendError('DescribeRepositories failed: AccessDeniedException')
    }
    await problem(await h.request('/v1/images'), 502, 'backend')
    expect(logged).toHaveBeenCalledTimes(1)
    const line = JSON.parse(String(logged.mock.calls[0][0])) as { msg: string; path: string; error: { code: string } }
    expect(line).toMatchObject({ msg: 'runtime error', path: '/v1/images', error: { code: 'backend' } })
    expect(JSON.stringify(line)).not.toContain(ROOT_KEY)
  })

  it('gives every response a request id', async () => {
    const res = await h.request('/v1/containers')
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})
