import type { Run } from '../model.js'
import type { ComputeBackend, Store, UsageSample } from '../ports.js'
import { errorMessage, settleEach } from '../reaper/concurrency.js'
import { appendUsageSamples, listUsageSamples, readUsageSamples, usageKeyOf } from './usage-records.js'

export interface CollectResult {
  /** Runs the source asked the runtime about. */
  polled: number
  /** Samples stored. */
  stored: number
  errors: { ref: string; message: string }[]
}

/**
 * Where the reaper reads usage. In AWS the samples come from Container Insights performance
 * events, stored by the events function (shared/backends/ecs/container-insights.ts), so reading
 * costs no AWS call besides DynamoDB. Locally the engine's stats are polled once per tick.
 */
export interface UsageSource {
  /** Samples of the run with since ≤ time ≤ until (unix seconds), oldest first. */
  samples(run: Run, since: number, until: number): Promise<UsageSample[]>
  /** Samples over a long lookback (sizing): may use one bigger read instead of one per hour. */
  history(run: Run, since: number, until: number): Promise<UsageSample[]>
  /** Called once per tick, before any read, with the runs that are running (polling sources sample them). */
  collect?(runs: readonly Run[], now: number): Promise<CollectResult>
}

/** Reads the samples someone else stored (the events function, in AWS). */
export class StoredUsageSource implements UsageSource {
  constructor(protected readonly store: Pick<Store, 'getRecord' | 'putRecord' | 'listRecords'>) {}

  async samples(run: Run, since: number, until: number): Promise<UsageSample[]> {
    if (!run.ref) return []
    return readUsageSamples(this.store, usageKeyOf(run.ref), since, until)
  }

  async history(run: Run, since: number, until: number): Promise<UsageSample[]> {
    if (!run.ref) return []
    return listUsageSamples(this.store, usageKeyOf(run.ref), since, until)
  }
}

/**
 * Local mode: asks the backend (engine stats) for each running run's usage every tick and
 * stores the samples, then reads like StoredUsageSource.
 */
export class PolledUsageSource extends StoredUsageSource {
  constructor(
    store: Pick<Store, 'getRecord' | 'putRecord' | 'listRecords'>,
    private readonly backend: Pick<ComputeBackend, 'usage'>,
    private readonly concurrency = 8,
  ) {
    super(store)
  }

  async collect(runs: readonly Run[], now: number): Promise<CollectResult> {
    const usage = this.backend.usage?.bind(this.backend)
    const result: CollectResult = { polled: 0, stored: 0, errors: [] }
    if (!usage) return result
    const live = runs.filter((r) => r.ref && r.lastStatus === 'RUNNING')
    const settled = await settleEach(live, this.concurrency, async (run) => {
      const since = run.startedAt ? Date.parse(run.startedAt) / 1000 : now - 3600
      const samples = await usage(run, since)
      return appendUsageSamples(this.store, usageKeyOf(run.ref!), samples)
    })
    for (const s of settled) {
      result.polled++
      if (s.ok) result.stored += s.value
      else result.errors.push({ ref: s.item.ref!, message: errorMessage(s.error) })
    }
    return result
  }
}

/** The source for a backend: polled when it measures usage itself (engine), stored otherwise (ECS). */
export function usageSourceFor(store: Pick<Store, 'getRecord' | 'putRecord' | 'listRecords'>, backend: ComputeBackend): UsageSource {
  return backend.kind === 'docker' && backend.usage ? new PolledUsageSource(store, backend) : new StoredUsageSource(store)
}
