/**
 * Right-sizing refresh: for running containers with sizing recommend|auto, recompute the
 * recommendation (recommendSize: p95 CPU over 24 h, peak memory over 7 days, headroom, cheapest
 * valid pair) from the usage of the current run and up to PREVIOUS_RUNS earlier runs inside the
 * lookback plus the container's memory history (Container.usageHistory: first sample, daily
 * peaks; updated here from the same samples), and keep both on the container in one
 * conditional write. With sizing=auto the next start uses it
 * (applySizing). Refreshed when older than recommendIntervalSeconds; a container
 * without one is tried every recommendRetrySeconds (default RETRY_SECONDS) of run time until it
 * has enough samples.
 */
import { withRetries } from '../core-deps.js'
import type { Container, Recommendation, Run } from '../model.js'
import { sameUsageHistory, updateUsageHistory } from '../policies/memory-history.js'
import { SIZING_DEFAULTS, recommendSize } from '../policies/sizing-recommendation.js'
import type { UsageSample } from '../ports.js'
import { settleEach } from './concurrency.js'
import type { ContainerView, TickContext } from './reaper-types.js'
import { viewError } from './reaper-types.js'

const PREVIOUS_RUNS = 3
const RETRY_SECONDS = 900

const seconds = (iso: string) => Date.parse(iso) / 1000

/** Is a refresh due for this container now? */
export function isRecommendationDue(view: ContainerView, now: number, intervalSeconds: number, tickSeconds = 60, retrySeconds = RETRY_SECONDS): boolean {
  const { container: c, run } = view
  if (c.spec.sizing === 'fixed' || !c.state.running || run?.lastStatus !== 'RUNNING' || !run.startedAt || run.stopCause) return false
  if (c.recommendation) return now - seconds(c.recommendation.updatedAt) >= intervalSeconds
  const age = now - seconds(run.startedAt)
  return age >= Math.min(60, retrySeconds) && age % retrySeconds < tickSeconds
}

async function samplesFor(ctx: TickContext, c: Container, run: Run, since: number): Promise<{ samples: UsageSample[]; earlier: Run[] }> {
  const { store } = ctx.deps
  const numbers = Array.from({ length: Math.min(PREVIOUS_RUNS, run.number - 1) }, (_, i) => run.number - 1 - i)
  const earlier = (await Promise.all(numbers.map((n) => store.getRun(c.id, n)))).filter(
    (r): r is Run => !!r?.ref && !!r.stoppedAt && seconds(r.stoppedAt) > since,
  )
  const all = await Promise.all([run, ...earlier].map((r) => ctx.deps.usage.history(r, since, ctx.now)))
  return { samples: all.flat(), earlier }
}

/**
 * Computes and stores one container's recommendation and memory history; undefined when there
 * is not enough data for a recommendation (the history is still stored when it changed).
 */
export async function refreshRecommendation(ctx: TickContext, c: Container, run: Run): Promise<Recommendation | undefined> {
  const sizing = ctx.settings.sizing ?? {}
  const lookbackSeconds = sizing.lookbackSeconds ?? SIZING_DEFAULTS.lookbackSeconds
  const { samples, earlier } = await samplesFor(ctx, c, run, ctx.now - lookbackSeconds)
  const previous = earlier.find((r) => r.number === run.number - 1)
  const oomAtThisSize = previous?.oomKilled === true && previous.size.cpu === run.size.cpu && previous.size.memory === run.size.memory
  // Samples rarely catch the peak that killed a run: never recommend the memory of an OOM-killed run again.
  const oomFloor = Math.max(0, ...earlier.filter((r) => r.oomKilled).map((r) => r.size.memory))
  const usageHistory = updateUsageHistory(c.usageHistory, samples, ctx.now)
  const rec = recommendSize({
    current: run.size,
    samples,
    platform: c.spec.platform,
    capacity: c.spec.capacity,
    now: ctx.now,
    lookbackSeconds,
    memoryLookbackSeconds: sizing.memoryLookbackSeconds,
    minSamples: sizing.minSamples,
    headroom: sizing.headroom,
    oomKilled: oomAtThisSize,
    usageHistory,
  })
  const keep = rec && rec.size.memory > oomFloor ? rec : undefined
  if (!keep && sameUsageHistory(usageHistory, c.usageHistory)) return undefined
  const { store } = ctx.deps
  const stored = await withRetries(3, async () => {
    const fresh = await store.getContainer(c.namespace, c.id)
    if (!fresh || fresh.runNumber !== run.number || fresh.spec.sizing === 'fixed') return undefined
    const history = updateUsageHistory(fresh.usageHistory, samples, ctx.now)
    return store.updateContainer({ ...fresh, usageHistory: history, ...(keep ? { recommendation: keep } : {}) }, fresh.version)
  })
  return stored ? keep : undefined
}

export async function refreshRecommendations(ctx: TickContext, views: readonly ContainerView[]): Promise<void> {
  const { settings, now, result } = ctx
  const due = views
    .filter((v) => isRecommendationDue(v, now, settings.recommendIntervalSeconds, undefined, settings.recommendRetrySeconds))
    .sort((a, b) => (a.container.recommendation?.updatedAt ?? '').localeCompare(b.container.recommendation?.updatedAt ?? ''))
    .slice(0, settings.maxRecommendationsPerTick)
  const settled = await settleEach(due, settings.concurrency, (v) => refreshRecommendation(ctx, v.container, v.run!))
  for (const s of settled) {
    if (!s.ok) result.errors.push(viewError('recommend', s.item, s.error))
    else if (s.value) result.recommendations.push({ namespace: s.item.container.namespace, containerId: s.item.container.id, size: s.value.size, current: s.value.current })
  }
}
