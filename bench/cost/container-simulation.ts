import { runCost } from '../../shared/core/fargate-prices.js'
import type { FargateSize } from '../../shared/core/fargate-sizes.js'
import type { Recommendation, StopCause, UsageHistory } from '../../shared/core/model.js'
import { hourlyPriceFor } from '../../shared/core/policies/cost.js'
import { isIdleSample, MAX_GAP_STEPS } from '../../shared/core/policies/idle-policy.js'
import { updateUsageHistory } from '../../shared/core/policies/memory-history.js'
import { applySizing, recommendSize, SIZING_DEFAULTS } from '../../shared/core/policies/sizing-recommendation.js'
import { evaluateStop } from '../../shared/core/policies/stop-policy.js'
import type { UsageSample } from '../../shared/core/ports.js'
import { parseSpec, sizeOf, type ContainerSpec } from '../../shared/core/spec.js'
import type { ContainerReport, SimEvent, SimRun, SimulationOptions } from './simulation-types.js'
import type { TraceContainer } from './trace.js'

/** What counts as activity for a container without an idle policy (the idle policy's defaults). */
const DEFAULT_ACTIVITY = { cpuPercent: 2, networkBytesPerSec: 1024 }

type State =
  /** `start`: billed from (the start request); `startedAt`: running, what the idle policy's grace counts from. */
  | { kind: 'running'; start: number; startedAt: number; size: FargateSize; samples: UsageSample[]; tail: number }
  | { kind: 'idle-stopped' | 'lifetime-stopped'; size: FargateSize }

const sameSize = (a: FargateSize, b: FargateSize) => a.cpu === b.cpu && a.memory === b.memory

/** The spec a trace line stands for: its requested size, platform, capacity and fargated.* labels. */
export function specOf(line: TraceContainer): ContainerSpec {
  return parseSpec({
    image: 'bench/trace',
    cpu: line.requested.cpu,
    memory: Math.ceil(line.requested.memory),
    platform: line.platform,
    capacity: line.capacity,
    labels: line.labels,
  })
}

/**
 * One container through its trace lines, doing at every step what the reaper would do with the
 * core's policy functions: stop for lifetime or idleness, refresh the recommendation and the
 * memory history, and start each run at the size `sizing` gives. Usage history and the
 * recommendation carry across lines.
 *
 * After an idle stop, `wake: user` lines are started again by their user at the first active
 * sample: the run is billed from that start request, and the rest of the session happens
 * `restartDelay` later than the trace says (the user waited for the box; nothing was lost).
 * `wake: none` lines stay stopped: their activity is lost (harm).
 */
export class ContainerSimulation {
  readonly runs: SimRun[] = []
  readonly baselineRuns: SimRun[] = []
  readonly events: SimEvent[] = []
  private readonly observed: UsageSample[] = []
  private observedFrom = 0
  private history?: UsageHistory
  private recommendation?: Recommendation
  private lastRefresh = -Infinity
  private lastSize?: FargateSize
  private pendingOom?: FargateSize
  private state?: State
  /** Seconds the current session runs behind the trace (the restart wait of a woken box). */
  private shift = 0
  private spec!: ContainerSpec
  private line!: TraceContainer
  private windowEnd = 0

  constructor(
    readonly report: ContainerReport,
    private readonly options: SimulationOptions,
  ) {}

  /** Plays one line (one run in the no-policy world) that ends at `line.end ?? windowEnd`. */
  play(line: TraceContainer, windowEnd: number): void {
    this.line = line
    this.spec = specOf(line)
    this.windowEnd = windowEnd
    this.shift = 0
    const requested = sizeOf(this.spec)
    const end = line.end ?? windowEnd
    this.bill(this.baselineRuns, { container: line.name, start: line.start, end, size: requested, cost: 0, stop: line.end === null ? 'window-end' : 'exited' })
    const restarts = line.restarts.filter((t) => t > line.start && t < end).sort((a, b) => a - b)
    let next = 0
    this.start(line.start)
    for (const [t, cpu, memoryMiB, networkBytesPerSec] of line.samples) {
      const sample: UsageSample = { time: t, cpuUnits: cpu * 1024, memoryMiB, networkBytesPerSec }
      if (this.whileStopped(sample)) continue
      const real = { ...sample, time: t + this.shift }
      if (real.time >= this.end()) break
      for (; next < restarts.length && restarts[next] <= real.time; next++) {
        const s = this.state
        if (s?.kind === 'running' && s.start < restarts[next]) {
          this.stop(restarts[next], 'redeploy')
          this.start(restarts[next])
        }
      }
      this.whileRunning(real)
    }
    if (this.state?.kind === 'running') this.stop(this.end(), line.end === null ? 'window-end' : 'exited')
    this.state = undefined
  }

  /** When the current line's run ends: the window end, or its exit (later by the session's delay). */
  private end(): number {
    return this.line.end === null ? this.windowEnd : Math.min(this.windowEnd, this.line.end + this.shift)
  }

  /** Handles a sample while stopped; false once the container runs (again) for it. */
  private whileStopped(sample: UsageSample): boolean {
    const s = this.state
    if (!s || s.kind === 'running') return false
    const active = !isIdleSample(sample, this.spec.idle ?? DEFAULT_ACTIVITY, s.size)
    if (!active) return true
    const minutes = this.line.step / 60
    if (s.kind === 'lifetime-stopped') this.report.harm.lifetimeMinutes += minutes
    else if (this.line.wake === 'none') this.report.harm.idleMinutes += minutes
    else {
      // The user is back: `docker start` now, work once it runs.
      const delay = this.options.restartDelay
      this.report.restartWaits.count++
      this.report.restartWaits.minutes += delay / 60
      this.events.push({ time: sample.time, container: this.line.name, kind: 'restart' })
      this.shift = delay
      this.start(sample.time, delay)
      return false
    }
    return true
  }

  private whileRunning(sample: UsageSample): void {
    const run = this.state
    if (run?.kind !== 'running') return
    const { harm } = this.report
    const requested = this.report.requested
    const step = this.line.step
    const end = this.end()
    if (sample.cpuUnits > run.size.cpu) {
      harm.throttledSamples++
      if (sample.cpuUnits <= requested.cpu) harm.throttledSamplesFromResize++
    }
    // What the metrics show: usage capped at the run's limits.
    const seen = { ...sample, cpuUnits: Math.min(sample.cpuUnits, run.size.cpu), memoryMiB: Math.min(sample.memoryMiB, run.size.memory) }
    run.samples.push(seen)
    this.observed.push(seen)
    const now = sample.time + step
    if (sample.memoryMiB > run.size.memory) {
      harm.oomSamples++
      if (sample.memoryMiB <= requested.memory) harm.oomSamplesFromResize++
      this.report.oomKills++
      this.events.push({ time: sample.time, container: this.line.name, kind: 'oom', size: run.size })
      this.stop(Math.min(now, end), 'oom')
      this.pendingOom = run.size
      if (now < end) this.start(now)
      return
    }
    const since = now - (this.spec.idle?.after ?? 0) - (MAX_GAP_STEPS + 1) * step
    while (run.tail < run.samples.length && run.samples[run.tail].time < since) run.tail++
    const decision = evaluateStop({ spec: this.spec, size: run.size, startedAt: run.startedAt, now, samples: run.samples.slice(run.tail), sampleStep: step })
    if (decision) {
      this.stop(Math.min(now, end), decision.cause)
      this.events.push({ time: now, container: this.line.name, kind: decision.cause === 'idle' ? 'idle-stop' : 'lifetime-stop', size: run.size, reason: decision.reason })
      if (decision.cause === 'idle') this.report.idleStops++
      else this.report.lifetimeStops++
      this.state = { kind: decision.cause === 'idle' ? 'idle-stopped' : 'lifetime-stopped', size: run.size }
      this.shift = 0
    } else if (now - this.lastRefresh >= this.options.refreshInterval) this.refresh(now, run.size)
  }

  /**
   * The reaper's refresh (reaper/recommendations.ts): the usage of the lookback merged into the
   * memory history, then recommendSize over both.
   */
  private refresh(now: number, current: FargateSize, oomKilled = false): void {
    const lookback = this.options.lookbackSeconds ?? SIZING_DEFAULTS.lookbackSeconds
    while (this.observedFrom < this.observed.length && this.observed[this.observedFrom].time <= now - lookback) this.observedFrom++
    const samples = this.observed.slice(this.observedFrom)
    this.history = updateUsageHistory(this.history, samples, now)
    const rec = recommendSize({
      current,
      samples,
      usageHistory: this.history,
      platform: this.line.platform,
      capacity: this.line.capacity,
      now,
      lookbackSeconds: lookback,
      memoryLookbackSeconds: this.options.memoryLookbackSeconds,
      minSamples: this.options.minSamples,
      headroom: this.options.headroom,
      oomKilled,
    })
    // Like the reaper, keep the last recommendation when there is too little new usage.
    if (rec) this.recommendation = rec
    this.lastRefresh = now
  }

  /** Starts a run requested at `at` (billed from then) that runs `delay` seconds later. */
  private start(at: number, delay = 0): void {
    this.refresh(at, this.pendingOom ?? this.lastSize ?? this.report.requested, this.pendingOom !== undefined)
    this.pendingOom = undefined
    const size = applySizing(this.spec, { recommendation: this.recommendation })
    const previous = this.lastSize ?? this.report.requested
    if (!sameSize(size, previous)) {
      this.report.resizes++
      this.events.push({ time: at, container: this.line.name, kind: 'resize', from: previous, size, reason: this.recommendation?.reason })
    }
    if (!this.report.sizes.some((s) => sameSize(s, size))) this.report.sizes.push(size)
    this.lastSize = size
    this.state = { kind: 'running', start: at, startedAt: at + delay, size, samples: [], tail: 0 }
  }

  private stop(at: number, cause: StopCause | 'window-end'): void {
    const run = this.state
    if (run?.kind !== 'running') return
    // As run-observation.ts does at a stop: the run's last day goes into the memory history.
    if (this.spec.sizing !== 'fixed') {
      const from = Math.max(run.startedAt, at - 86_400)
      this.history = updateUsageHistory(this.history, this.observed.filter((x) => x.time >= from && x.time <= at), at)
    }
    this.bill(this.runs, { container: this.line.name, start: run.start, end: at, size: run.size, cost: 0, stop: cause })
    this.state = undefined
  }

  private bill(into: SimRun[], run: SimRun): void {
    run.cost = runCost(hourlyPriceFor(run.size, this.line.platform, this.line.capacity), run.end - run.start)
    into.push(run)
    const line = into === this.runs ? this.report.fargated : this.report.baseline
    line.cost += run.cost
    line.hours += (run.end - run.start) / 3600
  }

  /** The recommendation the container ends with, for the report. */
  finalRecommendation(): ContainerReport['recommendation'] {
    const r = this.recommendation
    return r && { size: r.size, monthlyCostCurrent: r.monthlyCostCurrent, monthlyCostRecommended: r.monthlyCostRecommended }
  }
}
