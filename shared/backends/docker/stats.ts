import type Dockerode from 'dockerode'
import type { UsageSample } from '../../core/ports.js'
import type { EngineContext } from './engine-context.js'
import { chunks, openStream } from './engine-stream.js'
import { engineCall } from './errors.js'
import { jsonLines } from './json-lines.js'
import { isZeroTime, isoToMicros } from './time.js'

/** The engine's stats object, as the Docker-compat `stats` endpoint returns it. */
export type EngineStats = Dockerode.ContainerStats

/** Network counters of an earlier sample, for per-second rates. */
export interface NetworkMark {
  /** Unix seconds. */
  time: number
  bytes: number
}

const MIB = 2 ** 20

/** rx+tx bytes over every interface. */
export function networkBytes(stats: EngineStats): number {
  return Object.values(stats.networks ?? {}).reduce((sum, n) => sum + (n.rx_bytes ?? 0) + (n.tx_bytes ?? 0), 0)
}

/** True when the engine had nothing to measure (the container is not running). */
export function isEmptyStats(stats: EngineStats): boolean {
  return isZeroTime(stats.read) || !stats.cpu_stats?.system_cpu_usage || stats.memory_stats?.usage === undefined
}

/**
 * One UsageSample from engine stats, the way `docker stats` computes its columns:
 * CPU = Δtotal_usage / Δsystem_cpu_usage × online CPUs (× 1024 units per vCPU);
 * memory = usage − inactive file pages (total_inactive_file on cgroup v1, inactive_file on v2);
 * network = Δ(rx+tx) / Δt since `previous`, else the average since `startedAt`.
 */
export function usageFromStats(stats: EngineStats, previous?: NetworkMark, startedAt?: string): UsageSample {
  const time = isoToMicros(stats.read) / 1e6
  const cpu = stats.cpu_stats
  const pre = stats.precpu_stats
  const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0)
  const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0)
  const cpus = cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 1
  const cpuUnits = pre?.system_cpu_usage && systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 1024 : 0
  const mem = stats.memory_stats
  const detail = (mem.stats ?? {}) as Record<string, number | undefined>
  const usage = mem.usage ?? 0
  const v1 = detail.total_inactive_file
  const v2 = detail.inactive_file
  const inactive = v1 !== undefined && v1 < usage ? v1 : v2 !== undefined && v2 < usage ? v2 : 0
  const memoryMiB = (usage - inactive) / MIB
  const bytes = networkBytes(stats)
  let networkBytesPerSec = 0
  if (previous && bytes >= previous.bytes && time > previous.time) networkBytesPerSec = (bytes - previous.bytes) / (time - previous.time)
  else if (startedAt && !isZeroTime(startedAt)) {
    const elapsed = time - isoToMicros(startedAt) / 1e6
    if (elapsed > 0) networkBytesPerSec = bytes / elapsed
  }
  return { time, cpuUnits, memoryMiB, networkBytesPerSec }
}

/** One stats snapshot (the engine samples twice, about a second, to fill precpu_stats). */
export function statsOnce(ctx: EngineContext, ref: string): Promise<EngineStats> {
  return engineCall(() => ctx.docker.getContainer(ref).stats({ stream: false }))
}

/** Stats about every second until the container stops or the signal aborts. */
export async function* statsStream(ctx: EngineContext, ref: string, signal?: AbortSignal): AsyncGenerator<EngineStats> {
  if (signal?.aborted) return
  const stream = await openStream(ctx.docker, `/containers/${encodeURIComponent(ref)}/stats`, { stream: true }, signal).catch((error: unknown) => {
    if (signal?.aborted) return undefined
    throw error
  })
  if (!stream) return
  for await (const value of jsonLines(chunks(stream, signal))) yield value as EngineStats
}
