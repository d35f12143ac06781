/**
 * A reaper under test: the real store on dynalite with a ManualClock, a FakeBackend whose
 * start and stop times follow that clock, stored usage, and helpers to run containers and
 * feed usage samples.
 */
import { ContainerService } from '../../../shared/core/container-service.js'
import type { Container } from '../../../shared/core/model.js'
import type { StartRunInput, StartedRun, UsageSample } from '../../../shared/core/ports.js'
import type { ReaperDeps, ReaperOptions } from '../../../shared/core/reaper/index.js'
import { runReaperTick } from '../../../shared/core/reaper/index.js'
import { appendUsageSamples, usageKeyOf } from '../../../shared/core/usage/usage-records.js'
import { StoredUsageSource } from '../../../shared/core/usage/usage-source.js'
import { ManualClock, startTestStore } from '../../support/dynalite.js'
import { FakeBackend } from '../../support/fake-backend.js'

/** FakeBackend with task times taken from the test clock instead of the wall clock. */
export class ClockedBackend extends FakeBackend {
  constructor(private readonly clock: ManualClock) {
    super()
  }

  override async startRun(input: StartRunInput): Promise<StartedRun> {
    const started = await super.startRun(input)
    const task = this.tasks.get(started.ref)!
    if (task.version === 2) task.startedAt = this.clock.now().toISOString()
    return { ...started, startedAt: task.startedAt }
  }

  override async stopRun(ref: string, options: { timeoutSeconds: number; reason: string }): Promise<void> {
    await super.stopRun(ref, options)
    const task = this.tasks.get(ref)
    if (task) task.stoppedAt = this.clock.now().toISOString()
  }

  /** Ends a task now (by the test clock), as a process exiting would. */
  exit(ref: string, exitCode: number) {
    const obs = this.finish(ref, exitCode)
    const task = this.tasks.get(ref)!
    task.stoppedAt = this.clock.now().toISOString()
    return { ...obs, stoppedAt: task.stoppedAt }
  }
}

export const START = Date.parse('2026-03-02T10:00:00Z')

export async function startReaperHarness() {
  const clock = new ManualClock(START)
  const testStore = await startTestStore({ clock })
  const { store } = testStore
  const backend = new ClockedBackend(clock)
  const deps: ReaperDeps = { store, backend, clock, usage: new StoredUsageSource(store), pollIntervalMs: 5 }
  const service = new ContainerService(deps)
  const ns = 'default'

  async function run(spec: Record<string, unknown>, name?: string): Promise<Container> {
    return service.run(ns, { spec: { image: 'busybox', ...spec }, name })
  }

  async function get(c: Container): Promise<Container> {
    const fresh = await store.getContainer(c.namespace, c.id)
    if (!fresh) throw new Error(`container ${c.id} is gone`)
    return fresh
  }

  async function refOf(c: Container): Promise<string> {
    const fresh = await get(c)
    const r = await store.getRun(fresh.id, fresh.runNumber)
    if (!r?.ref) throw new Error(`container ${c.id} has no run ref`)
    return r.ref
  }

  /** Stores one sample a minute for the container's current run over [from, to] (unix s). */
  async function feed(c: Container, from: number, to: number, sample: Omit<UsageSample, 'time'>, step = 60): Promise<void> {
    const samples: UsageSample[] = []
    for (let t = from; t <= to; t += step) samples.push({ time: t, ...sample })
    await appendUsageSamples(store, usageKeyOf(await refOf(c)), samples)
  }

  const nowS = () => clock.now().getTime() / 1000
  const tick = (options: ReaperOptions = {}) => runReaperTick(deps, { orphanScanIntervalSeconds: Number.POSITIVE_INFINITY, ...options })

  return { clock, store, backend, deps, service, ns, run, get, refOf, feed, nowS, tick, close: testStore.close }
}

export type ReaperHarness = Awaited<ReturnType<typeof startReaperHarness>>

export const IDLE = { cpuUnits: 1, memoryMiB: 40, networkBytesPerSec: 10 }
export const BUSY = { cpuUnits: 200, memoryMiB: 300, networkBytesPerSec: 50_000 }
