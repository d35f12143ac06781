import type { CoreDeps } from './core-deps.js'
import { updateFresh } from './core-deps.js'
import { ConflictError, NotModifiedError } from './errors.js'
import { recordContainerEvent } from './event-log.js'
import type { Container, Run, StopCause } from './model.js'
import { applyObservation } from './run-observation.js'

export interface StopOptions {
  /** Seconds between SIGTERM and SIGKILL; default the spec's stopTimeout. */
  timeoutSeconds?: number
  cause?: StopCause
  /** Human reason recorded with the stop (and sent to ECS as StopTask reason). */
  reason?: string
}

/** The current run, if the container has one with a runtime reference. */
export async function currentRun(deps: CoreDeps, c: Container): Promise<Run | undefined> {
  if (c.runNumber === 0) return undefined
  return deps.store.getRun(c.id, c.runNumber)
}

/** Marks the container stopped-by-user (or by policy) and the run's stop cause, before the runtime call. */
async function markStopping(deps: CoreDeps, c: Container, run: Run, cause: StopCause, reason: string): Promise<Container> {
  await markRunStopCause(deps, run, cause, reason)
  return updateFresh(deps, c, (fresh) => ({ ...fresh, stoppedByUser: true, restartAt: undefined, stopRequest: { cause, reason } }))
}

/**
 * Records why a run is being stopped without overwriting a newer runtime state: written only
 * while the stored run's event version is unchanged (re-read and retried otherwise).
 */
export async function markRunStopCause(deps: CoreDeps, run: Run, cause: StopCause, reason: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const fresh = (await deps.store.getRun(run.containerId, run.number)) ?? run
    if (fresh.stopCause === cause) return
    if (await deps.store.updateRunIfNewer({ ...fresh, stopCause: cause, stoppedReason: fresh.stoppedReason ?? reason }, true)) return
  }
}

/**
 * Asks the runtime for the run's state now and applies it (one describe call). When a runtime
 * event already stored that state, applying it brings the container there (applyObservation
 * follows the stored run) rather than leaving it to the event's container write, which may
 * still be in flight.
 */
export async function refreshRun(deps: CoreDeps, run: Run): Promise<void> {
  if (!run.ref) return
  const [obs] = await deps.backend.describeRuns([run.ref])
  if (obs) await applyObservation(deps, obs)
}

/**
 * docker stop: SIGTERM, SIGKILL after the timeout. A stopped container answers NotModified
 * (Docker's 304). A container waiting for a policy restart is just taken off the schedule.
 */
export async function stopContainer(deps: CoreDeps, c: Container, options: StopOptions = {}): Promise<Container> {
  const cause = options.cause ?? 'user'
  if (!c.state.running) {
    if (c.restartAt || c.state.status === 'restarting') {
      return updateFresh(deps, c, (fresh) => ({ ...fresh, restartAt: undefined, stoppedByUser: true, state: { ...fresh.state, status: 'exited' } }))
    }
    throw new NotModifiedError(`container ${c.name} is not running`)
  }
  const run = await currentRun(deps, c)
  const reason = options.reason ?? (cause === 'user' ? 'Stopped by user' : `Stopped by fargated: ${cause}`)
  if (!run?.ref) {
    // Start never reached the runtime: nothing to stop.
    return updateFresh(deps, c, (fresh) => ({
      ...fresh,
      stoppedByUser: true,
      state: { ...fresh.state, status: 'exited', running: false, exitCode: fresh.state.exitCode ?? 0, finishedAt: deps.clock.now().toISOString() },
    }))
  }
  await markStopping(deps, c, run, cause, reason)
  await deps.backend.stopRun(run.ref, { timeoutSeconds: options.timeoutSeconds ?? c.spec.stopTimeout, reason })
  const fresh = (await deps.store.getContainer(c.namespace, c.id)) ?? c
  await recordContainerEvent(deps.store, deps.clock, fresh, 'stop', cause === 'user' ? {} : { reason: cause })
  await refreshRun(deps, { ...run, stopCause: cause })
  return (await deps.store.getContainer(c.namespace, c.id)) ?? fresh
}

/** docker kill: sends a signal; a stopped container is a conflict, as in Docker. */
export async function killContainer(deps: CoreDeps, c: Container, signal = 'SIGKILL'): Promise<Container> {
  const run = await currentRun(deps, c)
  if (!c.state.running || !run?.ref) throw new ConflictError(`Container ${c.id} is not running`)
  const sig = signal.toUpperCase().replace(/^SIG/, '')
  const stops = sig === 'KILL' || sig === 'TERM' || sig === '9' || sig === '15'
  if (stops) await markStopping(deps, c, run, 'user', `Killed by user (SIG${sig})`)
  await deps.backend.killRun(run.ref, signal)
  const fresh = (await deps.store.getContainer(c.namespace, c.id)) ?? c
  await recordContainerEvent(deps.store, deps.clock, fresh, 'kill', { signal: /^\d+$/.test(sig) ? sig : `SIG${sig}` })
  if (stops) await refreshRun(deps, run)
  return (await deps.store.getContainer(c.namespace, c.id)) ?? fresh
}
