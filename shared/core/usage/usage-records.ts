/**
 * Usage samples in the store, bounded: one record per (run, hour) under kind `usage`, holding
 * that hour's samples as compact rows, expiring USAGE_TTL_SECONDS after its last write.
 *
 * Key: the run's short runtime id (usageKeyOf: the ECS task id, or the engine container id),
 * used as the record "namespace", so one run's hours share a partition. The Container
 * Insights ingest knows only the task id; the reaper derives the same key from `run.ref`.
 * Appends are read-merge-write (the Store has no atomic list append): two writers of the same
 * (run, hour) at the same moment can drop a sample, which the idle policy treats as a gap
 * (it restarts the idle clock, never stops early).
 */
import type { Store, UsageSample } from '../ports.js'

export const USAGE_KIND = 'usage'
/** Two days: enough for the 24 h sizing lookback. */
export const USAGE_TTL_SECONDS = 2 * 86_400
export const HOUR_SECONDS = 3600
/** At most one sample every 5 s per hour record; older rows are dropped first. */
export const MAX_SAMPLES_PER_RECORD = 720

/** [time (unix s), cpuUnits, memoryMiB, networkBytesPerSec] */
export type UsageRow = [number, number, number, number]

export interface UsageRecord {
  key: string
  /** Unix seconds at the start of the hour. */
  hour: number
  rows: UsageRow[]
}

/** The short runtime id of a run reference: the last `/` segment (ECS task id) or the ref itself. */
export function usageKeyOf(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1)
}

export function hourOf(time: number): number {
  return Math.floor(time / HOUR_SECONDS) * HOUR_SECONDS
}

function hourId(hour: number): string {
  return String(hour).padStart(11, '0')
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits

function toRow(s: UsageSample): UsageRow {
  return [round(s.time, 3), round(s.cpuUnits, 2), round(s.memoryMiB, 1), Math.round(s.networkBytesPerSec)]
}

function toSample(r: UsageRow): UsageSample {
  return { time: r[0], cpuUnits: r[1], memoryMiB: r[2], networkBytesPerSec: r[3] }
}

function valid(s: UsageSample): boolean {
  return [s.time, s.cpuUnits, s.memoryMiB, s.networkBytesPerSec].every((v) => Number.isFinite(v) && v >= 0)
}

/**
 * Adds samples to the run's hour records (one read and one write per hour touched). A sample
 * with the time of a stored one replaces it, so replays are harmless. Returns how many were new.
 */
export async function appendUsageSamples(
  store: Pick<Store, 'getRecord' | 'putRecord'>,
  key: string,
  samples: readonly UsageSample[],
  options: { ttlSeconds?: number } = {},
): Promise<number> {
  const byHour = new Map<number, UsageSample[]>()
  for (const s of samples) {
    if (!valid(s)) continue
    const h = hourOf(s.time)
    byHour.set(h, [...(byHour.get(h) ?? []), s])
  }
  let added = 0
  for (const [hour, group] of byHour) {
    const existing = await store.getRecord<UsageRecord>(USAGE_KIND, key, hourId(hour))
    const rows = new Map<number, UsageRow>((existing?.rows ?? []).map((r) => [r[0], r]))
    for (const s of group) {
      const row = toRow(s)
      if (!rows.has(row[0])) added++
      rows.set(row[0], row)
    }
    const sorted = [...rows.values()].sort((a, b) => a[0] - b[0]).slice(-MAX_SAMPLES_PER_RECORD)
    await store.putRecord<UsageRecord>(USAGE_KIND, key, hourId(hour), { key, hour, rows: sorted }, { ttlSeconds: options.ttlSeconds ?? USAGE_TTL_SECONDS })
  }
  return added
}

/** Samples with since ≤ time ≤ until, oldest first: one GetItem per hour of the range. */
export async function readUsageSamples(store: Pick<Store, 'getRecord'>, key: string, since: number, until: number): Promise<UsageSample[]> {
  if (until < since) return []
  const hours: number[] = []
  for (let h = hourOf(since); h <= until; h += HOUR_SECONDS) hours.push(h)
  const records = await Promise.all(hours.map((h) => store.getRecord<UsageRecord>(USAGE_KIND, key, hourId(h))))
  return inRange(records, since, until)
}

/** Every stored sample of the run in the range with one query (for long lookbacks). */
export async function listUsageSamples(store: Pick<Store, 'listRecords'>, key: string, since: number, until: number): Promise<UsageSample[]> {
  return inRange(await store.listRecords<UsageRecord>(USAGE_KIND, key), since, until)
}

function inRange(records: (UsageRecord | undefined)[], since: number, until: number): UsageSample[] {
  return records
    .flatMap((r) => r?.rows ?? [])
    .filter((r) => r[0] >= since && r[0] <= until)
    .sort((a, b) => a[0] - b[0])
    .map(toSample)
}
