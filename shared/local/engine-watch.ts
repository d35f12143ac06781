import type { ContainerService } from '../core/container-service.js'
import { withRetries } from '../core/core-deps.js'
import type { RunObservation } from '../core/model.js'
import type { Store } from '../core/ports.js'

/** What local mode needs from the engine backend beyond the ComputeBackend port. */
export interface WatchableEngine {
  ping(): Promise<boolean>
  watchEvents(onObservation: (o: RunObservation) => void, signal: AbortSignal): Promise<void> | void
  describeRuns(refs: string[]): Promise<RunObservation[]>
}

export interface EngineWatchOptions {
  engine: WatchableEngine
  containers: ContainerService
  store: Store
  retrySeconds: number
  log: (message: string) => void
  /** Runs after each engine observation was applied (rollouts, policy restarts). */
  afterObservation?: (o: RunObservation, outcome: string) => Promise<void>
  /** Called once each time the engine goes from absent to present. */
  onAvailable?: () => void
}

/**
 * Waits for an engine (checking every retrySeconds), then feeds its events into the same
 * state-update path ECS events use, and reconciles runs that changed while nobody watched
 * (fargated was down or the engine was). Returns a stop function.
 */
export function watchEngine(options: EngineWatchOptions): { stop(): void; available(): boolean } {
  const controller = new AbortController()
  let up = false
  let timer: NodeJS.Timeout | undefined

  const check = async () => {
    if (controller.signal.aborted) return
    const ok = await options.engine.ping().catch(() => false)
    if (ok && !up) {
      up = true
      options.log('container engine: connected')
      options.onAvailable?.()
      void Promise.resolve(
        options.engine.watchEvents((o) => {
          void applyWithRetry(options, o).catch((err) => options.log(`event not applied: ${(err as Error).message}`))
        }, controller.signal),
      ).catch((err) => options.log(`engine events stopped: ${(err as Error).message}`))
      await reconcileRuns(options).catch((err) => options.log(`reconcile failed: ${(err as Error).message}`))
    } else if (!ok && up) {
      up = false
      options.log('container engine: lost; containers cannot start until it is back')
    }
    timer = setTimeout(check, options.retrySeconds * 1000)
    timer.unref()
  }
  void check()
  return {
    stop() {
      controller.abort()
      if (timer) clearTimeout(timer)
    },
    available: () => up,
  }
}

/**
 * Applies one engine observation. An event can beat the start call that stores the run's
 * engine id; such a run is adopted by its labels, and an unknown one is retried briefly.
 */
async function applyWithRetry(options: EngineWatchOptions, o: RunObservation): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    // Observations are idempotent: one that lost every optimistic write to busier writers is applied again.
    const outcome = await withRetries(5, () => options.containers.observe(o))
    if (outcome !== 'unknown-run' || !o.containerId) {
      await options.afterObservation?.(o, outcome)
      return
    }
    await new Promise((r) => setTimeout(r, 200 * (attempt + 1)))
  }
}

/** Applies the engine's current view of every run the store believes is active. */
export async function reconcileRuns(options: Pick<EngineWatchOptions, 'engine' | 'containers' | 'store'>): Promise<number> {
  const active = await options.store.listActiveContainers()
  const refs: string[] = []
  for (const c of active) {
    const run = c.runNumber ? await options.store.getRun(c.id, c.runNumber) : undefined
    if (run?.ref) refs.push(run.ref)
  }
  if (refs.length === 0) return 0
  const seen = await options.engine.describeRuns(refs)
  let applied = 0
  for (const obs of seen) if ((await options.containers.observe(obs)) === 'applied') applied++
  const missing = refs.filter((r) => !seen.some((o) => o.ref === r))
  for (const ref of missing) {
    const run = await options.store.getRunByRef(ref)
    if (!run) continue
    // The engine container is gone (removed by hand, engine reset): the run is over.
    await options.containers.observe({ ref, lastStatus: 'STOPPED', version: run.eventVersion + 1, exitCode: null, stoppedReason: 'engine container not found' })
    applied++
  }
  return applied
}
