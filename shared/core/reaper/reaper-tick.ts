/**
 * One reaper tick (functions/reaper.ts every minute; a timer in local mode):
 *
 *   lease → list active containers → load current runs → collect usage (local polling)
 *   → orphan scan (every orphanScanIntervalSeconds; before reconcile, so a start whose
 *   reference was lost is linked before it could be marked failed) → reconcile (one
 *   describeRuns for all live runs) → due restarts → idle / lifetime stops
 *   → recommendations → release lease
 *
 * Runtime calls per tick: describeRuns of the live runs (ECS: ⌈N/100⌉ DescribeTasks), plus
 * each stop's StopTask and the describe stopContainer makes after it. A scan tick lists every
 * active task instead (ListTasks + DescribeTasks, ⌈N/100⌉ each) and describes only the live
 * runs the listing did not include. Usage is read from the store. A failure on one
 * container is recorded in `errors` and the others go on.
 */
import { randomBytes } from 'node:crypto'
import type { RunObservation } from '../model.js'
import { errorMessage, settleEach } from './concurrency.js'
import { acquireLease, lastOrphanScan, recordOrphanScan, releaseLease } from './lease.js'
import { scanOrphans } from './orphans.js'
import type { ContainerView, ReaperDeps, ReaperOptions, TickContext, TickResult } from './reaper-types.js'
import { tickSettings, viewError } from './reaper-types.js'
import { refreshRecommendations } from './recommendations.js'
import { reconcileRuns } from './reconcile.js'
import { runDueRestarts } from './restarts.js'
import { enforceStopPolicies } from './stops.js'

function emptyResult(owner: string, startedAt: Date): TickResult {
  return {
    status: 'done',
    owner,
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    containers: 0,
    described: 0,
    orphanScan: false,
    stopped: [],
    deferredStops: 0,
    restarted: [],
    repaired: [],
    orphans: [],
    recommendations: [],
    errors: [],
  }
}

async function loadViews(ctx: TickContext): Promise<ContainerView[]> {
  const { store } = ctx.deps
  const containers = await store.listActiveContainers()
  ctx.result.containers = containers.length
  const settled = await settleEach(containers, ctx.settings.concurrency, async (container): Promise<ContainerView> => {
    const run = container.state.running && container.runNumber > 0 ? await store.getRun(container.id, container.runNumber) : undefined
    return { container, run }
  })
  return settled.flatMap((s) => {
    if (s.ok) return [s.value]
    ctx.result.errors.push(viewError('load', { container: s.item }, s.error))
    return []
  })
}

async function collectUsage(ctx: TickContext, views: readonly ContainerView[]): Promise<void> {
  const { usage } = ctx.deps
  if (!usage.collect) return
  const runs = views.flatMap((v) => (v.container.state.running && v.run ? [v.run] : []))
  try {
    const out = await usage.collect(runs, ctx.now)
    ctx.result.usage = { polled: out.polled, stored: out.stored }
    for (const e of out.errors) ctx.result.errors.push({ step: 'usage', ref: e.ref, message: e.message })
  } catch (err) {
    ctx.result.errors.push({ step: 'usage', message: errorMessage(err) })
  }
}

async function orphanScanDue(ctx: TickContext): Promise<boolean> {
  if (ctx.settings.forceOrphanScan) return true
  return ctx.now - (await lastOrphanScan(ctx.deps.store)) >= ctx.settings.orphanScanIntervalSeconds
}

/** Runs a step; a step that throws as a whole is recorded and the tick goes on. */
async function step(ctx: TickContext, name: 'reconcile' | 'orphans' | 'restart' | 'policy' | 'recommend', fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (err) {
    ctx.result.errors.push({ step: name, message: errorMessage(err) })
  }
}

/**
 * The reaper's entry point, for the Lambda and the local timer alike. Returns what it did;
 * `status: 'skipped'` when another tick holds the lease. Never throws for one container's
 * failure; throws only when the store cannot be reached at all (lease, listing).
 */
export async function runReaperTick(deps: ReaperDeps, options: ReaperOptions = {}): Promise<TickResult> {
  const settings = tickSettings(options, () => randomBytes(8).toString('hex'))
  const started = deps.clock.now()
  const result = emptyResult(settings.owner, started)
  const t0 = performance.now()
  if (!(await acquireLease(deps.store, deps.clock, settings.owner, settings.leaseSeconds))) {
    return { ...result, status: 'skipped', skippedReason: 'another reaper tick holds the lease' }
  }
  const ctx: TickContext = { deps, settings, now: started.getTime() / 1000, result }
  try {
    const views = await loadViews(ctx)
    await collectUsage(ctx, views)
    let listed: Map<string, RunObservation> | undefined
    await step(ctx, 'orphans', async () => {
      if (!(await orphanScanDue(ctx))) return
      listed = await scanOrphans(ctx, views)
      if (listed) await recordOrphanScan(deps.store, ctx.now)
    })
    await step(ctx, 'reconcile', () => reconcileRuns(ctx, views, listed))
    await step(ctx, 'restart', () => runDueRestarts(ctx, views))
    await step(ctx, 'policy', () => enforceStopPolicies(ctx, views))
    await step(ctx, 'recommend', () => refreshRecommendations(ctx, views))
  } finally {
    await releaseLease(deps.store, settings.owner).catch((err) => result.errors.push({ step: 'lease', message: errorMessage(err) }))
    result.durationMs = Math.round(performance.now() - t0)
  }
  settings.log?.('reaper tick', summarize(result))
  return result
}

/** Counts for a log line. */
export function summarize(r: TickResult): Record<string, unknown> {
  return {
    status: r.status,
    durationMs: r.durationMs,
    containers: r.containers,
    described: r.described,
    orphanScan: r.orphanScan,
    stopped: r.stopped.length,
    deferredStops: r.deferredStops,
    restarted: r.restarted.length,
    repaired: r.repaired.length,
    orphans: r.orphans.length,
    recommendations: r.recommendations.length,
    errors: r.errors.length,
    ...(r.errors.length > 0 ? { firstErrors: r.errors.slice(0, 5) } : {}),
  }
}
