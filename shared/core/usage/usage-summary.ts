/**
 * GET /v1/usage: estimated spend per container and the savings fargated made, from the store
 * only (no runtime call).
 *
 * - spend = the container's costToDate (finished runs, added at STOPPED by run-observation)
 *   plus the running run's share so far (size × price × time since it started).
 * - idle / lifetime savings: after a reaper stop, the stopped size's price for the time until
 *   the container was started again (or now), capped at `stopSavingsCapHours` per stop.
 *   ASSUMPTION: without the stop it would have kept running at least that long.
 * - resize savings: for runs that ran at a size other than the spec's (sizing=auto), the price
 *   difference over the run's billed time; an upsize (after an OOM) counts as negative.
 * Removed containers leave the report with their runs.
 */
import type { Container, Run } from '../model.js'
import type { FargateSize } from '../fargate-sizes.js'
import type { Clock, Store } from '../ports.js'
import { billedSeconds, estimateRunCost, hourlyPriceFor } from '../policies/cost.js'
import { settleEach } from '../reaper/concurrency.js'
import { sizeOf } from '../spec.js'

export const STOP_SAVINGS_CAP_HOURS = 24

export interface Savings {
  idle: number
  lifetime: number
  resize: number
  total: number
}

export interface ContainerUsage {
  id: string
  name: string
  status: Container['state']['status']
  sizing: Container['spec']['sizing']
  size: FargateSize
  /** Dollars per hour while running at `size`. */
  hourlyCost: number
  spend: number
  savings: Savings
}

export interface NamespaceUsage {
  namespace: string
  asOf: string
  currency: 'USD'
  spend: number
  savings: Savings
  containers: ContainerUsage[]
  assumptions: string[]
}

const money = (v: number) => Math.round(v * 1e6) / 1e6

function emptySavings(): Savings {
  return { idle: 0, lifetime: 0, resize: 0, total: 0 }
}

function addSavings(into: Savings, from: Savings): void {
  into.idle += from.idle
  into.lifetime += from.lifetime
  into.resize += from.resize
}

function rounded(s: Savings): Savings {
  return { idle: money(s.idle), lifetime: money(s.lifetime), resize: money(s.resize), total: money(s.idle + s.lifetime + s.resize) }
}

/** Spend and savings of one container from its runs (pure). */
export function containerUsage(c: Container, runs: readonly Run[], now: number, capHours = STOP_SAVINGS_CAP_HOURS): ContainerUsage {
  const { platform } = c.spec
  const byNumber = new Map(runs.map((r) => [r.number, r]))
  const current = byNumber.get(c.runNumber)
  const running = current && current.lastStatus !== 'STOPPED' ? estimateRunCost(current, platform, now) : 0
  const savings = emptySavings()
  const specSize = sizeOf(c.spec)
  for (const run of runs) {
    const hourly = hourlyPriceFor(run.size, platform, run.capacity)
    if ((run.stopCause === 'idle' || run.stopCause === 'lifetime') && run.stoppedAt) {
      const stoppedAt = Date.parse(run.stoppedAt) / 1000
      const next = byNumber.get(run.number + 1)
      const until = next ? Date.parse(next.createdAt) / 1000 : now
      const seconds = Math.min(Math.max(0, until - stoppedAt), capHours * 3600)
      savings[run.stopCause] += (hourly * seconds) / 3600
    }
    if (run.size.cpu !== specSize.cpu || run.size.memory !== specSize.memory) {
      const specHourly = hourlyPriceFor(specSize, platform, run.capacity)
      savings.resize += ((specHourly - hourly) * billedSeconds(run, now)) / 3600
    }
  }
  return {
    id: c.id,
    name: c.name,
    status: c.state.status,
    sizing: c.spec.sizing,
    size: c.size,
    hourlyCost: money(hourlyPriceFor(c.size, platform, c.spec.capacity)),
    spend: money((c.costToDate ?? 0) + running),
    savings: rounded(savings),
  }
}

/** The namespace's spend and savings: one container query and one runs query per container. */
export async function namespaceUsage(
  deps: { store: Pick<Store, 'listContainers' | 'listRuns'>; clock: Clock },
  namespace: string,
  options: { stopSavingsCapHours?: number; concurrency?: number } = {},
): Promise<NamespaceUsage> {
  const now = deps.clock.now()
  const containers = await deps.store.listContainers(namespace)
  const settled = await settleEach(containers, options.concurrency ?? 8, async (c) =>
    containerUsage(c, await deps.store.listRuns(c.id), now.getTime() / 1000, options.stopSavingsCapHours),
  )
  const rows = settled.map((s) => {
    if (s.ok) return s.value
    throw s.error
  })
  const total = emptySavings()
  for (const r of rows) addSavings(total, r.savings)
  const cap = options.stopSavingsCapHours ?? STOP_SAVINGS_CAP_HOURS
  return {
    namespace,
    asOf: now.toISOString(),
    currency: 'USD',
    spend: money(rows.reduce((sum, r) => sum + r.spend, 0)),
    savings: rounded(total),
    containers: rows,
    assumptions: [
      'Estimates from Fargate list prices (us-east-1, Linux); Spot at 30% of on-demand; billed from run start, per second with a 1-minute minimum.',
      `An idle or lifetime stop saves the stopped size's price until the next start, at most ${cap} h per stop.`,
      "A resize saves the price difference between the spec's size and the run's size over the run's time.",
    ],
  }
}
