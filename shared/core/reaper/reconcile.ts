/**
 * Reconcile: the store's running runs against the runtime, with one describeRuns call for all
 * of them (ECS: DescribeTasks per 100). Drift repaired through applyObservation (the same path
 * as a runtime event), so `die`, cost and the restart policy follow as for a real event:
 * - the runtime reports a newer state (a lost event) → applied;
 * - the runtime no longer knows the run (ECS forgets stopped tasks after about an hour) → the
 *   run is stopped with cause `lost`;
 * - the run is STOPPED in the store but its container still shows it running (a crash between
 *   the two writes) → the final transition is replayed;
 * - a start never got a runtime reference (crash before or after the runtime call) and is
 *   older than stuckStartSeconds → the run is marked failed-to-start and the container dead.
 */
import { withRetries } from '../core-deps.js'
import { recordContainerEvent } from '../event-log.js'
import type { Container, Run, RunObservation } from '../model.js'
import { applyObservation } from '../run-observation.js'
import { errorMessage, settleEach } from './concurrency.js'
import type { ContainerView, RepairKind, TickContext } from './reaper-types.js'
import { viewError } from './reaper-types.js'

const seconds = (iso: string | undefined) => (iso ? Date.parse(iso) / 1000 : undefined)

/** Runs the store thinks are live: their container is running and the run has not stopped. */
export function trackedViews(views: readonly ContainerView[]): ContainerView[] {
  return views.filter((v) => v.container.state.running)
}

/**
 * `listed`: the orphan scan's observations of every active run, when this tick scanned; runs
 * found there are not described again (a scan tick costs the listing, not twice the describes).
 */
export async function reconcileRuns(ctx: TickContext, views: readonly ContainerView[], listed?: ReadonlyMap<string, RunObservation>): Promise<void> {
  const { deps, result, settings } = ctx
  const tracked = trackedViews(views)
  const refs = tracked.flatMap((v) => (v.run?.ref && v.run.lastStatus !== 'STOPPED' && !listed?.has(v.run.ref) ? [v.run.ref] : []))
  let observed: RunObservation[]
  try {
    observed = refs.length > 0 ? await deps.backend.describeRuns(refs) : []
    result.described = refs.length
  } catch (err) {
    result.errors.push({ step: 'describe', message: errorMessage(err) })
    return
  }
  const byRef = new Map([...(listed ?? []), ...observed.map((o): [string, RunObservation] => [o.ref, o])])
  const settled = await settleEach(tracked, settings.concurrency, (view) => reconcileOne(ctx, view, view.run?.ref ? byRef.get(view.run.ref) : undefined))
  for (const s of settled) if (!s.ok) result.errors.push(viewError('reconcile', s.item, s.error))
}

async function reconcileOne(ctx: TickContext, view: ContainerView, obs: RunObservation | undefined): Promise<void> {
  const { now, settings } = ctx
  const { container, run } = view
  const repaired = (kind: RepairKind, status?: string) =>
    ctx.result.repaired.push({ namespace: container.namespace, containerId: container.id, ref: run?.ref, kind, status })
  if (!run?.ref) {
    const since = seconds(run?.createdAt) ?? seconds(container.state.startedAt) ?? now
    if (run?.lastStatus === 'STOPPED' || now - since < settings.stuckStartSeconds) return
    if (await markFailedToStart(ctx, container, run)) {
      view.run = run && { ...run, lastStatus: 'STOPPED' }
      repaired('failed-to-start')
    }
    return
  }
  if (run.lastStatus === 'STOPPED') {
    // The active index is eventually consistent: only replay when a consistent read agrees.
    const fresh = await ctx.deps.store.getContainer(container.namespace, container.id)
    if (!fresh?.state.running || fresh.runNumber !== run.number) return
    await replayStop(ctx, run)
    repaired('replayed-stop', 'STOPPED')
    return
  }
  if (!obs) {
    if (now - (seconds(run.createdAt) ?? now) < settings.lostAfterSeconds) return
    await markLost(ctx, run)
    view.run = { ...run, lastStatus: 'STOPPED', stopCause: 'lost' }
    repaired('lost', 'STOPPED')
    return
  }
  if (obs.version <= run.eventVersion) return
  const outcome = await applyObservation(ctx.deps, obs)
  if (outcome !== 'applied') return
  view.run = { ...run, lastStatus: obs.lastStatus, eventVersion: obs.version, startedAt: obs.startedAt ?? run.startedAt }
  if (obs.lastStatus !== run.lastStatus) repaired(obs.lastStatus === 'STOPPED' ? 'stopped' : 'status', obs.lastStatus)
}

/** The runtime does not know the run any more: stop it with cause `lost` (exit 137, or dead if it never started). */
async function markLost(ctx: TickContext, run: Run): Promise<void> {
  const reason = run.stoppedReason ?? 'The runtime no longer knows this run (fargated reconcile)'
  await ctx.deps.store.putRun({ ...run, stopCause: run.stopCause ?? 'lost', stoppedReason: reason })
  await applyObservation(ctx.deps, {
    ref: run.ref!,
    lastStatus: 'STOPPED',
    version: run.eventVersion + 1,
    startedAt: run.startedAt,
    stoppedAt: new Date(ctx.now * 1000).toISOString(),
    exitCode: run.exitCode,
    stoppedReason: reason,
  })
}

/** Steps the run back one version and applies its STOPPED state again, so the container follows. */
async function replayStop(ctx: TickContext, run: Run): Promise<void> {
  await ctx.deps.store.putRun({ ...run, lastStatus: 'DEPROVISIONING', eventVersion: run.eventVersion - 1 })
  await applyObservation(ctx.deps, {
    ref: run.ref!,
    lastStatus: 'STOPPED',
    version: run.eventVersion,
    exitCode: run.exitCode,
    stopCode: run.stopCode,
    stoppedReason: run.stoppedReason,
    oomKilled: run.oomKilled,
    startedAt: run.startedAt,
    stoppingAt: run.stoppingAt,
    stoppedAt: run.stoppedAt,
  })
}

/** A start that never reached the runtime (or never recorded reaching it): the run failed, the container is dead. */
async function markFailedToStart(ctx: TickContext, c: Container, run: Run | undefined): Promise<boolean> {
  const { store, clock } = ctx.deps
  const at = new Date(ctx.now * 1000).toISOString()
  const reason = 'The start did not reach the runtime (fargated reconcile)'
  const current = await store.getContainer(c.namespace, c.id)
  if (!current?.state.running || current.runNumber !== c.runNumber) return false
  const currentRun = run && (await store.getRun(run.containerId, run.number))
  if (currentRun && (currentRun.ref || currentRun.lastStatus === 'STOPPED')) return false
  if (run) await store.putRun({ ...run, lastStatus: 'STOPPED', stopCause: 'failed-to-start', stoppedReason: reason, stoppedAt: at })
  const dead = await withRetries(5, async () => {
    const fresh = await store.getContainer(c.namespace, c.id)
    if (!fresh || !fresh.state.running || fresh.runNumber !== c.runNumber) return undefined
    return store.updateContainer(
      {
        ...fresh,
        state: {
          status: 'dead',
          running: false,
          exitCode: 128,
          oomKilled: false,
          startedAt: fresh.state.startedAt,
          finishedAt: at,
          stopCause: 'failed-to-start',
          stopReason: reason,
          error: reason,
        },
      },
      fresh.version,
    )
  })
  if (!dead) return false
  await recordContainerEvent(store, clock, dead, 'die', { exitCode: '128', reason: 'failed-to-start', stopReason: reason })
  return true
}
