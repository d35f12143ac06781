/**
 * Moving a rollout on: look at the new run, and commit, fail or wait.
 * - RUNNING (and healthy, when the spec has a health check and the runtime reports health):
 *   commit. The container's runNumber moves to the new run in one conditional write, made
 *   only while it still points at the old run; then the old run is stopped with cause
 *   `redeploy`. From then on the old run's events (STOPPED included) touch only its run
 *   record, since applyObservation moves a container only for its current run.
 * - STOPPED, unhealthy, or not running by the deadline: fail. The new run is stopped, the
 *   container keeps its old run, and a `rollout` event with outcome `failed` says why.
 * - The container was removed, stopped or restarted meanwhile: fail the same way.
 */
import { withRetries } from '../core-deps.js'
import type { Container, Run, RunHealth } from '../model.js'
import { applyObservation, endpointsOf } from '../run-observation.js'
import { recordRollout } from './rollout-events.js'
import { markRunStopCause } from '../container-stop.js'
import { finishLease } from './rollout-finish.js'
import type { RolloutDeps, RolloutRecord, RolloutResult } from './rollout-types.js'

export type AdvanceOutcome = { done: false } | { done: true; result: RolloutResult; next?: RolloutRecord }

const PENDING: AdvanceOutcome = { done: false }

export async function advanceRollout(deps: RolloutDeps, record: RolloutRecord): Promise<AdvanceOutcome> {
  const { store, clock } = deps
  const c = await store.getContainer(record.namespace, record.containerId)
  if (!c) return fail(deps, record, undefined, 'the container was removed during the rollout')
  if (c.runNumber === record.newRunNumber) {
    // Another process committed it already.
    const next = await finishLease(deps, c.namespace, c.id)
    return { done: true, result: result(c, record, 'succeeded'), next }
  }
  if (c.runNumber !== record.oldRunNumber || c.stoppedByUser) {
    return fail(deps, record, c, 'the container was stopped or restarted during the rollout')
  }
  // The ref may be stored on the run (by the start, or adopted from a runtime event) before
  // the rollout record has it.
  const newRef = record.newRef ?? (await store.getRun(c.id, record.newRunNumber))?.ref
  if (!newRef) {
    if (clock.now().getTime() <= Date.parse(record.deadline)) return PENDING
    return fail(deps, record, c, 'the new run did not reach the runtime')
  }
  const [obs] = await deps.backend.describeRuns([newRef])
  if (obs) await applyObservation(deps, obs)
  const run = await store.getRun(c.id, record.newRunNumber)
  const status = obs?.lastStatus ?? run?.lastStatus
  if (!run || status === 'STOPPED') {
    const exit = obs?.exitCode ?? run?.exitCode
    const why = obs?.stoppedReason ?? run?.stoppedReason
    return fail(deps, record, c, `the new run stopped${exit !== undefined && exit !== null ? ` with exit code ${exit}` : ''}${why ? `: ${why}` : ''}`)
  }
  const late = clock.now().getTime() > Date.parse(record.deadline)
  if (status === 'RUNNING') {
    const settle = deps.settleSeconds ?? 0
    const startedAt = Date.parse(obs?.startedAt ?? run.startedAt ?? '')
    if (settle > 0 && !(clock.now().getTime() - startedAt >= settle * 1000)) {
      return late ? fail(deps, record, c, `the new run did not stay running for ${settle}s within ${timeoutText(record)}`) : PENDING
    }
    const health = !c.spec.healthcheck ? 'healthy' : deps.health ? await deps.health(run) : (obs?.health ?? run.health)
    if (health === 'unhealthy') return fail(deps, record, c, 'the new run is unhealthy')
    if (health === 'healthy' || health === undefined) return commit(deps, record, run, health)
    if (late) return fail(deps, record, c, `the new run was not healthy within ${timeoutText(record)}`)
    return PENDING
  }
  if (late) return fail(deps, record, c, `the new run was not running within ${timeoutText(record)} (still ${status})`)
  return PENDING
}

function timeoutText(record: RolloutRecord): string {
  return `${Math.round((Date.parse(record.deadline) - Date.parse(record.startedAt)) / 1000)}s`
}

function result(c: Container, record: RolloutRecord, outcome: RolloutResult['outcome'], reason?: string): RolloutResult {
  return {
    namespace: c.namespace, containerId: c.id, name: c.name, outcome,
    ...(reason ? { reason } : {}),
    digest: record.digest ?? record.target.digest,
    runNumber: outcome === 'succeeded' ? record.newRunNumber : record.oldRunNumber,
  }
}

async function commit(deps: RolloutDeps, record: RolloutRecord, run: Run, health?: RunHealth): Promise<AdvanceOutcome> {
  const { store, clock } = deps
  const committed = await withRetries(5, async () => {
    const fresh = await store.getContainer(record.namespace, record.containerId)
    if (!fresh || fresh.runNumber !== record.oldRunNumber || fresh.stoppedByUser) return undefined
    return store.updateContainer(
      {
        ...fresh,
        runNumber: record.newRunNumber,
        size: run.size,
        imageDigest: record.digest ?? run.imageDigest ?? fresh.imageDigest,
        spec: { ...fresh.spec, image: record.target.specImage },
        restartAt: undefined,
        restartCount: 0,
        stoppedByUser: false,
        state: {
          status: 'running',
          running: true,
          exitCode: null,
          oomKilled: false,
          startedAt: run.startedAt ?? clock.now().toISOString(),
          ...(fresh.spec.healthcheck && health ? { health } : {}),
          ...(endpointsOf(fresh, run) ? { endpoints: endpointsOf(fresh, run) } : {}),
        },
      },
      fresh.version,
    )
  })
  if (!committed) {
    const c = await store.getContainer(record.namespace, record.containerId)
    if (c && c.runNumber === record.newRunNumber) {
      // Another process (background drive, run event, reaper) committed it: that is success.
      const next = await finishLease(deps, c.namespace, c.id)
      return { done: true, result: result(c, record, 'succeeded'), next }
    }
    return fail(deps, record, c, 'the container was stopped or restarted during the rollout')
  }
  await stopRunOf(deps, committed, record.oldRunNumber, `Stopped by fargated: redeployed on ${record.digest ?? record.target.image}`)
  await recordRollout(deps, committed, record, 'succeeded')
  const next = await finishLease(deps, committed.namespace, committed.id)
  return { done: true, result: result(committed, record, 'succeeded'), next }
}

async function fail(deps: RolloutDeps, record: RolloutRecord, c: Container | undefined, reason: string): Promise<AdvanceOutcome> {
  if (c && c.runNumber !== record.newRunNumber) {
    await stopRunOf(deps, c, record.newRunNumber, `Stopped by fargated: rollout failed: ${reason}`).catch((err) => {
      console.error(JSON.stringify({ msg: 'could not stop the new run of a failed rollout', container: c.id, error: String(err) }))
    })
  }
  if (c) await recordRollout(deps, c, record, 'failed', reason)
  const next = await finishLease(deps, record.namespace, record.containerId)
  const shown = c ?? ({ namespace: record.namespace, id: record.containerId, name: '' } as Container)
  return { done: true, result: result(shown, record, 'failed', reason), next }
}

/** Stops one run that is not (or no longer) the container's current run, with cause `redeploy`. */
async function stopRunOf(deps: RolloutDeps, c: Container, number: number, reason: string): Promise<void> {
  const run = await deps.store.getRun(c.id, number)
  if (!run?.ref || run.lastStatus === 'STOPPED') return
  await markRunStopCause(deps, run, 'redeploy', reason)
  await deps.backend.stopRun(run.ref, { timeoutSeconds: c.spec.stopTimeout, reason })
  const [obs] = await deps.backend.describeRuns([run.ref])
  if (obs) await applyObservation(deps, obs)
}
