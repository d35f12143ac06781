import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContainerService } from '../../shared/core/container-service.js'
import { startContainer } from '../../shared/core/container-start.js'
import { ConflictError, NotFoundError, NotModifiedError, ThrottledError, BackendError } from '../../shared/core/errors.js'
import type { RunObservation } from '../../shared/core/model.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'
import { systemClock, type ComputeBackend, type StartRunInput } from '../../shared/core/ports.js'

let t: TestStore
let backend: FakeBackend
let svc: ContainerService
const NS = 'team-a'

beforeAll(async () => {
  t = await startTestStore()
  backend = new FakeBackend()
  svc = new ContainerService({ store: t.store, backend, clock: systemClock, pollIntervalMs: 10 })
})
afterAll(async () => t.close())

async function runOne(extra: Record<string, unknown> = {}) {
  return svc.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'], ...extra } })
}

describe('ContainerService', () => {
  it('runs: container running, one run with a runtime ref, create and start events', async () => {
    const c = await runOne()
    expect(c.state).toMatchObject({ status: 'running', running: true })
    expect(c.runNumber).toBe(1)
    const { run } = await svc.inspect(NS, c.id)
    expect(run?.ref).toMatch(/^arn:aws:ecs/)
    const events = (await t.store.listEvents(NS)).filter((e) => e.id === c.id).map((e) => e.action)
    expect(events).toEqual(['create', 'start'])
  })

  it('resolves by name, short id and unique prefix; other namespaces see 404', async () => {
    const c = await svc.run(NS, { spec: { image: 'busybox' }, name: 'resolve-me' })
    expect((await svc.resolve(NS, 'resolve-me')).id).toBe(c.id)
    expect((await svc.resolve(NS, '/resolve-me')).id).toBe(c.id)
    expect((await svc.resolve(NS, c.id.slice(0, 12))).id).toBe(c.id)
    await expect(svc.resolve('other', c.id)).rejects.toBeInstanceOf(NotFoundError)
    await expect(svc.resolve('other', 'resolve-me')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('refuses a second container with the same name (Docker wording)', async () => {
    await svc.create(NS, { spec: { image: 'busybox' }, name: 'dup' })
    await expect(svc.create(NS, { spec: { image: 'busybox' }, name: 'dup' })).rejects.toThrow(/already in use/)
  })

  it('applies only newer event versions, in any order and repeated', async () => {
    const c = await runOne()
    const { run } = await svc.inspect(NS, c.id)
    const ref = run!.ref!
    const base: RunObservation = { ref, lastStatus: 'RUNNING', version: 2, startedAt: '2026-01-01T00:00:00Z' }
    const stopped: RunObservation = { ref, lastStatus: 'STOPPED', version: 5, exitCode: 3, startedAt: base.startedAt, stoppedAt: '2026-01-01T00:01:00Z' }
    const stopping: RunObservation = { ref, lastStatus: 'STOPPING', version: 4 }
    const shuffled = [stopped, base, stopping, stopped, base, stopping]
    const outcomes = []
    for (const o of shuffled) outcomes.push(await svc.observe(o))
    expect(outcomes[0]).toBe('applied')
    expect(outcomes.slice(1).every((x) => x === 'stale')).toBe(true)
    const after = await svc.resolve(NS, c.id)
    expect(after.state).toMatchObject({ status: 'exited', exitCode: 3, running: false })
    const dies = (await t.store.listEvents(NS)).filter((e) => e.id === c.id && e.action === 'die')
    expect(dies).toHaveLength(1)
    expect(dies[0].attributes.exitCode).toBe('3')
  })

  it('ignores observations of tasks it does not know', async () => {
    expect(await svc.observe({ ref: 'arn:unknown', lastStatus: 'RUNNING', version: 1 })).toBe('unknown-run')
  })

  it('stop: 304-style NotModified when already stopped; start makes a new run', async () => {
    const c = await runOne()
    const stopped = await svc.stop(NS, c.id)
    expect(stopped.state).toMatchObject({ status: 'exited', stopCause: 'user' })
    await expect(svc.stop(NS, c.id)).rejects.toBeInstanceOf(NotModifiedError)
    const again = await svc.start(NS, c.id)
    expect(again.runNumber).toBe(2)
    await expect(svc.start(NS, c.id)).rejects.toBeInstanceOf(NotModifiedError)
  })

  it('a throttled start leaves state consistent and the retry reuses the run and its token', async () => {
    const c = await svc.create(NS, { spec: { image: 'busybox' } })
    backend.failNextStarts = [new ThrottledError('Rate exceeded')]
    const tokensBefore = backend.calls.filter((x) => x.op === 'startRun').length
    await expect(svc.start(NS, c.id)).rejects.toBeInstanceOf(ThrottledError)
    const mid = await svc.resolve(NS, c.id)
    expect(mid.state.status).toBe('created')
    expect(mid.state.error).toMatch(/Rate exceeded/)
    const started = await svc.start(NS, c.id)
    expect(started.runNumber).toBe(1)
    const tokens = backend.calls.filter((x) => x.op === 'startRun').slice(tokensBefore).map((x) => x.arg)
    expect(tokens).toHaveLength(2)
    expect(tokens[0]).toBe(tokens[1])
  })

  it('a definitive start failure consumes the run: the next start gets a new token', async () => {
    const c = await svc.create(NS, { spec: { image: 'busybox' } })
    backend.failNextStarts = [new BackendError('RESOURCE:ENI')]
    await expect(svc.start(NS, c.id)).rejects.toThrow(/RESOURCE:ENI/)
    const started = await svc.start(NS, c.id)
    expect(started.runNumber).toBe(2)
  })

  it('rm: running needs force; force stops, cleans up and frees the name', async () => {
    const c = await svc.run(NS, { spec: { image: 'busybox' }, name: 'to-remove' })
    await expect(svc.remove(NS, 'to-remove')).rejects.toBeInstanceOf(ConflictError)
    await svc.remove(NS, 'to-remove', { force: true })
    await expect(svc.resolve(NS, c.id)).rejects.toBeInstanceOf(NotFoundError)
    const reuse = await svc.create(NS, { spec: { image: 'busybox' }, name: 'to-remove' })
    expect(reuse.id).not.toBe(c.id)
  })

  it('rename frees the old name and claims the new one', async () => {
    const c = await svc.create(NS, { spec: { image: 'busybox' }, name: 'old-name' })
    await svc.rename(NS, 'old-name', 'new-name')
    expect((await svc.resolve(NS, 'new-name')).id).toBe(c.id)
    await expect(svc.resolve(NS, 'old-name')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('restart policy: on-failure schedules a restart with backoff; user stop does not', async () => {
    const c = await runOne({ restartPolicy: { name: 'on-failure', maximumRetryCount: 2 } })
    const { run } = await svc.inspect(NS, c.id)
    await svc.observe(backend.finish(run!.ref!, 1))
    const after = await svc.resolve(NS, c.id)
    expect(after.state.status).toBe('restarting')
    expect(Date.parse(after.restartAt!)).toBeGreaterThan(Date.now() - 1000)
    const d = await runOne({ restartPolicy: { name: 'always' } })
    const stopped = await svc.stop(NS, d.id)
    expect(stopped.restartAt).toBeUndefined()
    expect(stopped.state.status).toBe('exited')
  })

  it('wait next-exit returns the exit code of the run that ends', async () => {
    const c = await runOne()
    const { run } = await svc.inspect(NS, c.id)
    const waiting = svc.wait(NS, c.id, { condition: 'next-exit', timeoutMs: 5000 })
    setTimeout(() => void svc.observe(backend.finish(run!.ref!, 7)), 50)
    expect(await waiting).toEqual({ statusCode: 7, error: undefined })
  })

  it('list: running by default, all with -a, filters by label and status', async () => {
    const a = await runOne({ labels: { tier: 'web' } })
    const b = await svc.create(NS, { spec: { image: 'busybox', labels: { tier: 'db' } } })
    const running = await svc.list(NS)
    expect(running.some((x) => x.id === a.id)).toBe(true)
    expect(running.some((x) => x.id === b.id)).toBe(false)
    const all = await svc.list(NS, { all: true, filters: { label: ['tier=db'] } })
    expect(all.map((x) => x.id)).toEqual([b.id])
    const created = await svc.list(NS, { filters: { status: ['created'] } })
    expect(created.some((x) => x.id === b.id)).toBe(true)
    await expect(svc.list(NS, { filters: { status: ['sleeping'] } })).rejects.toThrow(/invalid filter/)
  })

  it('logs read across runs with tail', async () => {
    const c = await runOne()
    backend.addLogs((await svc.inspect(NS, c.id)).run!.ref!, ['one', 'two'])
    await svc.stop(NS, c.id)
    await svc.start(NS, c.id)
    backend.addLogs((await svc.inspect(NS, c.id)).run!.ref!, ['three'])
    const all: string[] = []
    for await (const l of await svc.logs(NS, c.id, {})) all.push(l.message)
    expect(all).toEqual(['one', 'two', 'three'])
    const tail: string[] = []
    for await (const l of await svc.logs(NS, c.id, { tail: 2 })) tail.push(l.message)
    expect(tail).toEqual(['two', 'three'])
  })

  it('100 concurrent runs with one idempotency key start exactly one task', async () => {
    const before = backend.count('startRun')
    const body = { image: 'busybox', cmd: ['sleep', '1'] }
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => svc.run(NS, { spec: body }, { key: 'same-key-1', body })),
    )
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ id: string }>).value.id)
    expect(new Set(ok).size).toBe(1)
    expect(ok.length).toBe(100)
    expect(backend.count('startRun') - before).toBe(1)
    await expect(svc.run(NS, { spec: { image: 'other' } }, { key: 'same-key-1', body: { image: 'other' } })).rejects.toThrow(/different request body/)
  })

  it('20 concurrent starts of one stopped container: one task, one run record, the others refused', async () => {
    const c = await svc.create(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    const before = backend.count('startRun')
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => svc.start(NS, c.id)))
    const won = results.filter((r) => r.status === 'fulfilled')
    expect(won).toHaveLength(1)
    for (const r of results) if (r.status === 'rejected') expect(r.reason instanceof ConflictError || r.reason instanceof NotModifiedError).toBe(true)
    expect(backend.count('startRun') - before).toBe(1)
    const runs = await t.store.listRuns(c.id)
    expect(runs).toHaveLength(1)
    expect(runs[0]).toMatchObject({ number: 1, lastStatus: 'RUNNING' })
    expect(runs[0].ref).toMatch(/^arn:aws:ecs/)
    expect((await svc.inspect(NS, c.id)).container).toMatchObject({ runNumber: 1, state: { running: true } })
  })

  it('create prepares the first run as the plain start then launches it; run (create + start) prepares only at start', async () => {
    const prepared: StartRunInput[] = []
    const b = new FakeBackend()
    const withPrepare: ComputeBackend = Object.assign(b, { prepareRun: (input: StartRunInput) => void prepared.push(input) })
    const s = new ContainerService({ store: t.store, backend: withPrepare, clock: systemClock, pollIntervalMs: 10 })
    const c = await s.create(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'], env: { A: '1' } } })
    for (let i = 0; i < 100 && prepared.length === 0; i++) await new Promise((r) => setTimeout(r, 10))
    expect(prepared).toHaveLength(1)
    await s.start(NS, c.id)
    const started = b.calls.filter((x) => x.op === 'startRun').map((x) => x.arg)
    expect(started).toEqual([prepared[0].token])
    expect(prepared[1]).toEqual(prepared[0])
    prepared.length = 0
    await s.run(NS, { spec: { image: 'busybox' } })
    expect(prepared).toHaveLength(1)
  })

  it('a preparation that throws does not stop the start', async () => {
    const b = new FakeBackend()
    const throwing: ComputeBackend = Object.assign(b, { prepareRun: () => { throw new Error('cannot prepare') } })
    const s = new ContainerService({ store: t.store, backend: throwing, clock: systemClock, pollIntervalMs: 10 })
    const c = await s.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    expect(c.state).toMatchObject({ running: true })
    expect(b.count('startRun')).toBe(1)
  })

  it("a start whose image lookup fails leaves a concurrent start's claim alone", async () => {
    const created = await svc.create(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    const won = await svc.start(NS, created.id)
    const b = new FakeBackend()
    b.resolveImage = async () => { throw new NotFoundError('No such image: busybox') }
    await expect(startContainer({ store: t.store, backend: b, clock: systemClock }, created)).rejects.toBeInstanceOf(NotFoundError)
    expect(await t.store.getContainer(NS, created.id)).toMatchObject({ version: won.version, runNumber: 1, state: { running: true } })
  })
})
