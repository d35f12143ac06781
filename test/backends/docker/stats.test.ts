import { describe, expect, it } from 'vitest'
import { isEmptyStats, usageFromStats, type EngineStats } from '../../../shared/backends/docker/stats.js'

/** Figures from a real engine sample (docs/docker-engine-api §5.13), networks added. */
function sample(overrides: Partial<EngineStats> = {}): EngineStats {
  return {
    read: '2026-11-29T15:40:30.68222515Z',
    preread: '2026-11-29T15:40:29.675735147Z',
    num_procs: 0,
    cpu_stats: { cpu_usage: { total_usage: 76919197, percpu_usage: [40277383, 36641814], usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: 590900000000, online_cpus: 2, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    precpu_stats: { cpu_usage: { total_usage: 75676142, percpu_usage: [], usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: 588900000000, online_cpus: 2, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } },
    memory_stats: { usage: 831488 + 2 * 2 ** 20, max_usage: 0, limit: 268435456, failcnt: 0, stats: { total_inactive_file: 2 * 2 ** 20, inactive_file: 2 * 2 ** 20 } as never },
    networks: { eth0: { rx_bytes: 3000, tx_bytes: 1000 } as never, eth1: { rx_bytes: 500, tx_bytes: 500 } as never },
    ...overrides,
  }
}

describe('usageFromStats', () => {
  it('computes CPU units the way docker stats computes CPU %', () => {
    const u = usageFromStats(sample())
    // (76919197 - 75676142) / (590900000000 - 588900000000) × 2 CPUs = 0.1243 % of one CPU.
    expect(u.cpuUnits).toBeCloseTo(((76919197 - 75676142) / 2e9) * 2 * 1024, 6)
    expect(u.time).toBeCloseTo(Date.parse('2026-11-29T15:40:30.682Z') / 1000, 3)
  })

  it('counts memory without inactive file pages', () => {
    expect(usageFromStats(sample()).memoryMiB).toBeCloseTo(831488 / 2 ** 20, 9)
  })

  it('rates network bytes against the previous mark, else since the start', () => {
    const now = usageFromStats(sample()).time
    expect(usageFromStats(sample(), { time: now - 10, bytes: 1000 }).networkBytesPerSec).toBeCloseTo(400, 3)
    expect(usageFromStats(sample(), undefined, new Date((now - 50) * 1000).toISOString()).networkBytesPerSec).toBeCloseTo(100, 1)
    expect(usageFromStats(sample()).networkBytesPerSec).toBe(0)
  })

  it('reports no CPU when the engine has no previous sample', () => {
    const s = sample({ precpu_stats: { cpu_usage: { total_usage: 0, percpu_usage: [], usage_in_kernelmode: 0, usage_in_usermode: 0 }, system_cpu_usage: 0, online_cpus: 0, throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 } } })
    expect(usageFromStats(s).cpuUnits).toBe(0)
  })

  it('recognises the empty stats of a stopped container', () => {
    expect(isEmptyStats(sample())).toBe(false)
    expect(isEmptyStats(sample({ read: '0001-01-01T00:00:00Z' }))).toBe(true)
  })
})
