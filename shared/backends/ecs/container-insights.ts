/**
 * Container Insights performance events → usage samples. Standalone (RunTask) tasks get no
 * per-task AWS/ECS metric (aws-facts §4.1), but Container Insights writes one `Type: "Task"`
 * event per task per minute to `/aws/ecs/containerinsights/<cluster>/performance` (§4.2). A
 * CloudWatch Logs subscription filter `{ $.Type = "Task" }` delivers them to the events
 * function as `{ awslogs: { data: base64(gzip(JSON)) } }`; ingestContainerInsights stores them
 * as samples keyed by task id (shared/core/usage), where the reaper reads them with no AWS
 * call besides DynamoDB.
 *
 * Units: CpuUtilized in CPU units (1024 = 1 vCPU), MemoryUtilized in MB (taken as MiB),
 * NetworkRxBytes/NetworkTxBytes in bytes per second, Timestamp in epoch milliseconds.
 */
import { gunzipSync } from 'node:zlib'
import { InvalidRequestError } from '../../core/errors.js'
import type { Store, UsageSample } from '../../core/ports.js'
import { settleEach } from '../../core/reaper/concurrency.js'
import { appendUsageSamples } from '../../core/usage/usage-records.js'

/** What Lambda receives from a CloudWatch Logs subscription. */
export interface LogsSubscriptionEvent {
  awslogs: { data: string }
}

/** The decoded subscription payload. */
export interface LogsSubscriptionData {
  messageType: 'DATA_MESSAGE' | 'CONTROL_MESSAGE'
  owner?: string
  logGroup?: string
  logStream?: string
  subscriptionFilters?: string[]
  logEvents: { id: string; timestamp: number; message: string }[]
}

export interface TaskUsage {
  taskId: string
  cluster?: string
  family?: string
  sample: UsageSample
}

export interface InsightsFilter {
  /** Only events of this cluster (name). */
  cluster?: string
  /** Only tasks whose family starts with `<prefix>-` (fargated's own tasks). */
  taskFamilyPrefix?: string
}

export function isLogsSubscriptionEvent(event: unknown): event is LogsSubscriptionEvent {
  const awslogs = (event as { awslogs?: { data?: unknown } } | null)?.awslogs
  return typeof awslogs?.data === 'string'
}

/** base64 → gunzip → JSON. InvalidRequestError when it is not a subscription payload. */
export function decodeSubscriptionEvent(event: LogsSubscriptionEvent): LogsSubscriptionData {
  let data: unknown
  try {
    data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'))
  } catch (err) {
    throw new InvalidRequestError('the CloudWatch Logs payload is not base64-encoded gzipped JSON', { cause: err })
  }
  const d = data as Partial<LogsSubscriptionData> | null
  if (!d || typeof d !== 'object' || typeof d.messageType !== 'string') throw new InvalidRequestError('the CloudWatch Logs payload has no messageType')
  return { ...d, messageType: d.messageType, logEvents: Array.isArray(d.logEvents) ? d.logEvents : [] } as LogsSubscriptionData
}

function num(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

/** One performance log event (JSON text) → a task sample; undefined for other types or bad events. */
export function parsePerformanceEvent(message: string, fallbackTimeMs: number, filter: InsightsFilter = {}): TaskUsage | undefined {
  let e: Record<string, unknown>
  try {
    const parsed: unknown = JSON.parse(message)
    if (!parsed || typeof parsed !== 'object') return undefined
    e = parsed as Record<string, unknown>
  } catch {
    return undefined
  }
  if (e.Type !== 'Task' || typeof e.TaskId !== 'string' || e.TaskId === '') return undefined
  const cluster = typeof e.ClusterName === 'string' ? e.ClusterName : undefined
  const family = typeof e.TaskDefinitionFamily === 'string' ? e.TaskDefinitionFamily : undefined
  if (filter.cluster && cluster !== undefined && cluster !== filter.cluster && !filter.cluster.endsWith(`/${cluster}`)) return undefined
  if (filter.taskFamilyPrefix && !family?.startsWith(`${filter.taskFamilyPrefix}-`)) return undefined
  const cpu = num(e.CpuUtilized)
  const memory = num(e.MemoryUtilized)
  if (cpu === undefined || memory === undefined) return undefined
  const timeMs = num(e.Timestamp) ?? fallbackTimeMs
  return {
    taskId: e.TaskId,
    cluster,
    family,
    sample: {
      time: timeMs / 1000,
      cpuUnits: Math.max(0, cpu),
      memoryMiB: Math.max(0, memory),
      networkBytesPerSec: Math.max(0, (num(e.NetworkRxBytes) ?? 0) + (num(e.NetworkTxBytes) ?? 0)),
    },
  }
}

/** Every task sample of a subscription payload (control messages and other event types give none). */
export function parseContainerInsights(data: LogsSubscriptionData, filter: InsightsFilter = {}): { samples: TaskUsage[]; skipped: number } {
  if (data.messageType !== 'DATA_MESSAGE') return { samples: [], skipped: 0 }
  const samples: TaskUsage[] = []
  let skipped = 0
  for (const ev of data.logEvents) {
    const parsed = typeof ev?.message === 'string' ? parsePerformanceEvent(ev.message, ev.timestamp, filter) : undefined
    if (parsed) samples.push(parsed)
    else skipped++
  }
  return { samples, skipped }
}

/** Groups samples by task id. */
export function samplesByTask(samples: readonly TaskUsage[]): Map<string, UsageSample[]> {
  const out = new Map<string, UsageSample[]>()
  for (const s of samples) out.set(s.taskId, [...(out.get(s.taskId) ?? []), s.sample])
  return out
}

/**
 * The events function's handler for a subscription delivery: decode, parse, store (per task:
 * one read and one write per hour touched). Returns counts for its log line.
 */
export async function ingestContainerInsights(
  store: Pick<Store, 'getRecord' | 'putRecord'>,
  event: LogsSubscriptionEvent,
  filter: InsightsFilter = {},
  concurrency = 16,
): Promise<{ tasks: number; samples: number; stored: number; skipped: number }> {
  const { samples, skipped } = parseContainerInsights(decodeSubscriptionEvent(event), filter)
  const tasks = [...samplesByTask(samples)]
  const settled = await settleEach(tasks, concurrency, ([taskId, list]) => appendUsageSamples(store, taskId, list))
  let stored = 0
  for (const s of settled) {
    if (!s.ok) throw s.error
    stored += s.value
  }
  return { tasks: tasks.length, samples: samples.length, stored, skipped }
}
