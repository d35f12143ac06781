import type { FargateSize } from '../../shared/core/fargate-sizes.js'
import type { StopCause } from '../../shared/core/model.js'
import type { Headroom } from '../../shared/core/policies/sizing-recommendation.js'

export interface SimulationOptions {
  /**
   * Seconds a `wake: user` container takes to run again after its user starts it (the first
   * active sample after an idle stop): Fargate needs about a minute to start a task. The user
   * waits that long (a restart wait) and the rest of the session happens that much later; the
   * run is billed from the start request. 0 models an instant wake-up.
   */
  restartDelay: number
  /** How often the reaper refreshes a running container's recommendation; it is also refreshed at every start. */
  refreshInterval: number
  lookbackSeconds?: number
  memoryLookbackSeconds?: number
  minSamples?: number
  headroom?: Partial<Headroom>
}

export const DEFAULT_SIMULATION: SimulationOptions = { restartDelay: 60, refreshInterval: 3600 }

/** One billed run, in either world. */
export interface SimRun {
  container: string
  start: number
  end: number
  size: FargateSize
  cost: number
  stop: StopCause | 'window-end'
}

export interface SimEvent {
  time: number
  container: string
  kind: 'idle-stop' | 'lifetime-stop' | 'restart' | 'resize' | 'oom'
  size?: FargateSize
  from?: FargateSize
  reason?: string
}

/** Minutes are sample-minutes: samples × step / 60. */
export interface Harm {
  /**
   * Active minutes cut off by idle stops: the activity of a `wake: none` container while it is
   * stopped (lost). A `wake: user` container loses none: the stop is decided on samples that
   * end where it happens, and its user starts it again (see RestartWaits).
   */
  idleMinutes: number
  /** Active minutes after a lifetime stop (not restarted). */
  lifetimeMinutes: number
  /** Samples whose memory exceeded the running size: the run is OOM-killed and restarted. */
  oomSamples: number
  /** …of which the requested size would have held. */
  oomSamplesFromResize: number
  /** Samples whose CPU demand exceeded the running size. */
  throttledSamples: number
  /** …of which the requested size would have served. */
  throttledSamplesFromResize: number
}

/** Returns of `wake: user` containers after an idle stop: each waits `restartDelay` for the run. */
export interface RestartWaits {
  count: number
  minutes: number
}

export interface BillLine {
  cost: number
  hours: number
}

export interface ContainerReport {
  name: string
  platform: 'linux/amd64' | 'linux/arm64'
  capacity: 'on-demand' | 'spot'
  sizing: 'fixed' | 'recommend' | 'auto'
  /** Idle and lifetime policies, e.g. "idle 30m, lifetime 2h". */
  policies: string
  requested: FargateSize
  /** Sizes fargated ran, in order of first use. */
  sizes: FargateSize[]
  baseline: BillLine
  fargated: BillLine
  saving: number
  savingPercent: number
  idleStops: number
  restartWaits: RestartWaits
  lifetimeStops: number
  resizes: number
  oomKills: number
  harm: Harm
  /** The last recommendation the reaper kept. */
  recommendation?: { size: FargateSize; monthlyCostCurrent: number; monthlyCostRecommended: number }
}

export interface SimulationTotal {
  baseline: BillLine
  fargated: BillLine
  saving: number
  savingPercent: number
  /** Saving scaled to HOURS_PER_MONTH. */
  savingPerMonth: number
  baselinePerMonth: number
  fargatedPerMonth: number
  idleStops: number
  restartWaits: RestartWaits
  lifetimeStops: number
  resizes: number
  oomKills: number
  harm: Harm
}

export interface SimulationResult {
  window: { start: number; end: number }
  options: SimulationOptions
  containers: ContainerReport[]
  total: SimulationTotal
  baselineRuns: SimRun[]
  runs: SimRun[]
  events: SimEvent[]
}
