import type { FargateSize } from '../fargate-sizes.js'
import type { UsageSample } from '../ports.js'
import type { ContainerSpec } from '../spec.js'

export type IdlePolicy = NonNullable<ContainerSpec['idle']>

/** Seconds between samples when they cannot be inferred (CloudWatch and engine stats give one a minute). */
export const DEFAULT_SAMPLE_STEP = 60

/**
 * Coverage rule: two consecutive samples may be at most this many steps apart, and the newest
 * sample at most this many steps old, for the time between them to count as observed. A longer
 * gap (missing metrics) restarts the idle clock instead of counting as idle.
 */
export const MAX_GAP_STEPS = 2

export interface IdleInput {
  policy: IdlePolicy
  /** The size of the running run: the CPU threshold is a percentage of its reserved CPU. */
  size: FargateSize
  /** When the run started, unix seconds. */
  startedAt: number
  /** Unix seconds. */
  now: number
  /** Usage of this run; each sample describes the `sampleStep` seconds that start at its `time`. */
  samples: readonly UsageSample[]
  /** Seconds between samples; default: the median spacing of `samples`, or 60 s. */
  sampleStep?: number
}

/** Why a run is not idle (yet). */
export type IdleBlocker =
  | 'grace' // started less than grace + after ago
  | 'no-samples'
  | 'stale' // the newest sample is older than MAX_GAP_STEPS steps
  | 'active' // the newest sample is above a threshold
  | 'too-short' // idle, but for less than `after` (a gap in the samples also restarts the clock)

export type IdleVerdict =
  | { idle: false; reason: IdleBlocker; idleSince?: number }
  | { idle: true; idleSince: number }

/** A sample is idle when CPU is at or below cpuPercent of the reserved CPU and network at or below its threshold. */
export function isIdleSample(sample: UsageSample, policy: Pick<IdlePolicy, 'cpuPercent' | 'networkBytesPerSec'>, size: FargateSize): boolean {
  return sample.cpuUnits <= (policy.cpuPercent / 100) * size.cpu && sample.networkBytesPerSec <= policy.networkBytesPerSec
}

/** The median positive spacing between sorted samples, or DEFAULT_SAMPLE_STEP. */
export function inferSampleStep(sorted: readonly UsageSample[]): number {
  const gaps: number[] = []
  for (let i = 1; i < sorted.length; i++) {
    const d = sorted[i].time - sorted[i - 1].time
    if (d > 0) gaps.push(d)
  }
  if (gaps.length === 0) return DEFAULT_SAMPLE_STEP
  gaps.sort((a, b) => a - b)
  return gaps[Math.floor(gaps.length / 2)]
}

function sortedRunSamples(samples: readonly UsageSample[], startedAt: number, now: number): UsageSample[] {
  const out = samples.filter((s) => s.time >= startedAt && s.time <= now)
  for (let i = 1; i < out.length; i++) {
    if (out[i].time < out[i - 1].time) return out.sort((a, b) => a.time - b.time)
  }
  return out
}

/**
 * Decides whether a run has been idle long enough to stop.
 *
 * The run is idle when the trailing stretch of samples, newest first, is idle (isIdleSample),
 * has no gap wider than MAX_GAP_STEPS steps, ends no more than MAX_GAP_STEPS steps before
 * `now`, and began at least `after` seconds ago. `idleSince` is the time of the first sample of
 * that stretch, but never before `startedAt + grace`, so no run stops before
 * `startedAt + grace + after`. Samples outside [startedAt, now] are ignored.
 */
export function evaluateIdle(input: IdleInput): IdleVerdict {
  const { policy, size, startedAt, now } = input
  const earliestStart = startedAt + policy.grace
  if (now - startedAt < policy.grace + policy.after) return { idle: false, reason: 'grace' }
  const samples = sortedRunSamples(input.samples, startedAt, now)
  if (samples.length === 0) return { idle: false, reason: 'no-samples' }
  const maxGap = MAX_GAP_STEPS * (input.sampleStep ?? inferSampleStep(samples))
  const last = samples.length - 1
  if (now - samples[last].time > maxGap) return { idle: false, reason: 'stale' }
  if (!isIdleSample(samples[last], policy, size)) return { idle: false, reason: 'active' }
  let first = last
  while (first > 0 && samples[first].time - samples[first - 1].time <= maxGap && isIdleSample(samples[first - 1], policy, size)) first--
  const idleSince = Math.max(samples[first].time, earliestStart)
  if (now - idleSince >= policy.after) return { idle: true, idleSince }
  return { idle: false, reason: 'too-short', idleSince }
}
