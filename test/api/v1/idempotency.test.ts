import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerView } from '../../../shared/api/v1/container-view.js'
import { BackendError, ThrottledError } from '../../../shared/core/errors.js'
import type { FakeBackend } from '../../support/fake-backend.js'
import { json, problem, startV1, type V1Harness } from './v1-harness.js'

let h: V1Harness
let backend: FakeBackend
beforeAll(async () => {
  h = await startV1()
  backend = h.backend as FakeBackend
})
afterAll(async () => {
  await h?.close()
})

const post = (body: unknown, key: string) => h.request('/v1/containers', { method: 'POST', json: body, headers: { 'idempotency-key': key } })

/** Tasks the fake runtime started for a container. */
const tasksOf = (id: string) => [...backend.tasks.values()].filter((t) => t.input.container.id === id)

describe('Idempotency-Key on POST /v1/containers', () => {
  it('100 concurrent requests with one key make one container and one task', async () => {
    const body = { image: 'busybox', cmd: ['sleep', '1'], labels: { batch: 'concurrent' } }
    const starts = backend.count('startRun')
    const responses = await Promise.all(Array.from({ length: 100 }, () => post(body, 'concurrent-1')))
    const views = await Promise.all(responses.map((r) => json<ContainerView>(r, 201)))
    const ids = new Set(views.map((v) => v.id))
    expect(ids.size).toBe(1)
    const [id] = ids
    expect(backend.count('startRun') - starts).toBe(1)
    expect(tasksOf(id)).toHaveLength(1)
    const listed = await json<{ containers: ContainerView[] }>(await h.request('/v1/containers?all=true&label=batch=concurrent'))
    expect(listed.containers.map((c) => c.id)).toEqual([id])
    const final = await json<ContainerView>(await h.request(`/v1/containers/${id}`))
    expect(final).toMatchObject({ runNumber: 1, state: { running: true } })
  })

  it('replays a finished request: same container, no new task', async () => {
    const body = { image: 'busybox', name: 'replayed' }
    const first = await json<ContainerView>(await post(body, 'replay-1'), 201)
    const starts = backend.count('startRun')
    const second = await json<ContainerView>(await post(body, 'replay-1'), 201)
    expect(second.id).toBe(first.id)
    expect(backend.count('startRun')).toBe(starts)
  })

  it('answers 409 for the same key with another body', async () => {
    await json(await post({ image: 'busybox' }, 'reused-1'), 201)
    const p = await problem(await post({ image: 'busybox', cmd: ['other'] }, 'reused-1'), 409, 'conflict')
    expect(p.detail).toMatch(/different request body/)
  })

  it('after a throttled start, a retry with the same key starts exactly one task', async () => {
    const body = { image: 'busybox', name: 'throttled-once' }
    backend.failNextStarts = [new ThrottledError('Rate exceeded')]
    await problem(await post(body, 'throttle-1'), 429, 'throttled')
    const retried = await json<ContainerView>(await post(body, 'throttle-1'), 201)
    expect(retried.name).toBe('throttled-once')
    expect(retried.state.running).toBe(true)
    expect(tasksOf(retried.id)).toHaveLength(1)
    const again = await json<ContainerView>(await post(body, 'throttle-1'), 201)
    expect(again.id).toBe(retried.id)
    expect(tasksOf(retried.id)).toHaveLength(1)
    const all = await json<{ containers: ContainerView[] }>(await h.request('/v1/containers?all=true&name=^throttled-once$'))
    expect(all.containers).toHaveLength(1)
    const { runs } = await json<{ runs: { number: number; ref?: string }[] }>(await h.request(`/v1/containers/${retried.id}/runs`))
    expect(runs.filter((r) => r.ref)).toHaveLength(1)
  })

  it('after a definitive runtime failure, the container exists and a retry reports it consistently', async () => {
    const body = { image: 'busybox', name: 'failed-start' }
    backend.failNextStarts = [new BackendError('RunTask failed: RESOURCE:ENI')]
    await problem(await post(body, 'fail-1'), 502, 'backend')
    const view = await json<ContainerView>(await h.request('/v1/containers/failed-start'))
    expect(view.state.running).toBe(false)
    expect(view.state.error).toMatch(/RESOURCE:ENI/)
    const retried = await json<ContainerView>(await post(body, 'fail-1'), 201)
    expect(retried.id).toBe(view.id)
    expect(tasksOf(view.id).length).toBeLessThanOrEqual(1)
  })

  it('answers 400 for a malformed key', async () => {
    const p = await problem(await post({ image: 'busybox' }, 'has spaces'), 400, 'invalid_request')
    expect(p.errors?.[0]).toMatchObject({ in: 'header', field: 'idempotency-key' })
  })
})
