import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerView } from '../../../shared/api/v1/container-view.js'
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

const list = async (query = '') => (await json<{ containers: ContainerView[] }>(await h.request(`/v1/containers${query}`))).containers

describe('POST /v1/containers', () => {
  it('creates and starts a container and answers 201 with the view', async () => {
    const before = backend.count('startRun')
    const c = await h.run({ image: 'busybox', name: 'create-web', cmd: ['sleep', '60'], labels: { team: 'a' }, idle: { after: '15m' } })
    expect(c.id).toMatch(/^[0-9a-f]{64}$/)
    expect(c.shortId).toBe(c.id.slice(0, 12))
    expect(c).toMatchObject({ name: 'create-web', namespace: 'default', image: 'busybox', runNumber: 1, restartCount: 0 })
    expect(c.imageDigest).toMatch(/^sha256:/)
    expect(c.state).toMatchObject({ status: 'running', running: true, exitCode: null, oomKilled: false })
    expect(c.spec).toMatchObject({ image: 'busybox', cmd: ['sleep', '60'], stopTimeout: 10, restartPolicy: { name: 'no' }, idle: { after: 900 } })
    expect(c.size).toEqual({ cpu: 256, memory: 512, vcpu: 0.25 })
    expect(c.run).toMatchObject({ number: 1, lastStatus: 'RUNNING', capacity: 'on-demand' })
    expect(c.run?.taskArn).toMatch(/^arn:aws:ecs:/)
    expect(c.run?.ref).toBe(c.run?.taskArn)
    expect(backend.count('startRun')).toBe(before + 1)
  })

  it('only creates with start=false', async () => {
    const before = backend.count('startRun')
    const c = await h.run({ image: 'busybox', name: 'create-only', start: false })
    expect(c.state).toMatchObject({ status: 'created', running: false })
    expect(c.runNumber).toBe(0)
    expect(c.run).toBeUndefined()
    expect(backend.count('startRun')).toBe(before)
  })

  it('rounds cpu and memory up to the cheapest Fargate size', async () => {
    const c = await h.run({ image: 'busybox', cpu: 1, memory: 3000, start: false })
    expect(c.size).toEqual({ cpu: 1024, memory: 3072, vcpu: 1 })
  })

  it('answers 409 for a name in use', async () => {
    await h.run({ image: 'busybox', name: 'taken', start: false })
    const p = await problem(await h.request('/v1/containers', { method: 'POST', json: { image: 'busybox', name: 'taken' } }), 409, 'conflict')
    expect(p.instance).toBe('/v1/containers')
  })

  it('lists each invalid field with what to fix', async () => {
    const p = await problem(
      await h.request('/v1/containers', { method: 'POST', json: { image: 'busybox', bogus: 1, cpu: -1, idle: { after: 'soon' } } }),
      400,
      'invalid_spec',
    )
    const fields = p.errors?.map((e) => e.field).sort()
    expect(fields).toEqual(['bogus', 'cpu', 'idle.after'])
    expect(p.errors?.find((e) => e.field === 'bogus')?.message).toMatch(/unknown field "bogus"/)
    expect(p.errors?.find((e) => e.field === 'idle.after')?.message).toMatch(/duration such as 90s/)
    expect(p.detail).toMatch(/^invalid request body: /)
  })

  it('requires an image', async () => {
    const p = await problem(await h.request('/v1/containers', { method: 'POST', json: { name: 'x' } }), 400, 'invalid_spec')
    expect(p.errors?.[0]).toMatchObject({ in: 'body', field: 'image' })
  })

  it('rejects an invalid name and an invalid image reference as invalid_spec', async () => {
    await problem(await h.request('/v1/containers', { method: 'POST', json: { image: 'busybox', name: 'bad name!' } }), 400, 'invalid_spec')
    await problem(await h.request('/v1/containers', { method: 'POST', json: { image: 'Bad Image::' } }), 400, 'invalid_spec')
  })

  it('answers 400 for malformed JSON and 415 without a JSON content type', async () => {
    const bad = await h.request('/v1/containers', { method: 'POST', body: '{"image":', headers: { 'content-type': 'application/json' } })
    expect((await problem(bad, 400, 'invalid_request')).detail).toMatch(/Malformed JSON/)
    await problem(await h.request('/v1/containers', { method: 'POST', body: '{"image":"busybox"}', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type')
  })

  it('answers 413 for a body over the limit', async () => {
    const big = { image: 'busybox', env: { BIG: 'x'.repeat(300 * 1024) } }
    const p = await problem(await h.request('/v1/containers', { method: 'POST', json: big }), 413, 'payload_too_large')
    expect(p.detail).toMatch(/larger than 262144 bytes/)
  })

  it('passes runtime errors through as problems (unknown image: 404)', async () => {
    await problem(await h.request('/v1/containers', { method: 'POST', json: { image: 'missing-image:1' } }), 404, 'not_found')
  })
})

describe('GET /v1/containers', () => {
  beforeAll(async () => {
    await h.run({ image: 'busybox', name: 'list-a', labels: { tier: 'web', app: 'shop' } })
    await h.run({ image: 'busybox', name: 'list-b', labels: { tier: 'db' }, start: false })
  })

  it('lists running containers by default and all with all=true', async () => {
    const running = await list()
    expect(running.every((c) => c.state.running)).toBe(true)
    expect(running.map((c) => c.name)).toContain('list-a')
    expect(running.map((c) => c.name)).not.toContain('list-b')
    expect((await list('?all=true')).map((c) => c.name)).toEqual(expect.arrayContaining(['list-a', 'list-b']))
  })

  it('filters by label (key or key=value, repeatable), status, name and id', async () => {
    expect((await list('?all=1&label=tier=web')).map((c) => c.name)).toEqual(['list-a'])
    expect((await list('?all=1&label=tier&label=app=shop')).map((c) => c.name)).toEqual(['list-a'])
    expect((await list('?all=1&label=tier')).map((c) => c.name).sort()).toEqual(['list-a', 'list-b'])
    expect((await list('?status=created&name=list-')).map((c) => c.name)).toEqual(['list-b'])
    expect((await list('?status=created&status=running&name=^list-')).map((c) => c.name).sort()).toEqual(['list-a', 'list-b'])
    const [a] = await list('?name=list-a')
    expect((await list(`?all=1&id=${a.id.slice(0, 10)}`)).map((c) => c.id)).toEqual([a.id])
  })

  it('returns the newest first and honours limit', async () => {
    const [newest] = await list('?limit=1')
    const all = await list('?all=true')
    expect(newest.id).toBe(all[0].id)
    expect(all.map((c) => c.createdAt)).toEqual([...all.map((c) => c.createdAt)].sort().reverse())
  })

  it('answers 400 for bad query values', async () => {
    const p = await problem(await h.request('/v1/containers?limit=abc'), 400, 'invalid_request')
    expect(p.errors?.[0]).toMatchObject({ in: 'query', field: 'limit' })
    await problem(await h.request('/v1/containers?limit=0'), 400, 'invalid_request')
    await problem(await h.request('/v1/containers?all=maybe'), 400, 'invalid_request')
    expect((await problem(await h.request('/v1/containers?status=paused-ish'), 400, 'invalid_request')).detail).toMatch(/status=paused-ish/)
  })
})

describe('GET /v1/containers/{id}', () => {
  it('finds a container by id, short id, unique prefix and name, with its run', async () => {
    const c = await h.run({ image: 'busybox', name: 'inspect-me' })
    for (const ref of [c.id, c.shortId, c.id.slice(0, 20), 'inspect-me', '%2Finspect-me']) {
      const got = await json<ContainerView>(await h.request(`/v1/containers/${ref}`))
      expect(got.id).toBe(c.id)
      expect(got.run?.number).toBe(1)
    }
  })

  it('answers 404 for an unknown container and 400 for a malformed reference', async () => {
    await problem(await h.request('/v1/containers/no-such-thing'), 404, 'not_found')
    const p = await problem(await h.request('/v1/containers/bad%20name'), 400, 'invalid_request')
    expect(p.errors?.[0]).toMatchObject({ in: 'path', field: 'id' })
  })
})

describe('PATCH /v1/containers/{id}', () => {
  it('changes resources and policies (null clears) and resizes a stopped container', async () => {
    await h.run({ image: 'busybox', name: 'patch-me', start: false, idle: { after: '5m' } })
    const c = await json<ContainerView>(await h.request('/v1/containers/patch-me', { method: 'PATCH', json: { cpu: 2, memory: 4096, idle: null, maxLifetime: '2h' } }))
    expect(c.spec.cpu).toBe(2)
    expect(c.spec.idle).toBeUndefined()
    expect(c.spec.maxLifetime).toBe(7200)
    expect(c.size).toEqual({ cpu: 2048, memory: 4096, vcpu: 2 })
  })

  it('rejects fields a patch cannot change and out-of-range values', async () => {
    await h.run({ image: 'busybox', name: 'patch-bad', start: false })
    const p = await problem(await h.request('/v1/containers/patch-bad', { method: 'PATCH', json: { image: 'nginx' } }), 400, 'invalid_spec')
    expect(p.errors?.[0].field).toBe('image')
    await problem(await h.request('/v1/containers/patch-bad', { method: 'PATCH', json: { stopTimeout: 500 } }), 400, 'invalid_spec')
    await problem(await h.request('/v1/containers/nope', { method: 'PATCH', json: { cpu: 1 } }), 404, 'not_found')
  })
})

describe('DELETE /v1/containers/{id}', () => {
  it('refuses a running container without force, removes it with force', async () => {
    const c = await h.run({ image: 'busybox', name: 'delete-me' })
    await problem(await h.request('/v1/containers/delete-me', { method: 'DELETE' }), 409, 'conflict')
    const res = await h.request('/v1/containers/delete-me?force=true', { method: 'DELETE' })
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(backend.tasks.get(c.run!.ref!)?.status).toBe('STOPPED')
    await problem(await h.request(`/v1/containers/${c.id}`), 404, 'not_found')
    await problem(await h.request('/v1/containers/delete-me', { method: 'DELETE' }), 404, 'not_found')
  })

  it('answers 400 for a bad force value', async () => {
    await problem(await h.request('/v1/containers/whatever?force=yes', { method: 'DELETE' }), 400, 'invalid_request')
  })
})

describe('GET /v1/containers/{id}/runs', () => {
  it('lists every run newest first', async () => {
    await h.run({ image: 'busybox', name: 'runs-me' })
    await json(await h.request('/v1/containers/runs-me/stop', { method: 'POST' }))
    await json(await h.request('/v1/containers/runs-me/start', { method: 'POST' }))
    const { runs } = await json<{ runs: { number: number; taskArn?: string; lastStatus: string; size: { cpu: number } }[] }>(await h.request('/v1/containers/runs-me/runs'))
    expect(runs.map((r) => r.number)).toEqual([2, 1])
    expect(runs[1].lastStatus).toBe('STOPPED')
    expect(runs[0].taskArn).not.toBe(runs[1].taskArn)
    expect(runs[0].size.cpu).toBe(256)
  })
})
