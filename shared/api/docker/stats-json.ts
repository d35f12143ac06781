/**
 * The stats object `docker stats` decodes (docker-engine-api §5.13). From engine stats the
 * object passes through with fargated's name and id; from UsageSamples (Container Insights)
 * it is built so the CLI's formulas give the sampled values: CPU% = Δtotal / Δsystem ×
 * online_cpus × 100 with one online CPU, a one-second system delta and a CPU delta of the
 * used vCPU fraction, so 100% = one vCPU (Docker's convention).
 */
import type { Container } from '../../core/model.js'
import type { UsageSample } from '../../core/ports.js'
import { ZERO_TIME } from './containers-json.js'

const MIB = 1024 * 1024
const NS = 1e9

function cpuBlock(total: number, system: number, onlineCpus: number): Record<string, unknown> {
  return {
    cpu_usage: { total_usage: total, usage_in_kernelmode: 0, usage_in_usermode: 0 },
    system_cpu_usage: system,
    online_cpus: onlineCpus,
    throttling_data: { periods: 0, throttled_periods: 0, throttled_time: 0 },
  }
}

function identity(c: Pick<Container, 'id' | 'name'>): { name: string; id: string } {
  return { name: `/${c.name}`, id: c.id }
}

const BLKIO = { io_service_bytes_recursive: null, io_serviced_recursive: null, io_queue_recursive: null, io_service_time_recursive: null, io_wait_time_recursive: null, io_merged_recursive: null, io_time_recursive: null, sectors_recursive: null }

/** Every key the CLI reads, all zero (a stopped container, or no usage known yet). */
export function zeroStats(c: Pick<Container, 'id' | 'name'>): Record<string, unknown> {
  return {
    read: ZERO_TIME,
    preread: ZERO_TIME,
    pids_stats: { current: 0 },
    blkio_stats: BLKIO,
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuBlock(0, 0, 0),
    precpu_stats: cpuBlock(0, 0, 0),
    memory_stats: { usage: 0, limit: 0 },
    networks: {},
    ...identity(c),
  }
}

/** A stats object from the latest usage sample of a running container. */
export function statsFromUsage(c: Pick<Container, 'id' | 'name' | 'size'>, sample: UsageSample | undefined, now: Date): Record<string, unknown> {
  const readNs = now.getTime() * 1e6
  const used = sample ? sample.cpuUnits / 1024 : 0
  return {
    read: now.toISOString(),
    preread: new Date(now.getTime() - 1000).toISOString(),
    pids_stats: { current: 0 },
    blkio_stats: BLKIO,
    num_procs: 0,
    storage_stats: {},
    cpu_stats: cpuBlock(Math.round(used * NS), readNs, 1),
    precpu_stats: cpuBlock(0, readNs - NS, 1),
    memory_stats: { usage: Math.round((sample?.memoryMiB ?? 0) * MIB), stats: {}, limit: c.size.memory * MIB },
    networks: { eth0: { rx_bytes: 0, rx_packets: 0, rx_errors: 0, rx_dropped: 0, tx_bytes: 0, tx_packets: 0, tx_errors: 0, tx_dropped: 0 } },
    ...identity(c),
    fargated: sample ? { sampleTime: new Date(sample.time * 1000).toISOString(), networkBytesPerSec: sample.networkBytesPerSec, source: 'usage' } : { source: 'none' },
  }
}

/** Engine stats with fargated's name and id (the engine names its container after the run). */
export function fromEngineStats(c: Pick<Container, 'id' | 'name'>, stats: unknown): Record<string, unknown> {
  const base = stats && typeof stats === 'object' ? (stats as Record<string, unknown>) : {}
  return { ...base, ...identity(c) }
}
