import { HOURS_PER_MONTH, hourlyPrice, runCost, type Architecture } from '../fargate-prices.js'
import type { FargateSize } from '../fargate-sizes.js'
import type { Run } from '../model.js'
import type { ContainerSpec } from '../spec.js'

export function architectureOf(platform: ContainerSpec['platform']): Architecture {
  return platform === 'linux/arm64' ? 'arm64' : 'x86_64'
}

/** Dollars per hour for a size on a platform and capacity (spot-with-fallback priced as spot). */
export function hourlyPriceFor(size: FargateSize, platform: ContainerSpec['platform'], capacity: ContainerSpec['capacity']): number {
  return hourlyPrice(size, architectureOf(platform), capacity)
}

/** Dollars per month (HOURS_PER_MONTH) of running a size without a stop. */
export function monthlyCost(size: FargateSize, platform: ContainerSpec['platform'], capacity: ContainerSpec['capacity']): number {
  return hourlyPriceFor(size, platform, capacity) * HOURS_PER_MONTH
}

/** Seconds a run has been billed for: from startedAt to stoppedAt, or to `now` while it runs; 0 before it starts. */
export function billedSeconds(run: Pick<Run, 'startedAt' | 'stoppedAt'>, now: number): number {
  if (!run.startedAt) return 0
  const start = Date.parse(run.startedAt) / 1000
  const end = run.stoppedAt ? Date.parse(run.stoppedAt) / 1000 : now
  return Math.max(0, end - start)
}

/**
 * The estimated cost of a run in dollars: its size at the platform's price for its capacity,
 * per second with Fargate's one-minute minimum (runCost). Billing is counted from startedAt:
 * Fargate also bills the image pull before it, so this is slightly low for large images.
 * `now` (unix seconds) ends a run that is still running.
 */
export function estimateRunCost(
  run: Pick<Run, 'size' | 'capacity' | 'startedAt' | 'stoppedAt'>,
  platform: ContainerSpec['platform'],
  now: number,
): number {
  if (!run.startedAt) return 0
  return runCost(hourlyPriceFor(run.size, platform, run.capacity), billedSeconds(run, now))
}

/** The sum of estimateRunCost over a container's runs. */
export function estimateCost(
  runs: readonly Pick<Run, 'size' | 'capacity' | 'startedAt' | 'stoppedAt'>[],
  platform: ContainerSpec['platform'],
  now: number,
): number {
  return runs.reduce((sum, run) => sum + estimateRunCost(run, platform, now), 0)
}
