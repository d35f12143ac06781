import { canonicalJson } from './canonical-json.js'
import type { CoreDeps } from './core-deps.js'
import { withRetries } from './core-deps.js'
import { recordContainerEvent } from './event-log.js'
import { estimateRunCost } from './policies/cost.js'
import { recommendSize } from './policies/sizing-recommendation.js'
import type { Container, Endpoint, Run, RunObservation } from './model.js'
import { removeContainer } from './container-remove.js'
import { decideRestart } from './restart-policy.js'
import { isSpotStop, statusRank, toContainerState } from './state.js'
import { updateUsageHistory } from './policies/memory-history.js'
import type { UsageSample } from './ports.js'
import { StoredUsageSource } from './usage/usage-source.js'

export type ObservationOutcome = 'applied' | 'stale' | 'unknown-run'

/**
 * Applies what the runtime says about a run (ECS Task State Change, DescribeTasks, engine
 * event). Events repeat and reorder: only a newer version moves a run, and a run never moves
 * back in its lifecycle. The container follows its current run only. STOPPED records `die`,
 * adds the run's cost and applies the restart policy (sets restartAt; the reaper or the
 * caller starts it when due).
 */
export async function applyObservation(deps: CoreDeps, obs: RunObservation): Promise<ObservationOutcome> {
  const { store } = deps
  const run = (await namedRun(deps, obs)) ?? (await runByRef(deps, obs.ref)) ?? (await adoptableRun(deps, obs))
  if (!run) return 'unknown-run'
  if (statusRank(obs.lastStatus) < statusRank(run.lastStatus)) return followStored(deps, run)
  const next: Run = {
    ...run,
    ref: obs.ref,
    lastStatus: obs.lastStatus,
    eventVersion: obs.version,
    startedAt: obs.startedAt ?? run.startedAt,
    stoppingAt: obs.stoppingAt ?? run.stoppingAt,
    stoppedAt: obs.stoppedAt ?? run.stoppedAt,
    exitCode: obs.exitCode ?? run.exitCode,
    stopCode: obs.stopCode ?? run.stopCode,
    stoppedReason: run.stoppedReason ?? obs.stoppedReason,
    oomKilled: obs.oomKilled || run.oomKilled,
    health: obs.health ?? run.health,
    address: obs.address ?? run.address,
    endpoints: obs.endpoints ?? run.endpoints,
  }
  for (const k of ['health', 'address', 'endpoints'] as const) if (next[k] === undefined) delete next[k]
  if (obs.lastStatus === 'STOPPED' && !next.stoppedAt) next.stoppedAt = deps.clock.now().toISOString()
  const applied = await store.updateRunIfNewer(next)
  if (!applied) return followStored(deps, run)
  await updateContainerFromRun(deps, next, obs)
  return 'applied'
}

const DAY_SECONDS = 86_400

/**
 * The stopped run's usage of its last day (the reaper merges samples into the memory history
 * only while a run runs, about hourly): merged with the stop, so the week's peak keeps the
 * end of every run, a weekly job's included. Samples live in the store on both backends.
 */
async function lastDaySamples(deps: CoreDeps, run: Run, now: number): Promise<UsageSample[]> {
  const started = run.startedAt ? Date.parse(run.startedAt) / 1000 : now - DAY_SECONDS
  return new StoredUsageSource(deps.store).history(run, Math.max(started, now - DAY_SECONDS), now).catch(() => [])
}


/**
 * A stale observation: the run already holds newer news. Its container is brought to that
 * state (a no-op when it is there), so a container write that lost a race, or one an earlier
 * applier never finished, is completed by whichever observation comes next.
 */
async function followStored(deps: CoreDeps, run: Run): Promise<'stale'> {
  await followStoredRun(deps, run.containerId, run.number)
  return 'stale'
}

/**
 * Brings the container to its run's stored state, when an observation lost to a newer one
 * whose own container update is still in flight (the start's answer vs. the engine's `start`
 * event): the caller then returns the state the runtime already reported.
 */
export async function followStoredRun(deps: CoreDeps, containerId: string, runNumber: number): Promise<void> {
  const run = await deps.store.getRun(containerId, runNumber)
  if (run?.ref) await updateContainerFromRun(deps, run, { ref: run.ref, lastStatus: run.lastStatus, version: run.eventVersion })
}

async function updateContainerFromRun(deps: CoreDeps, applied: Run, obs: RunObservation): Promise<void> {
  const { store, clock } = deps
  let stoppedNow = false
  let died: Container | undefined
  let finalSamples: UsageSample[] | undefined
  await withRetries(5, async () => {
    stoppedNow = false
    const c = await store.getContainer(applied.namespace, applied.containerId)
    if (!c || c.runNumber !== applied.number) return
    // Observations race (engine start/die/kill/stop events, the start's own, a describe): the
    // container follows the newest stored state of its run, not this observation, so a late
    // RUNNING never revives an exited container. Read after the container: a newer
    // observation's container write then conflicts with ours and we re-read.
    const stored = await store.getRun(applied.containerId, applied.number)
    const run = stored && stored.eventVersion > applied.eventVersion ? stored : applied
    // Only the observation that moves the container out of running records the stop.
    stoppedNow = run.lastStatus === 'STOPPED' && (c.state.running || c.state.status === 'created')
    const cause = run.stopCause ?? c.stopRequest?.cause ?? (run.oomKilled ? 'oom' : isSpotStop(run.stopCode) ? 'spot' : undefined)
    const seen: RunObservation = { ...obs, lastStatus: run.lastStatus, version: run.eventVersion, stopCode: run.stopCode, startedAt: run.startedAt, stoppedAt: run.stoppedAt, exitCode: run.exitCode, oomKilled: run.oomKilled, stoppedReason: run.stoppedReason }
    const state = toContainerState(seen, c.state, cause)
    // Health shows while the run runs and the spec has a check (Docker's "Up 2 minutes (healthy)").
    if (c.spec.healthcheck && run.lastStatus === 'RUNNING' && run.health) state.health = run.health
    const endpoints = run.lastStatus === 'RUNNING' ? endpointsOf(c, run) : undefined
    if (endpoints) state.endpoints = endpoints
    const next: Container = { ...c, state }
    // A repeated STOPPED of a run whose restart is scheduled keeps the container `restarting`.
    if (!stoppedNow && run.lastStatus === 'STOPPED' && c.restartAt && c.state.status === 'restarting') next.state = { ...state, status: 'restarting' }
    if (stoppedNow) {
      const now = clock.now()
      next.costToDate = (c.costToDate ?? 0) + estimateRunCost(run, c.spec.platform, now.getTime() / 1000)
      if (c.spec.sizing !== 'fixed') {
        finalSamples ??= await lastDaySamples(deps, run, now.getTime() / 1000)
        const history = updateUsageHistory(c.usageHistory, finalSamples, now.getTime() / 1000)
        if (history) next.usageHistory = history
      }
      if (state.oomKilled && c.spec.sizing !== 'fixed') {
        // An OOM exit steps memory up one size from the size that was killed.
        next.recommendation = recommendSize({
          current: run.size,
          samples: [],
          platform: c.spec.platform,
          capacity: c.spec.capacity,
          now: now.getTime() / 1000,
          oomKilled: true,
        })
      }
      const decision = decideRestart({
        policy: c.spec.restartPolicy,
        exitCode: state.exitCode,
        cause: state.stopCause ?? 'exited',
        restartCount: c.restartCount,
        stoppedByUser: c.stoppedByUser === true,
      })
      if (decision.restart) {
        next.restartAt = new Date(clock.now().getTime() + decision.delaySeconds * 1000).toISOString()
        next.state = { ...next.state, status: 'restarting' }
      }
    }
    // A repeated observation (the runtime's event of what the start already stored) writes nothing;
    // compared as stored (keys holding undefined are not stored).
    if (!stoppedNow && canonicalJson(next) === canonicalJson(c)) return
    died = await store.updateContainer(next, c.version)
  })
  if (stoppedNow && died) {
    if (died.state.oomKilled) await recordContainerEvent(store, clock, died, 'oom')
    await recordContainerEvent(store, clock, died, 'die', {
      exitCode: String(died.state.exitCode ?? ''),
      reason: died.state.stopCause,
      stopReason: died.state.stopReason,
    })
    if (died.spec.autoRemove && !died.restartAt) {
      await new Promise((r) => setTimeout(r, deps.autoRemoveGraceMs ?? 2000))
      const current = await store.getContainer(died.namespace, died.id)
      if (current && !current.state.running) await removeContainer(deps, current).catch(() => undefined)
    }
  }
}

/**
 * Where the running run's published ports answer: the engine's bindings, or on Fargate the
 * task's own address with each container port (awsvpc: no host port mapping).
 */
export function endpointsOf(c: Pick<Container, 'spec'>, run: Pick<Run, 'address' | 'endpoints'>): Endpoint[] | undefined {
  if (run.endpoints?.length) return run.endpoints
  if (!run.address || c.spec.ports.length === 0) return undefined
  return c.spec.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol, ip: run.address!, port: p.containerPort }))
}

/**
 * The run an observation names by number (engine labels), by its key: when it carries this
 * ref, or has none yet and can be adopted. Saves the ref index lookup.
 */
async function namedRun(deps: CoreDeps, obs: RunObservation): Promise<Run | undefined> {
  if (!obs.containerId || obs.runNumber === undefined) return undefined
  const run = await deps.store.getRun(obs.containerId, obs.runNumber)
  return run?.ref === obs.ref ? run : adoptable(run, obs)
}

/**
 * The ref index may lag a write (a DynamoDB GSI is eventually consistent): it finds the run,
 * the primary key gives its current copy (a stop cause written a moment ago included).
 */
async function runByRef(deps: CoreDeps, ref: string): Promise<Run | undefined> {
  const byRef = await deps.store.getRunByRef(ref)
  return byRef ? ((await deps.store.getRun(byRef.containerId, byRef.number)) ?? byRef) : undefined
}

/**
 * A run whose start has not stored its runtime ref yet (the runtime's first events can beat
 * the RunTask/create response), for an observation that names its container but not the run
 * (namedRun took those): the container's current run, adopted with this ref. Tried after the
 * ref index, so an event of an earlier run is never taken for the current one.
 */
async function adoptableRun(deps: CoreDeps, obs: RunObservation): Promise<Run | undefined> {
  if (!obs.containerId || !obs.namespace || obs.runNumber !== undefined) return undefined
  const number = (await deps.store.getContainer(obs.namespace, obs.containerId))?.runNumber
  return number ? adoptable(await deps.store.getRun(obs.containerId, number), obs) : undefined
}

/** A run that has no runtime ref yet and has not stopped, for an observation that names its namespace. */
function adoptable(run: Run | undefined, obs: RunObservation): Run | undefined {
  return run && !run.ref && run.lastStatus !== 'STOPPED' && obs.namespace ? run : undefined
}
