import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ContainerView } from '../../../shared/api/v1/container-view.js'
import { BackendError } from '../../../shared/core/errors.js'
import type { FakeBackend } from '../../support/fake-backend.js'
import { json, problem, startV1, type V1Harness } from './v1-harness.js'

let h: V1Harness
let backend: FakeBackend
let two: ContainerView
const T = (s: number) => new Date(Date.parse('2025-03-01T10:00:00Z') + s * 1000).toISOString()
const SEC = (s: number) => Date.parse(T(s)) / 1000

beforeAll(async () => {
  h = await startV1()
  backend = h.backend as FakeBackend
  // Two runs: run 1 logged a..c, run 2 logs d..e (+ one stderr line).
  const first = await h.run({ image: 'busybox', name: 'logger' })
  backend.addLogs(first.run!.ref!, [
    { message: 'a', time: T(0) },
    { message: 'b', time: T(10) },
    { message: 'c', time: T(20) },
  ])
  await json(await h.request('/v1/containers/logger/stop', { method: 'POST' }))
  two = await json<ContainerView>(await h.request('/v1/containers/logger/start', { method: 'POST' }))
  backend.addLogs(two.run!.ref!, [
    { message: 'd', time: T(30) },
    { message: 'oops', time: T(35), stream: 'stderr' },
    { message: 'e', time: T(40) },
  ])
})
afterAll(async () => {
  await h?.close()
})

const text = async (query = '', init: RequestInit = {}) => {
  const res = await h.request(`/v1/containers/logger/logs${query}`, init)
  expect(res.status, await res.clone().text()).toBe(200)
  return res.text()
}

describe('GET /v1/containers/{id}/logs', () => {
  it('returns every run\'s lines as text, oldest first', async () => {
    const res = await h.request('/v1/containers/logger/logs')
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(await res.text()).toBe('a\nb\nc\nd\noops\ne\n')
  })

  it('returns NDJSON LogLines with Accept: application/x-ndjson', async () => {
    const res = await h.request('/v1/containers/logger/logs?tail=2', { headers: { accept: 'application/x-ndjson' } })
    expect(res.headers.get('content-type')).toBe('application/x-ndjson')
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l))
    expect(lines).toEqual([
      { stream: 'stderr', time: T(35), message: 'oops' },
      { stream: 'stdout', time: T(40), message: 'e' },
    ])
  })

  it('tails across runs', async () => {
    expect(await text('?tail=4')).toBe('c\nd\noops\ne\n')
    expect(await text('?tail=all')).toBe('a\nb\nc\nd\noops\ne\n')
  })

  it('filters by since and until (unix seconds or RFC 3339)', async () => {
    expect(await text(`?since=${SEC(10)}&until=${SEC(30)}`)).toBe('b\nc\nd\n')
    expect(await text(`?since=${encodeURIComponent(T(35))}`)).toBe('oops\ne\n')
    expect(await text(`?until=${SEC(0)}.5`)).toBe('a\n')
  })

  it('prefixes timestamps and picks streams', async () => {
    expect(await text('?timestamps=true&tail=1')).toBe(`${T(40)} e\n`)
    expect(await text('?stdout=false')).toBe('oops\n')
    expect(await text('?stderr=false')).toBe('a\nb\nc\nd\ne\n')
  })

  it('follows until the run ends', async () => {
    expect(await text('?follow=true&tail=1')).toBe('e\n')
  })

  it('streams followed lines as they come and ends when the run ends', async () => {
    const original = backend.logs.bind(backend)
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let signal: AbortSignal | undefined
    backend.logs = async function* (run, options) {
      if (run.number !== two.runNumber) return
      signal = options.signal
      yield { stream: 'stdout', time: T(50), message: 'first' }
      await gate
      yield { stream: 'stdout', time: T(51), message: 'second' }
    }
    try {
      const res = await h.request('/v1/containers/logger/logs?follow=true')
      expect(res.status).toBe(200)
      const reader = res.body!.getReader()
      const decode = (v?: Uint8Array) => new TextDecoder().decode(v)
      expect(decode((await reader.read()).value)).toBe('first\n')
      release()
      expect(decode((await reader.read()).value)).toBe('second\n')
      expect((await reader.read()).done).toBe(true)
      expect(signal?.aborted).toBe(false)
    } finally {
      backend.logs = original
    }
  })

  it('stops reading the runtime when the client goes away', async () => {
    const original = backend.logs.bind(backend)
    let signal: AbortSignal | undefined
    backend.logs = async function* (run, options) {
      if (run.number !== two.runNumber) return
      signal = options.signal
      yield { stream: 'stdout', time: T(60), message: 'tick' }
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }))
    }
    try {
      const res = await h.request('/v1/containers/logger/logs?follow=1')
      const reader = res.body!.getReader()
      expect(new TextDecoder().decode((await reader.read()).value)).toBe('tick\n')
      await reader.cancel()
      await vi.waitFor(() => expect(signal?.aborted).toBe(true))
    } finally {
      backend.logs = original
    }
  })

  it('answers 400 for bad parameters and 404 for an unknown container', async () => {
    await problem(await h.request('/v1/containers/logger/logs?tail=lots'), 400, 'invalid_request')
    const p = await problem(await h.request('/v1/containers/logger/logs?since=yesterday'), 400, 'invalid_request')
    expect(p.errors?.[0]).toMatchObject({ in: 'query', field: 'since' })
    expect((await problem(await h.request('/v1/containers/logger/logs?stdout=0&stderr=0'), 400, 'invalid_request')).detail).toMatch(/at least one/)
    await problem(await h.request('/v1/containers/nobody/logs'), 404, 'not_found')
  })

  it('returns nothing for a container that never ran', async () => {
    await h.run({ image: 'busybox', name: 'silent', start: false })
    const res = await h.request('/v1/containers/silent/logs')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })

  it('turns a runtime failure before the first line into a problem', async () => {
    const original = backend.logs.bind(backend)
    backend.logs = async function* () {
      yield* []
      throw new BackendError('GetLogEvents failed: AccessDenied')
    }
    try {
      const p = await problem(await h.request('/v1/containers/logger/logs'), 502, 'backend')
      expect(p.detail).toMatch(/AccessDenied/)
    } finally {
      backend.logs = original
    }
  })
})
