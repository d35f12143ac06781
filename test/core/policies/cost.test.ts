import { describe, expect, it } from 'vitest'
import { HOURS_PER_MONTH, SPOT_DISCOUNT } from '../../../shared/core/fargate-prices.js'
import { architectureOf, billedSeconds, estimateCost, estimateRunCost, monthlyCost } from '../../../shared/core/policies/cost.js'

const size = { cpu: 1024, memory: 2048 }
const x86Hourly = 0.04048 + 2 * 0.004445
const at = (iso: string) => Date.parse(iso) / 1000

describe('cost', () => {
  it('maps platforms to price architectures', () => {
    expect(architectureOf('linux/amd64')).toBe('x86_64')
    expect(architectureOf('linux/arm64')).toBe('arm64')
  })

  it('prices a finished run per second from startedAt to stoppedAt', () => {
    const run = { size, capacity: 'on-demand' as const, startedAt: '2026-01-05T10:00:00Z', stoppedAt: '2026-01-05T12:30:00Z' }
    expect(billedSeconds(run, 0)).toBe(9000)
    expect(estimateRunCost(run, 'linux/amd64', 0)).toBeCloseTo(x86Hourly * 2.5, 12)
  })

  it('applies the one-minute minimum, spot discount and ARM price', () => {
    const short = { size, capacity: 'spot' as const, startedAt: '2026-01-05T10:00:00Z', stoppedAt: '2026-01-05T10:00:10Z' }
    expect(estimateRunCost(short, 'linux/amd64', 0)).toBeCloseTo((x86Hourly * (1 - SPOT_DISCOUNT)) / 60, 12)
    const arm = { ...short, capacity: 'on-demand' as const, stoppedAt: '2026-01-05T11:00:00Z' }
    expect(estimateRunCost(arm, 'linux/arm64', 0)).toBeCloseTo(0.03238 + 2 * 0.00356, 12)
  })

  it('prices a running run up to now and a run that never started as zero', () => {
    const running = { size, capacity: 'on-demand' as const, startedAt: '2026-01-05T10:00:00Z' }
    expect(estimateRunCost(running, 'linux/amd64', at('2026-01-05T11:00:00Z'))).toBeCloseTo(x86Hourly, 12)
    expect(estimateRunCost({ size, capacity: 'on-demand' }, 'linux/amd64', at('2026-01-05T11:00:00Z'))).toBe(0)
    expect(estimateCost([running, running, { size, capacity: 'on-demand' }], 'linux/amd64', at('2026-01-05T11:00:00Z'))).toBeCloseTo(2 * x86Hourly, 12)
  })

  it('gives the monthly cost of a size', () => {
    expect(monthlyCost(size, 'linux/amd64', 'on-demand')).toBeCloseTo(x86Hourly * HOURS_PER_MONTH, 9)
    expect(monthlyCost(size, 'linux/amd64', 'spot-with-fallback')).toBeCloseTo(x86Hourly * HOURS_PER_MONTH * (1 - SPOT_DISCOUNT), 9)
  })
})
