/**
 * Fargate on-demand prices, us-east-1, Linux (aws-facts §1.6: third-party transcriptions of the
 * official page, which renders its table dynamically). Spot has no published fixed rate ("up to
 * 70% off"); SPOT_DISCOUNT is an ASSUMPTION, set where it is used so it can be configured.
 */
export type Architecture = 'x86_64' | 'arm64'

export interface FargatePrice {
  readonly vcpuHour: number
  readonly gbHour: number
}

export const FARGATE_PRICES: Readonly<Record<Architecture, FargatePrice>> = {
  x86_64: { vcpuHour: 0.04048, gbHour: 0.004445 },
  arm64: { vcpuHour: 0.03238, gbHour: 0.00356 },
}

/** ASSUMPTION: Fargate Spot costs 30% of on-demand (AWS says "up to 70% discount"). */
export const SPOT_DISCOUNT = 0.7

export const HOURS_PER_MONTH = 730

/** Dollars per hour for a size on an architecture and capacity. */
export function hourlyPrice(
  size: { cpu: number; memory: number },
  arch: Architecture = 'x86_64',
  capacity: 'on-demand' | 'spot' | 'spot-with-fallback' = 'on-demand',
): number {
  const p = FARGATE_PRICES[arch]
  const onDemand = (size.cpu / 1024) * p.vcpuHour + (size.memory / 1024) * p.gbHour
  return capacity === 'on-demand' ? onDemand : onDemand * (1 - SPOT_DISCOUNT)
}

/** Fargate bills per second with a one-minute minimum (aws-facts §1.6). */
export function runCost(hourly: number, seconds: number): number {
  return (hourly * Math.max(60, Math.ceil(seconds))) / 3600
}
