import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ContainerService } from '../../shared/core/container-service.js'
import { startContainer } from '../../shared/core/container-start.js'
import type { Container, RunObservation } from '../../shared/core/model.js'
import { systemClock, type Store } from '../../shared/core/ports.js'
import { appendUsageSamples, usageKeyOf } from '../../shared/core/usage/usage-records.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'

let t: TestStore
let svc: ContainerService
const NS = 'race'

beforeAll(async () => {
  t = await startTestStore()
  svc = new ContainerService({ store: t.store, backend: new FakeBackend(), clock: systemClock, pollIntervalMs: 10 })
})
afterAll(async () => t.close())

describe('concurrent observations of one run (engine start/die/kill/stop events, a describe)', () => {
  it('leave the container exited, with one die event, whatever their interleaving', async () => {
    const containers = await Promise.all(Array.from({ length: 12 }, () => svc.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })))
    await Promise.all(containers.map(async (c) => {
      const ref = (await svc.inspect(NS, c.id)).run!.ref!
      const startedAt = '2026-01-01T00:00:00Z'
      const stoppedAt = '2026-01-01T00:00:01Z'
      const observations: RunObservation[] = [
        { ref, lastStatus: 'RUNNING', version: 10, startedAt },
        { ref, lastStatus: 'STOPPED', version: 20, exitCode: 7, startedAt, stoppedAt },
        { ref, lastStatus: 'STOPPED', version: 21, exitCode: 7, startedAt, stoppedAt },
        { ref, lastStatus: 'STOPPED', version: 22, exitCode: 7, startedAt, stoppedAt },
      ]
      await Promise.all(observations.map((o) => svc.observe(o)))
    }))
    const events = await t.store.listEvents(NS)
    for (const c of containers) {
      const { container } = await svc.inspect(NS, c.id)
      expect(container.state).toMatchObject({ status: 'exited', running: false, exitCode: 7 })
      expect(events.filter((e) => e.id === c.id && e.action === 'die')).toHaveLength(1)
    }
  })

  it('a RUNNING observation whose container write lands late does not revive an exited container', async () => {
    // The store delays writes that mark the container running, as a loaded event handler would.
    const slow = new Proxy(t.store, {
      get(target, prop, receiver) {
        if (prop === 'updateContainer') {
          return async (c: Container, version: number) => {
            if (c.state.running && c.state.status === 'running' && !c.state.detail) await new Promise((r) => setTimeout(r, 150))
            return target.updateContainer(c, version)
          }
        }
        const value = Reflect.get(target, prop, receiver) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      },
    }) as Store
    const delayed = new ContainerService({ store: slow, backend: new FakeBackend(), clock: systemClock, pollIntervalMs: 10 })
    const c = await svc.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    const ref = (await svc.inspect(NS, c.id)).run!.ref!
    const startedAt = '2026-01-01T00:00:00Z'
    const running = delayed.observe({ ref, lastStatus: 'RUNNING', version: 10, startedAt })
    await new Promise((r) => setTimeout(r, 50))
    expect(await svc.observe({ ref, lastStatus: 'STOPPED', version: 20, exitCode: 3, startedAt, stoppedAt: '2026-01-01T00:00:01Z' })).toBe('applied')
    expect(await running).toBe('applied')
    expect((await svc.inspect(NS, c.id)).container.state).toMatchObject({ status: 'exited', running: false, exitCode: 3 })
  })

  it('a start meets a late observation of the previous run (container version moved) and still starts', async () => {
    const c = await svc.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    const ref = (await svc.inspect(NS, c.id)).run!.ref!
    const startedAt = '2026-01-01T00:00:00Z'
    await svc.observe({ ref, lastStatus: 'STOPPED', version: 20, exitCode: 0, startedAt, stoppedAt: '2026-01-01T00:00:01Z' })
    const stopped = (await svc.inspect(NS, c.id)).container
    // A late writer (another observation's container write) moves the version on.
    const current = (await svc.inspect(NS, c.id)).container
    await t.store.updateContainer({ ...current, state: { ...current.state, stopReason: 'late news' } }, current.version)
    expect((await svc.inspect(NS, c.id)).container.version).toBeGreaterThan(stopped.version)
    const started = await startContainer(svc.deps, stopped)
    expect(started).toMatchObject({ runNumber: 2, state: { running: true } })
  })

  it('a container write an applier never made (its run write landed) is completed by the next, stale, observation', async () => {
    const c = await svc.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    const run = (await svc.inspect(NS, c.id)).run!
    const stoppedAt = '2026-01-01T00:00:01Z'
    // The applier stored the run's STOPPED, then lost every container write (or died).
    expect(await t.store.updateRunIfNewer({ ...run, lastStatus: 'STOPPED', eventVersion: 30, exitCode: 4, stoppedAt })).toBe(true)
    expect((await svc.inspect(NS, c.id)).container.state.running).toBe(true)
    // The same news again (a duplicate event, a describe): stale for the run, completed for the container.
    expect(await svc.observe({ ref: run.ref!, lastStatus: 'STOPPED', version: 30, exitCode: 4, stoppedAt })).toBe('stale')
    expect((await svc.inspect(NS, c.id)).container.state).toMatchObject({ status: 'exited', running: false, exitCode: 4 })
    expect(await svc.observe({ ref: run.ref!, lastStatus: 'RUNNING', version: 5 })).toBe('stale')
    const dies = (await t.store.listEvents(NS)).filter((e) => e.id === c.id && e.action === 'die')
    expect(dies).toHaveLength(1)
  })

  it('repeated news writes nothing: the container version stays (as stored in DynamoDB)', async () => {
    const c = await svc.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'] } })
    const ref = (await svc.inspect(NS, c.id)).run!.ref!
    const startedAt = '2026-01-01T00:00:00Z'
    expect(await svc.observe({ ref, lastStatus: 'RUNNING', version: 40, startedAt })).toBe('applied')
    const before = (await t.store.getContainer(NS, c.id))!.version
    for (const version of [40, 39, 40]) expect(await svc.observe({ ref, lastStatus: 'RUNNING', version, startedAt })).toBe('stale')
    expect((await t.store.getContainer(NS, c.id))!.version).toBe(before)
  })

  it("a run's stop merges its last samples into the memory history (a weekly job's peak is kept)", async () => {
    const c = await svc.run(NS, { spec: { image: 'busybox', cmd: ['sleep', '300'], labels: { 'fargated.sizing': 'auto' } } })
    const run = (await svc.inspect(NS, c.id)).run!
    // Two samples during the run (the second second of it).
    const t0 = Math.ceil(Date.parse(run.startedAt!) / 1000)
    await appendUsageSamples(t.store, usageKeyOf(run.ref!), [
      { time: t0, cpuUnits: 100, memoryMiB: 300, networkBytesPerSec: 0 },
      { time: t0, cpuUnits: 100, memoryMiB: 1900, networkBytesPerSec: 0 },
    ])
    while (Date.now() / 1000 < t0) await new Promise((r) => setTimeout(r, 50))
    expect((await svc.inspect(NS, c.id)).container.usageHistory).toBeUndefined()
    await svc.observe({ ref: run.ref!, lastStatus: 'STOPPED', version: 50, exitCode: 0, stoppedAt: new Date().toISOString() })
    const history = (await svc.inspect(NS, c.id)).container.usageHistory!
    expect(Object.values(history.dailyPeakMemoryMiB)).toContain(1900)
    expect(Date.parse(history.firstSampleAt) / 1000).toBe(t0)
  })
})
