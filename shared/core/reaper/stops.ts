/**
 * Idle and max-lifetime stops. The decision is the policies' (evaluateStop: lifetime first,
 * then idleness over the usage samples); the stop is stopContainer's with cause idle|lifetime,
 * which records the run's stop cause (so `die` carries it), the `stop` event and keeps the
 * restart policy from bringing the container back.
 */
import { stopContainer } from '../container-stop.js'
import { DEFAULT_SAMPLE_STEP, MAX_GAP_STEPS } from '../policies/idle-policy.js'
import { evaluateLifetime } from '../policies/lifetime-policy.js'
import { evaluateStop, type StopDecision } from '../policies/stop-policy.js'
import { settleEach } from './concurrency.js'
import type { ContainerView, TickContext } from './reaper-types.js'
import { viewError } from './reaper-types.js'

/** Samples read before the idle window, so a gap at its start is seen as a gap. */
const IDLE_MARGIN_SECONDS = (MAX_GAP_STEPS + 1) * DEFAULT_SAMPLE_STEP

/** A run the policies may stop: live, not already being stopped, with a policy to apply. */
export function hasStopPolicy(view: ContainerView): boolean {
  const { container: c, run } = view
  if (!c.state.running || !run || run.lastStatus === 'STOPPED' || run.stopCause) return false
  return c.spec.maxLifetime !== undefined || c.spec.idle !== undefined
}

/** The stop decision for one run; reads usage only when an idle policy needs it. */
export async function decideStop(ctx: TickContext, view: ContainerView): Promise<StopDecision | undefined> {
  const { container: c, run } = view
  if (!run) return undefined
  const startedAt = Date.parse(run.startedAt ?? run.createdAt) / 1000
  const { now } = ctx
  const expired = evaluateLifetime({ maxLifetime: c.spec.maxLifetime, startedAt, now }).expired
  const idle = c.spec.idle
  const readUsage = !expired && idle && run.lastStatus === 'RUNNING' && run.startedAt && now - startedAt >= idle.grace + idle.after
  const samples = readUsage ? await ctx.deps.usage.samples(run, Math.max(startedAt, now - idle.after - IDLE_MARGIN_SECONDS), now) : []
  return evaluateStop({ spec: c.spec, size: run.size, startedAt, now, samples })
}

/**
 * Decides for every candidate, then stops at most maxStopsPerTick of them (lifetime stops
 * first); the rest are decided again, and stopped, by the next tick. This bounds a tick's
 * length when many containers go idle at once (StopTask is rate limited).
 */
export async function enforceStopPolicies(ctx: TickContext, views: readonly ContainerView[]): Promise<void> {
  const { deps, result, settings } = ctx
  const decided = await settleEach(views.filter(hasStopPolicy), settings.concurrency, async (view) => ({ view, decision: await decideStop(ctx, view) }))
  const stops: { view: ContainerView; decision: StopDecision }[] = []
  for (const s of decided) {
    if (!s.ok) result.errors.push(viewError('policy', s.item, s.error))
    else if (s.value.decision) stops.push({ view: s.value.view, decision: s.value.decision })
  }
  stops.sort((a, b) => Number(b.decision.cause === 'lifetime') - Number(a.decision.cause === 'lifetime'))
  result.deferredStops = Math.max(0, stops.length - settings.maxStopsPerTick)
  const settled = await settleEach(stops.slice(0, settings.maxStopsPerTick), settings.concurrency, async ({ view, decision }) => {
    const fresh = await deps.store.getContainer(view.container.namespace, view.container.id)
    if (!fresh?.state.running || fresh.runNumber !== view.run?.number) return
    await stopContainer(deps, fresh, { cause: decision.cause, reason: `Stopped by fargated: ${decision.reason}` })
    result.stopped.push({ namespace: fresh.namespace, containerId: fresh.id, cause: decision.cause, reason: decision.reason })
    settings.log?.('stopped', { namespace: fresh.namespace, container: fresh.id, cause: decision.cause, reason: decision.reason })
  })
  for (const s of settled) if (!s.ok) result.errors.push(viewError('policy', s.item.view, s.error))
}
