import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FollowingBackend } from './following-backend.js'
import { encodeLogLine, frame, rfc3339Nano } from '../../../shared/api/docker/log-frames.js'
import { bytesOf, dockerRun, finishTask, startDockerHarness } from './docker-harness.js'
import { batched } from '../../../shared/api/docker/logs-stream.js'

const backend = new FollowingBackend()
let h: Awaited<ReturnType<typeof startDockerHarness>>
beforeAll(async () => {
  h = await startDockerHarness({ backend })
})
afterAll(async () => h.close())

const T1 = '2026-11-29T15:40:01.590881316Z'
const T2 = '2026-11-29T15:40:02.000000000Z'

function concat(...parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]))
}

describe('frames', () => {
  it('writes the 8-byte header: stream, three zero bytes, big-endian length', () => {
    expect([...frame(1, 'tick\n')]).toEqual([1, 0, 0, 0, 0, 0, 0, 5, ...Buffer.from('tick\n')])
    expect([...frame(2, 'err\n')]).toEqual([2, 0, 0, 0, 0, 0, 0, 4, ...Buffer.from('err\n')])
    expect([...frame(1, 'x'.repeat(300)).slice(0, 8)]).toEqual([1, 0, 0, 0, 0, 0, 1, 44])
  })

  it('formats timestamps as Go RFC3339Nano (no trailing zeros)', () => {
    expect(rfc3339Nano(T1)).toBe(T1)
    expect(rfc3339Nano(T2)).toBe('2026-11-29T15:40:02Z')
    expect(rfc3339Nano('2026-11-29T15:40:02.120Z')).toBe('2026-11-29T15:40:02.12Z')
    expect(rfc3339Nano('2026-11-29T16:40:02.5+01:00')).toBe('2026-11-29T15:40:02.5Z')
  })

  it('prefixes a timestamp inside the payload (0x29 = 41 bytes in the doc\'s example)', () => {
    const bytes = encodeLogLine({ stream: 'stderr', time: T1, message: 'hello-err' }, { tty: false, timestamps: true })
    expect([...bytes.slice(0, 8)]).toEqual([2, 0, 0, 0, 0, 0, 0, 0x29])
    expect(Buffer.from(bytes.slice(8)).toString()).toBe(`${T1} hello-err\n`)
  })
})

describe('GET /containers/{id}/logs', () => {
  it('sends stdout and stderr frames byte-exact, in order, with the multiplexed content type', async () => {
    const { id, ref } = await dockerRun(h, 'l1')
    backend.push(ref, [{ stream: 'stderr', message: 'hello-err', time: T1 }, { stream: 'stdout', message: 'hello-out', time: T2 }])
    const res = await h.request(`/v1.44/containers/${id}/logs?stderr=1&stdout=1&tail=all`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.docker.multiplexed-stream')
    expect(await bytesOf(res)).toEqual(concat(frame(2, 'hello-err\n'), frame(1, 'hello-out\n')))
  })

  it('honours tail, stdout/stderr selection and timestamps', async () => {
    const { ref } = await dockerRun(h, 'l2')
    backend.push(ref, [
      { stream: 'stdout', message: 'one', time: T1 },
      { stream: 'stderr', message: 'two', time: T1 },
      { stream: 'stdout', message: 'three', time: T2 },
    ])
    expect(await bytesOf(await h.request('/v1.44/containers/l2/logs?stdout=1&stderr=1&tail=1'))).toEqual(frame(1, 'three\n'))
    expect(await bytesOf(await h.request('/v1.44/containers/l2/logs?stdout=1&tail=all'))).toEqual(concat(frame(1, 'one\n'), frame(1, 'three\n')))
    expect(await bytesOf(await h.request('/v1.44/containers/l2/logs?stderr=1&stdout=1&tail=all&timestamps=1'))).toEqual(
      concat(frame(1, `${T1} one\n`), frame(2, `${T1} two\n`), frame(1, '2026-11-29T15:40:02Z three\n')),
    )
  })

  it('passes since/until (fractional unix seconds) to the backend', async () => {
    const { ref } = await dockerRun(h, 'l3')
    backend.push(ref, [{ message: 'old', time: '2026-01-01T00:00:00Z' }, { message: 'new', time: '2026-06-01T00:00:00Z' }])
    const since = Date.parse('2026-03-01T00:00:00Z') / 1000
    const res = await h.request(`/v1.44/containers/l3/logs?stdout=1&stderr=1&since=${since}.000000000&until=1900000000`)
    expect(await bytesOf(res)).toEqual(frame(1, 'new\n'))
  })

  it('sends raw text for a TTY container', async () => {
    const { ref } = await dockerRun(h, 'l4', { Tty: true })
    backend.push(ref, [{ message: 'tty-line\r' }])
    const res = await h.request('/v1.44/containers/l4/logs?stdout=1&stderr=1')
    expect(res.headers.get('content-type')).toBe('application/vnd.docker.raw-stream')
    expect(Buffer.from(await bytesOf(res)).toString()).toBe('tty-line\r\n')
  })

  it('follows: the response comes before new lines, which stream as they are written, until the run stops', async () => {
    const { ref } = await dockerRun(h, 'l5')
    backend.push(ref, [{ message: 'first' }])
    const res = await h.request('/v1.44/containers/l5/logs?follow=1&stdout=1&stderr=1&tail=all')
    const reader = res.body!.getReader()
    expect((await reader.read()).value).toEqual(frame(1, 'first\n'))
    const next = reader.read()
    backend.push(ref, [{ stream: 'stderr', message: 'second' }])
    expect((await next).value).toEqual(frame(2, 'second\n'))
    await h.containers.observe(backend.stop(ref, 0))
    expect((await reader.read()).done).toBe(true)
  })

  it('needs at least one stream, and a known container', async () => {
    await dockerRun(h, 'l6')
    const none = await h.request('/v1.44/containers/l6/logs')
    expect(none.status).toBe(400)
    expect(await none.json()).toEqual({ message: 'Bad parameters: you must choose at least one stream' })
    expect((await h.request('/v1.44/containers/foo/logs?stdout=1')).status).toBe(404)
  })

  it('is empty for a container that never ran', async () => {
    const res = await h.request('/v1.44/containers/create?name=l7', { method: 'POST', json: { Image: 'busybox' } })
    expect(res.status).toBe(201)
    expect((await bytesOf(await h.request('/v1.44/containers/l7/logs?stdout=1&stderr=1'))).length).toBe(0)
  })

  it('reads across runs (every start is a new task)', async () => {
    const { id, ref } = await dockerRun(h, 'l8')
    backend.push(ref, [{ message: 'run-1' }])
    await finishTask(h, ref, 0)
    await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })
    const ref2 = (await h.store.getRun(id, 2))!.ref!
    backend.push(ref2, [{ message: 'run-2' }])
    expect(await bytesOf(await h.request('/v1.44/containers/l8/logs?stdout=1&stderr=1'))).toEqual(concat(frame(1, 'run-1\n'), frame(1, 'run-2\n')))
  })
})

describe('batched', () => {
  async function* source(chunks: string[]): AsyncGenerator<Uint8Array> {
    for (const c of chunks) yield Buffer.from(c)
  }
  async function all(it: AsyncIterable<Uint8Array>): Promise<string[]> {
    const out: string[] = []
    for await (const c of it) out.push(Buffer.from(c).toString())
    return out
  }
  it('joins small chunks up to the limit, keeps order and every byte', async () => {
    expect(await all(batched(source(['ab', 'cd', 'ef', 'g']), 4))).toEqual(['abcd', 'efg'])
    expect(await all(batched(source(['abcdef', 'g']), 4))).toEqual(['abcdef', 'g'])
    expect(await all(batched(source([]), 4))).toEqual([])
  })
})
