import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContainerService } from '../../shared/core/container-service.js'
import type { Container } from '../../shared/core/model.js'
import { systemClock, type Store } from '../../shared/core/ports.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'

let t: TestStore
beforeAll(async () => {
  t = await startTestStore()
})
afterAll(async () => t.close())

/** A store whose container writes can be held while `hold` is set (the event path's write, in flight). */
function holdingStore(inner: Store): { store: Store; hold(): void; release(): void } {
  let gate: Promise<void> | undefined
  let open = () => {}
  const store = Object.create(inner) as Store
  store.updateContainer = async (next: Container, expected: number) => {
    if (gate) await gate
    return inner.updateContainer(next, expected)
  }
  return {
    store,
    hold: () => (gate = new Promise((r) => (open = r))),
    release: () => {
      gate = undefined
      open()
    },
  }
}

describe('docker stop while the runtime event of the stop is still being applied', () => {
  it('returns the container exited (not the running state the event has yet to write), with one die event', async () => {
    const backend = new FakeBackend()
    const holding = holdingStore(t.store)
    const svc = new ContainerService({ store: t.store, backend, clock: systemClock, pollIntervalMs: 10 })
    // The events path (another process on AWS, the engine watch locally) with its container write held.
    const events = new ContainerService({ store: holding.store, backend, clock: systemClock, pollIntervalMs: 10 })
    const c = await svc.run('race-stop', { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    const ref = (await svc.inspect('race-stop', c.id)).run!.ref!
    let eventApplied: Promise<unknown> | undefined
    const stopRun = backend.stopRun.bind(backend)
    backend.stopRun = async (r, options) => {
      await stopRun(r, options)
      // The runtime's stop event arrives: its run write lands, its container write is held.
      const obs = (await backend.describeRuns([r]))[0]
      const stored = await t.store.getRun(c.id, 1)
      await t.store.updateRunIfNewer({ ...stored!, ref, lastStatus: 'STOPPED', eventVersion: obs.version, exitCode: obs.exitCode, stoppedAt: obs.stoppedAt })
      holding.hold()
      eventApplied = events.observe(obs)
    }
    const stopped = await svc.stop('race-stop', c.id, { timeoutSeconds: 1 })
    expect(stopped.state).toMatchObject({ running: false, status: 'exited', exitCode: 143 })
    holding.release()
    await eventApplied
    expect((await svc.inspect('race-stop', c.id)).container.state).toMatchObject({ running: false, status: 'exited' })
    const dies = (await t.store.listEvents('race-stop')).filter((e) => e.id === c.id && e.action === 'die')
    expect(dies).toHaveLength(1)
  })
})
