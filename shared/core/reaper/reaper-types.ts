import type { CoreDeps } from '../core-deps.js'
import type { FargateSize } from '../fargate-sizes.js'
import type { Container, Run, StopCause } from '../model.js'
import type { Headroom } from '../policies/sizing-recommendation.js'
import type { UsageSource } from '../usage/usage-source.js'

/** What a tick needs: the core's deps plus where usage comes from. */
export interface ReaperDeps extends CoreDeps {
  usage: UsageSource
}

export type OrphanPolicy = 'stop' | 'adopt' | 'ignore'

export interface ReaperOptions {
  /** Identifies this tick's lease holder. @default a random id */
  owner?: string
  /** The lease expires after this long if the tick dies without releasing it. @default 240 */
  leaseSeconds?: number
  /** Containers worked on at once. @default 16 */
  concurrency?: number
  /** What to do with a runtime task fargated's store does not know (FARGATED_ORPHAN_POLICY). @default 'stop' */
  orphanPolicy?: OrphanPolicy
  /** The orphan scan (listActiveRuns: ListTasks + DescribeTasks of every task) runs at most this often. @default 600 */
  orphanScanIntervalSeconds?: number
  /** Scan for orphans in this tick whatever the interval says. */
  forceOrphanScan?: boolean
  /** A run the runtime no longer knows is marked lost once it is this old. @default 300 */
  lostAfterSeconds?: number
  /**
   * A run that never got a runtime reference is marked failed after this long. Keep it above
   * orphanScanIntervalSeconds, so a scan can link a task whose reference write was lost first.
   * @default 900
   */
  stuckStartSeconds?: number
  /**
   * Idle and lifetime stops per tick at most (lifetime first); the rest wait for the next tick.
   * Bounds a tick when many containers go idle at once: StopTask is rate limited (ECS). @default 500
   */
  maxStopsPerTick?: number
  /** A recommendation is refreshed when older than this. @default 3600 */
  recommendIntervalSeconds?: number
  /**
   * A container without a recommendation is tried every this many seconds of run time until it
   * has enough samples (first at min(60, this)). @default 900
   */
  recommendRetrySeconds?: number
  /** Recommendations computed per tick at most (oldest first); the rest wait. @default 500 */
  maxRecommendationsPerTick?: number
  /** Sizing lookback, minimum samples and headroom (recommendSize defaults otherwise). */
  sizing?: { lookbackSeconds?: number; memoryLookbackSeconds?: number; minSamples?: number; headroom?: Partial<Headroom> }
  /** Structured log lines (the Lambda prints them as JSON). */
  log?: (message: string, fields?: Record<string, unknown>) => void
}

/** A container the tick looks at, with its current run when it has one. */
export interface ContainerView {
  container: Container
  run?: Run
}

export interface TickError {
  step: 'list' | 'load' | 'usage' | 'describe' | 'reconcile' | 'orphans' | 'restart' | 'policy' | 'recommend' | 'lease'
  namespace?: string
  containerId?: string
  ref?: string
  message: string
}

export type RepairKind = 'status' | 'stopped' | 'lost' | 'failed-to-start' | 'replayed-stop' | 'linked'

export interface TickResult {
  status: 'done' | 'skipped'
  /** Why the tick did nothing (another tick holds the lease). */
  skippedReason?: string
  owner: string
  startedAt: string
  durationMs: number
  /** Containers listed as active (running or with a restart due). */
  containers: number
  /** Runs asked about with describeRuns. */
  described: number
  orphanScan: boolean
  usage?: { polled: number; stored: number }
  stopped: { namespace: string; containerId: string; cause: Extract<StopCause, 'idle' | 'lifetime'>; reason: string }[]
  /** Stops decided but left for the next tick (maxStopsPerTick). */
  deferredStops: number
  restarted: { namespace: string; containerId: string; runNumber: number; restartCount: number }[]
  repaired: { namespace: string; containerId: string; ref?: string; kind: RepairKind; status?: string }[]
  orphans: { ref: string; namespace?: string; containerId?: string; action: 'stopped' | 'adopted' | 'ignored'; reason: string }[]
  recommendations: { namespace: string; containerId: string; size: FargateSize; current: FargateSize }[]
  errors: TickError[]
}

/** Resolved options with defaults applied. */
export type TickSettings = Required<Omit<ReaperOptions, 'log' | 'sizing' | 'forceOrphanScan'>> & Pick<ReaperOptions, 'log' | 'sizing' | 'forceOrphanScan'>

export function tickSettings(options: ReaperOptions, randomId: () => string): TickSettings {
  return {
    owner: options.owner ?? randomId(),
    leaseSeconds: options.leaseSeconds ?? 240,
    concurrency: options.concurrency ?? 16,
    orphanPolicy: options.orphanPolicy ?? 'stop',
    orphanScanIntervalSeconds: options.orphanScanIntervalSeconds ?? 600,
    lostAfterSeconds: options.lostAfterSeconds ?? 300,
    stuckStartSeconds: options.stuckStartSeconds ?? 900,
    maxStopsPerTick: options.maxStopsPerTick ?? 500,
    recommendIntervalSeconds: options.recommendIntervalSeconds ?? 3600,
    recommendRetrySeconds: options.recommendRetrySeconds ?? 900,
    maxRecommendationsPerTick: options.maxRecommendationsPerTick ?? 500,
    sizing: options.sizing,
    forceOrphanScan: options.forceOrphanScan,
    log: options.log,
  }
}

/** What every step gets: deps, settings, the tick's clock reading and the result it adds to. */
export interface TickContext {
  deps: ReaperDeps
  settings: TickSettings
  /** Unix seconds at the start of the tick. */
  now: number
  result: TickResult
}

export function viewError(step: TickError['step'], view: ContainerView, error: unknown): TickError {
  return {
    step,
    namespace: view.container.namespace,
    containerId: view.container.id,
    ref: view.run?.ref,
    message: error instanceof Error ? error.message : String(error),
  }
}
