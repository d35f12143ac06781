import { formatDuration } from '../durations.js'
import { InvalidSpecError } from '../errors.js'
import { MAX_MEMORY_MIB, MAX_VCPU, stepUpMemory, toFargateSize, type FargateSize } from '../fargate-sizes.js'
import type { Container, Recommendation, UsageHistory } from '../model.js'
import type { UsageSample } from '../ports.js'
import { sizeOf, type ContainerSpec } from '../spec.js'
import { monthlyCost } from './cost.js'
import { memoryPeakOver } from './memory-history.js'

/** Fractions added on top of observed usage: 0.2 = 20%. */
export interface Headroom {
  cpu: number
  memory: number
}

export const SIZING_DEFAULTS = {
  /** CPU: 24 h, one full daily cycle (too little CPU only throttles). */
  lookbackSeconds: 86_400,
  /** Memory: 7 days, one full weekly cycle (too little memory is an OOM kill). */
  memoryLookbackSeconds: 604_800,
  /** 30 one-minute samples: half an hour of running. */
  minSamples: 30,
  headroom: { cpu: 0.2, memory: 0.2 } as Headroom,
} as const

const LARGEST: FargateSize = { cpu: MAX_VCPU * 1024, memory: MAX_MEMORY_MIB }

export interface RecommendInput {
  /** The size of the current (or last) run. */
  current: FargateSize
  /**
   * Usage observed for the container (any runs): CPU from the samples in (now − lookback, now],
   * memory from those in (now − memoryLookback, now].
   */
  samples: readonly UsageSample[]
  /**
   * The container's memory history (updateUsageHistory), for the peak over the memory lookback
   * and how long usage has been seen. Without it only `samples` count.
   */
  usageHistory?: UsageHistory
  platform: ContainerSpec['platform']
  capacity: ContainerSpec['capacity']
  /** Unix seconds. */
  now: number
  lookbackSeconds?: number
  memoryLookbackSeconds?: number
  minSamples?: number
  headroom?: Partial<Headroom>
  /** The run of size `current` was OOM-killed: memory steps up one size, whatever the samples say. */
  oomKilled?: boolean
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

/** The cheapest valid pair with at least `cpuUnits` and `memoryMiB` (the largest size if none is that big). */
function cheapestFit(cpuUnits: number, memoryMiB: number): FargateSize {
  try {
    return toFargateSize({ cpus: cpuUnits > 0 ? cpuUnits / 1024 : undefined, memoryMiB: memoryMiB > 0 ? memoryMiB : undefined })
  } catch (e) {
    if (e instanceof InvalidSpecError) return LARGEST
    throw e
  }
}

const days = (s: number) => +(s / 86_400).toFixed(1)

/**
 * A size recommendation from observed usage: p95 CPU over the lookback (24 h) and peak memory
 * over the memory lookback (7 days, from the samples and the usage history), plus headroom,
 * mapped to the cheapest valid Fargate pair (toFargateSize; its price order is the same for
 * x86 and ARM, on-demand and spot), so it is never below the observed peak memory. Memory never
 * shrinks below `current` until usage has been seen for a whole memory lookback (a weekly peak
 * would otherwise be missed and OOM-kill the run); it may grow at once. After an OOM kill,
 * memory steps up one size from the larger of the current size and that pair, even with too
 * few samples. Otherwise fewer than `minSamples` samples in the CPU lookback give undefined.
 * `basis.peakMemoryMiB` is the peak over the memory lookback, `basis.lookbackSeconds` the CPU one.
 */
export function recommendSize(input: RecommendInput): Recommendation | undefined {
  const lookbackSeconds = input.lookbackSeconds ?? SIZING_DEFAULTS.lookbackSeconds
  const memoryLookbackSeconds = input.memoryLookbackSeconds ?? SIZING_DEFAULTS.memoryLookbackSeconds
  const minSamples = input.minSamples ?? SIZING_DEFAULTS.minSamples
  const cpuHeadroom = Math.max(0, input.headroom?.cpu ?? SIZING_DEFAULTS.headroom.cpu)
  const memoryHeadroom = Math.max(0, input.headroom?.memory ?? SIZING_DEFAULTS.headroom.memory)
  const { current, now, oomKilled } = input
  const window = input.samples.filter((s) => s.time > now - lookbackSeconds && s.time <= now)
  if (window.length < minSamples && !oomKilled) return undefined

  const p95CpuUnits = percentile(
    window.map((s) => s.cpuUnits),
    95,
  )
  const history = memoryPeakOver(input.usageHistory, now, memoryLookbackSeconds)
  let peakMemoryMiB = history.peakMemoryMiB
  let firstSeen = now - history.coveredSeconds
  for (const s of input.samples) {
    if (s.time > now) continue
    firstSeen = Math.min(firstSeen, s.time)
    if (s.time > now - memoryLookbackSeconds) peakMemoryMiB = Math.max(peakMemoryMiB, s.memoryMiB)
  }
  const coveredSeconds = now - firstSeen
  const enough = window.length >= minSamples
  let memoryNeed = Math.ceil(peakMemoryMiB * (1 + memoryHeadroom))
  const held = coveredSeconds < memoryLookbackSeconds && memoryNeed < current.memory
  if (held) memoryNeed = current.memory
  let size = enough ? cheapestFit(Math.ceil(p95CpuUnits * (1 + cpuHeadroom)), memoryNeed) : current
  let reason = `p95 CPU ${(p95CpuUnits / 1024).toFixed(3)} vCPU over ${formatDuration(lookbackSeconds)} and peak memory ${Math.round(peakMemoryMiB)} MiB over ${formatDuration(memoryLookbackSeconds)}, plus ${Math.round(cpuHeadroom * 100)}% CPU and ${Math.round(memoryHeadroom * 100)}% memory headroom`
  if (held) reason += `; memory kept at ${current.memory} MiB until ${days(memoryLookbackSeconds)} days of usage are seen (${days(coveredSeconds)} days so far)`
  if (oomKilled) {
    const from = { cpu: size.cpu, memory: Math.max(current.memory, size.memory) }
    const stepped = stepUpMemory(from)
    size = stepped ?? cheapestFit(from.cpu, from.memory)
    reason = stepped
      ? `the last run was OOM-killed at ${current.memory} MiB: memory stepped up to ${size.memory} MiB`
      : `the last run was OOM-killed at ${current.memory} MiB and no Fargate size has more memory`
  }
  return {
    size,
    current,
    basis: { samples: window.length, p95CpuUnits, peakMemoryMiB, lookbackSeconds },
    monthlyCostCurrent: monthlyCost(current, input.platform, input.capacity),
    monthlyCostRecommended: monthlyCost(size, input.platform, input.capacity),
    updatedAt: new Date(now * 1000).toISOString(),
    reason,
  }
}

/**
 * The size the next start uses: the spec's size with sizing fixed or recommend; with auto, the
 * container's recommendation when it has one.
 */
export function applySizing(
  spec: Pick<ContainerSpec, 'cpu' | 'memory' | 'sizing'>,
  container?: Pick<Container, 'recommendation'>,
): FargateSize {
  if (spec.sizing === 'auto' && container?.recommendation) return container.recommendation.size
  return sizeOf(spec)
}
