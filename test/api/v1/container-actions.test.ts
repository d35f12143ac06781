import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
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

const post = (path: string) => h.request(path, { method: 'POST' })

/** Ends the container's current task with `code`, as the runtime's event would. */
async function exit(c: ContainerView, code: number): Promise<void> {
  const current = await json<ContainerView>(await h.request(`/v1/containers/${c.id}`))
  await h.containers.observe(backend.finish(current.run!.ref!, code))
}

describe('start and stop', () => {
  it('answers 200 with the container unchanged when starting a running one', async () => {
    const c = await h.run({ image: 'busybox', name: 'start-running' })
    const before = backend.count('startRun')
    const again = await json<ContainerView>(await post('/v1/containers/start-running/start'))
    expect(again.runNumber).toBe(1)
    expect(again.state.running).toBe(true)
    expect(again.run?.ref).toBe(c.run?.ref)
    expect(backend.count('startRun')).toBe(before)
  })

  it('stops a running container, then answers 200 unchanged for a second stop', async () => {
    await h.run({ image: 'busybox', name: 'stop-me' })
    const stopped = await json<ContainerView>(await post('/v1/containers/stop-me/stop?timeout=5'))
    expect(stopped.state).toMatchObject({ status: 'exited', running: false, stopCause: 'user' })
    const stops = backend.count('stopRun')
    const again = await json<ContainerView>(await post('/v1/containers/stop-me/stop'))
    expect(again.state.status).toBe('exited')
    expect(backend.count('stopRun')).toBe(stops)
  })

  it('starts a stopped container as a new run', async () => {
    const c = await h.run({ image: 'busybox', name: 'start-again' })
    await exit(c, 0)
    const started = await json<ContainerView>(await post('/v1/containers/start-again/start'))
    expect(started.runNumber).toBe(2)
    expect(started.state.running).toBe(true)
    expect(started.run?.number).toBe(2)
    expect(started.run?.ref).not.toBe(c.run?.ref)
  })

  it('starts a created container', async () => {
    await h.run({ image: 'busybox', name: 'created-then-started', start: false })
    const started = await json<ContainerView>(await post('/v1/containers/created-then-started/start'))
    expect(started.runNumber).toBe(1)
    expect(started.state.status).toBe('running')
  })

  it('answers 400 for a stop timeout out of range and 404 for an unknown container', async () => {
    await problem(await post('/v1/containers/stop-me/stop?timeout=500'), 400, 'invalid_request')
    await problem(await post('/v1/containers/stop-me/stop?timeout=-1'), 400, 'invalid_request')
    await problem(await post('/v1/containers/nobody/start'), 404, 'not_found')
  })
})

describe('restart and kill', () => {
  it('restarts as a new run', async () => {
    const c = await h.run({ image: 'busybox', name: 'restart-me' })
    const r = await json<ContainerView>(await post('/v1/containers/restart-me/restart?timeout=0'))
    expect(r.runNumber).toBe(2)
    expect(r.state.running).toBe(true)
    expect(backend.tasks.get(c.run!.ref!)?.status).toBe('STOPPED')
  })

  it('kills with SIGKILL by default and with the given signal', async () => {
    await h.run({ image: 'busybox', name: 'kill-me' })
    const k = await json<ContainerView>(await post('/v1/containers/kill-me/kill'))
    expect(k.state.running).toBe(false)
    expect(backend.calls.filter((x) => x.op === 'killRun').at(-1)?.arg).toBe('SIGKILL')
    await h.run({ image: 'busybox', name: 'term-me' })
    await json(await post('/v1/containers/term-me/kill?signal=SIGTERM'))
    expect(backend.calls.filter((x) => x.op === 'killRun').at(-1)?.arg).toBe('SIGTERM')
  })

  it('answers 409 for killing a stopped container and 400 for a malformed signal', async () => {
    await h.run({ image: 'busybox', name: 'kill-stopped', start: false })
    await problem(await post('/v1/containers/kill-stopped/kill'), 409, 'conflict')
    await problem(await post('/v1/containers/kill-stopped/kill?signal=SIG%20KILL!'), 400, 'invalid_request')
  })
})

describe('wait', () => {
  it('returns the exit code of a stopped container', async () => {
    const c = await h.run({ image: 'busybox', name: 'wait-exited' })
    await exit(c, 3)
    expect(await json(await post('/v1/containers/wait-exited/wait'))).toEqual({ statusCode: 3, timedOut: false })
  })

  it('waits for the next exit', async () => {
    const c = await h.run({ image: 'busybox', name: 'wait-next' })
    const reads = vi.spyOn(h.store, 'getContainer')
    const waiting = post('/v1/containers/wait-next/wait?condition=next-exit&timeout=30')
    // The wait has its starting snapshot once it resolved the name and polled once.
    await vi.waitFor(() => expect(reads.mock.calls.length).toBeGreaterThanOrEqual(2))
    reads.mockRestore()
    await exit(c, 7)
    expect(await json(await waiting)).toMatchObject({ statusCode: 7, timedOut: false })
  })

  it('gives up after the timeout and says so', async () => {
    await h.run({ image: 'busybox', name: 'wait-long' })
    const r = await json<{ statusCode: number; timedOut: boolean; error?: string }>(await post('/v1/containers/wait-long/wait?timeout=0'))
    expect(r).toMatchObject({ statusCode: -1, timedOut: true })
    expect(r.error).toMatch(/still running/)
  })

  it('answers 400 for a timeout above the maximum or an unknown condition', async () => {
    expect((await problem(await post('/v1/containers/wait-long/wait?timeout=61'), 400, 'invalid_request')).detail).toMatch(/0 to 60/)
    expect((await problem(await post('/v1/containers/wait-long/wait?condition=gone'), 400, 'invalid_request')).detail).toMatch(/not-running, next-exit or removed/)
  })
})
