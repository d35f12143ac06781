/**
 * The orphan scan: every runtime task fargated started (backend.listActiveRuns) that no active
 * run in the store accounts for.
 * - The store knows the run and it is live → a newer state is applied (the active index lagged).
 * - It is the container's current run, recorded without a reference (a crash between the
 *   runtime call and the write that records it) → linked: the run gets its reference back.
 * - Otherwise it is an orphan, handled by the orphan policy: `stop` (default) stops it,
 *   `ignore` leaves it, `adopt` makes it the current run of its container when that container
 *   exists and is not running (else it is left running and reported).
 */
import type { Run, RunObservation } from '../model.js'
import { applyObservation } from '../run-observation.js'
import { errorMessage, settleEach } from './concurrency.js'
import type { ContainerView, TickContext, TickResult } from './reaper-types.js'

type OrphanEntry = TickResult['orphans'][number]

export const ORPHAN_STOP_REASON = 'Stopped by fargated: task unknown to fargated (orphan)'

/**
 * Scans and settles the orphans. Returns every active run the runtime listed, by ref, so
 * reconcile need not describe them again (undefined when the listing failed).
 */
export async function scanOrphans(ctx: TickContext, views: readonly ContainerView[]): Promise<Map<string, RunObservation> | undefined> {
  const { deps, result, settings } = ctx
  let active: RunObservation[]
  try {
    active = await deps.backend.listActiveRuns()
  } catch (err) {
    result.errors.push({ step: 'orphans', message: errorMessage(err) })
    return undefined
  }
  result.orphanScan = true
  const known = new Set(views.flatMap((v) => (v.run?.ref ? [v.run.ref] : [])))
  const unknown = active.filter((o) => !known.has(o.ref))
  const settled = await settleEach(unknown, settings.concurrency, (obs) => settleOne(ctx, obs))
  for (const s of settled) {
    if (!s.ok) result.errors.push({ step: 'orphans', ref: s.item.ref, namespace: s.item.namespace, containerId: s.item.containerId, message: errorMessage(s.error) })
    else if (s.value) result.orphans.push(s.value)
  }
  return new Map(active.map((o) => [o.ref, o]))
}

async function settleOne(ctx: TickContext, obs: RunObservation): Promise<OrphanEntry | undefined> {
  const { store } = ctx.deps
  const run = await store.getRunByRef(obs.ref)
  if (run && run.lastStatus !== 'STOPPED') {
    if (obs.version > run.eventVersion) await applyObservation(ctx.deps, obs)
    return undefined
  }
  if (!run && (await linkInterruptedStart(ctx, obs))) return undefined
  const entry = { ref: obs.ref, namespace: obs.namespace, containerId: obs.containerId }
  switch (ctx.settings.orphanPolicy) {
    case 'ignore':
      return { ...entry, action: 'ignored', reason: 'orphan policy is ignore' }
    case 'adopt':
      return adopt(ctx, obs, entry)
    default:
      await ctx.deps.backend.stopRun(obs.ref, { timeoutSeconds: 30, reason: ORPHAN_STOP_REASON })
      return { ...entry, action: 'stopped', reason: run ? 'its run is stopped in the store' : 'no run in the store' }
  }
}

/** The container's current run has no reference yet and the task carries its number: give it the reference. */
async function linkInterruptedStart(ctx: TickContext, obs: RunObservation): Promise<boolean> {
  const { store } = ctx.deps
  if (!obs.namespace || !obs.containerId || obs.runNumber === undefined) return false
  const c = await store.getContainer(obs.namespace, obs.containerId)
  if (!c || c.runNumber !== obs.runNumber || !c.state.running) return false
  const run = await store.getRun(c.id, obs.runNumber)
  if (!run || run.ref || run.lastStatus === 'STOPPED') return false
  await store.putRun({ ...run, ref: obs.ref, eventVersion: Math.min(run.eventVersion, obs.version - 1) })
  await applyObservation(ctx.deps, obs)
  ctx.result.repaired.push({ namespace: c.namespace, containerId: c.id, ref: obs.ref, kind: 'linked', status: obs.lastStatus })
  return true
}

async function adopt(ctx: TickContext, obs: RunObservation, entry: Omit<OrphanEntry, 'action' | 'reason'>): Promise<OrphanEntry> {
  const { store, backend } = ctx.deps
  const ignored = (reason: string): OrphanEntry => ({ ...entry, action: 'ignored', reason })
  if (!obs.namespace || !obs.containerId) return ignored('the task names no fargated container')
  const c = await store.getContainer(obs.namespace, obs.containerId)
  if (!c) return ignored('its container is not in the store')
  if (c.state.running) return ignored('its container is running another run')
  const number = obs.runNumber ?? c.runNumber + 1
  if (number < c.runNumber) return ignored(`run ${number} is older than the container's run ${c.runNumber}`)
  const existing = await store.getRun(c.id, number)
  const at = new Date(ctx.now * 1000).toISOString()
  const run: Run = {
    containerId: c.id,
    namespace: c.namespace,
    number,
    backend: backend.kind,
    size: existing?.size ?? c.size,
    image: existing?.image ?? c.spec.image,
    imageDigest: existing?.imageDigest,
    capacity: existing?.capacity ?? (c.spec.capacity === 'on-demand' ? 'on-demand' : 'spot'),
    createdAt: existing?.createdAt ?? at,
    ref: obs.ref,
    lastStatus: 'PROVISIONING',
    eventVersion: obs.version - 1,
  }
  await store.putRun(run)
  await store.updateContainer({ ...c, runNumber: number, stoppedByUser: false, restartAt: undefined }, c.version)
  await applyObservation(ctx.deps, obs)
  return { ...entry, action: 'adopted', reason: `became run ${number} of its container` }
}
