/** A RolloutService on dynalite and a FakeBackend whose new runs can crash or hang. */
import { ContainerService } from '../../../shared/core/container-service.js'
import type { Container, RunObservation } from '../../../shared/core/model.js'
import type { StartRunInput, StartedRun } from '../../../shared/core/ports.js'
import { localRepositoryNaming, RolloutService, type RolloutDeps, type RunHealth } from '../../../shared/core/rollout/index.js'
import { ManualClock, startTestStore, type TestStore } from '../../support/dynalite.js'
import { FakeBackend } from '../../support/fake-backend.js'

/** FakeBackend whose runs of images containing a marker end at once (`crash`) or never leave PENDING (`hang`). */
export class RolloutBackend extends FakeBackend {
  crashOn = new Set<string>()
  hangOn = new Set<string>()
  /** The health every RUNNING task reports (as ECS healthStatus, the engine's State.Health); none when unset. */
  reportedHealth: RunHealth = undefined

  /** A new verdict for every running task: a state change, so each task's version moves on (as ECS does). */
  reportHealth(health: RunHealth): void {
    this.reportedHealth = health
    for (const t of this.tasks.values()) if (t.status === 'RUNNING') t.version++
  }

  override observe(t: Parameters<FakeBackend['observe']>[0]): RunObservation {
    const o = super.observe(t)
    return this.reportedHealth && t.status === 'RUNNING' ? { ...o, health: this.reportedHealth } : o
  }

  override async startRun(input: StartRunInput): Promise<StartedRun> {
    const started = await super.startRun(input)
    const task = this.tasks.get(started.ref)!
    if ([...this.crashOn].some((m) => input.image.includes(m))) {
      this.finish(started.ref, 1, { stoppedReason: 'Essential container in task exited' })
      return { ref: started.ref, lastStatus: 'PENDING' }
    }
    if ([...this.hangOn].some((m) => input.image.includes(m))) {
      task.status = 'PENDING'
      task.startedAt = undefined
      return { ref: started.ref, lastStatus: 'PENDING' }
    }
    return started
  }

  /** The observation a state event would carry for a task. */
  observation(ref: string): RunObservation {
    return this.observe(this.tasks.get(ref)!)
  }
}

export interface RolloutHarness {
  t: TestStore
  backend: RolloutBackend
  clock: ManualClock
  containers: ContainerService
  rollouts: RolloutService
  health: { value: RunHealth; calls: number }
  run(namespace: string, spec: Record<string, unknown>, name?: string): Promise<Container>
  close(): Promise<void>
}

export async function startRolloutHarness(options: Partial<RolloutDeps> = {}): Promise<RolloutHarness> {
  const clock = new ManualClock(Date.now())
  const t = await startTestStore()
  const backend = new RolloutBackend()
  const health: RolloutHarness['health'] = { value: 'healthy', calls: 0 }
  const deps: RolloutDeps = {
    store: t.store,
    backend,
    clock,
    pollIntervalMs: 1,
    naming: localRepositoryNaming,
    timeoutSeconds: 120,
    health: async () => {
      health.calls++
      return health.value
    },
    sleep: async () => clock.advance(5),
    ...options,
  }
  const containers = new ContainerService(deps)
  return {
    t,
    backend,
    clock,
    containers,
    rollouts: new RolloutService(deps),
    health,
    run: (namespace, spec, name) => containers.run(namespace, { spec, name }),
    close: () => t.close(),
  }
}

export const digest = (c: string) => `sha256:${c.repeat(64)}`
