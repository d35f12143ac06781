import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContainerService } from '../../shared/core/container-service.js'
import type { RunObservation } from '../../shared/core/model.js'
import type { StartRunInput, StartedRun } from '../../shared/core/ports.js'
import { systemClock } from '../../shared/core/ports.js'
import { StartGate } from '../../shared/core/start-gate.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'

function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe('StartGate', () => {
  it('holds waiters of a container until its start settles, success or failure', async () => {
    const gate = new StartGate()
    const order: string[] = []
    const first = deferred<string>()
    const started = gate.track('c1', () => first.promise)
    const waiting = gate.settled('c1').then(() => order.push('waiter'))
    await gate.settled('other')
    order.push('other container: no wait')
    first.resolve('ok')
    expect(await started).toBe('ok')
    await waiting
    expect(order).toEqual(['other container: no wait', 'waiter'])

    const second = deferred<string>()
    const failing = gate.track('c1', () => second.promise)
    const waiter = gate.settled('c1')
    second.reject(new Error('engine said no'))
    await expect(failing).rejects.toThrow('engine said no')
    await expect(waiter).resolves.toBeUndefined()
  })

  it('with two starts of one container in flight, waits for both', async () => {
    const gate = new StartGate()
    const a = deferred<string>()
    const b = deferred<string>()
    void gate.track('c2', () => a.promise)
    void gate.track('c2', () => b.promise)
    let done = false
    const waiting = gate.settled('c2').then(() => (done = true))
    a.resolve('first')
    await a.promise
    await new Promise((r) => setImmediate(r))
    expect(done).toBe(false)
    b.resolve('second')
    await waiting
    expect(done).toBe(true)
  })

  it('gives up waiting after its limit (a start that never answers blocks no event for long)', async () => {
    const gate = new StartGate(5)
    void gate.track('stuck', () => new Promise(() => undefined))
    await expect(gate.settled('stuck')).resolves.toBeUndefined()
  })
})

class SlowStartBackend extends FakeBackend {
  /** Called inside startRun once the task exists, before the answer returns. */
  duringStart?: (obs: RunObservation) => void
  override async startRun(input: StartRunInput): Promise<StartedRun> {
    const started = await super.startRun(input)
    const obs = this.finish(started.ref, 3)
    this.duringStart?.(obs)
    await new Promise((r) => setTimeout(r, 20))
    return { ...started, lastStatus: 'RUNNING' }
  }
}

describe('observations arriving during a start (a local engine reports a fast exit before the start returns)', () => {
  let t: TestStore
  beforeAll(async () => {
    t = await startTestStore()
  })
  afterAll(async () => t.close())

  it('apply after the start: the container exits with its code and events read start, then die', async () => {
    const backend = new SlowStartBackend()
    const svc = new ContainerService({ store: t.store, backend, clock: systemClock, pollIntervalMs: 10 })
    let applied: Promise<unknown> | undefined
    backend.duringStart = (obs) => (applied = svc.observe(obs))
    const c = await svc.run('gate', { spec: { image: 'busybox' }, name: 'fast-exit' })
    await applied
    const { container } = await svc.inspect('gate', c.id)
    expect(container.state).toMatchObject({ status: 'exited', running: false, exitCode: 3 })
    const actions = (await t.store.listEvents('gate')).filter((e) => e.id === c.id).map((e) => e.action)
    expect(actions).toEqual(['create', 'start', 'die'])
  })
})
