import { setTimeout as sleep } from 'node:timers/promises'
import type { RunObservation } from '../../core/model.js'
import type { FargatedError } from '../../core/errors.js'
import type { EngineContext } from './engine-context.js'
import { chunks, openStream } from './engine-stream.js'
import { translateEngineError } from './errors.js'
import { jsonLines } from './json-lines.js'
import { labelFilters, runIdentity } from './labels.js'
import { inspectRun } from './describe-runs.js'
import { OOM_REASON, engineHealth } from './observation.js'
import { nanosToIso } from './time.js'

/** The part of an engine event this backend reads. */
export interface EngineEvent {
  Type?: string
  Action?: string
  Actor?: { ID?: string; Attributes?: Record<string, string> }
  time?: number
  timeNano?: number | string
}

/** `health_status` matches the engine's `health_status: healthy|unhealthy|starting` actions. */
export const WATCHED_ACTIONS = ['start', 'die', 'oom', 'stop', 'kill', 'health_status'] as const

export interface WatchOptions {
  /** Called when the stream fails or the engine is unreachable (the watcher retries). */
  onError?: (error: FargatedError) => void
  /** First and longest wait between reconnects, ms (defaults 250 and 5000). */
  minBackoffMs?: number
  maxBackoffMs?: number
}

/**
 * Maps start/die/health_status events to observations, keeping the OOM flag between an `oom` event and the
 * `die` that follows it. Returns undefined for events that need an inspect (stop, kill) or
 * carry no state (oom). `version` is the event time in microseconds.
 */
export class EventMapper {
  private readonly oom = new Set<string>()

  map(event: EngineEvent): RunObservation | undefined {
    const id = event.Actor?.ID
    if (!id || event.Type !== 'container') return undefined
    const attributes = event.Actor?.Attributes ?? {}
    const nanos = eventNanos(event)
    const base = { ref: id, ...stripUndefined(runIdentity(attributes)), version: Number(nanos / 1000n) }
    const at = nanosToIso(nanos)
    switch (event.Action) {
      case 'oom':
        this.oom.add(id)
        return undefined
      case 'start':
        this.oom.delete(id)
        return { ...base, lastStatus: 'RUNNING', startedAt: at }
      case 'die': {
        const oomKilled = this.oom.delete(id)
        const code = Number(attributes.exitCode)
        const exitCode = Number.isInteger(code) ? code : null
        return {
          ...base,
          lastStatus: 'STOPPED',
          exitCode,
          oomKilled,
          stoppedAt: at,
          ...(oomKilled ? { stoppedReason: OOM_REASON } : {}),
          reason: `exited with code ${exitCode ?? 'unknown'}`,
        }
      }
      default: {
        // The engine only checks a running container's health.
        const health = event.Action?.startsWith('health_status:') ? engineHealth(event.Action.slice('health_status:'.length).trim()) : undefined
        return health ? { ...base, lastStatus: 'RUNNING', health } : undefined
      }
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** The event time in nanoseconds (timeNano, else time in seconds). */
export function eventNanos(event: EngineEvent): bigint {
  if (event.timeNano !== undefined) return BigInt(event.timeNano)
  return BigInt(event.time ?? Math.floor(Date.now() / 1000)) * 1_000_000_000n
}

/**
 * Watches the engine's container events for this backend's containers and reports each state
 * change as a RunObservation: start → RUNNING, die → STOPPED with the exit code (and the OOM
 * flag of a preceding oom), stop/kill → the container as inspected then (version = event time).
 * Reconnects with backoff when the stream drops or no engine answers, resuming from the last
 * event seen (duplicates of that instant are skipped). Resolves when `signal` aborts.
 */
export async function watchEvents(
  ctx: EngineContext,
  onObservation: (observation: RunObservation) => void,
  signal: AbortSignal,
  options: WatchOptions = {},
): Promise<void> {
  const minBackoff = options.minBackoffMs ?? 250
  const maxBackoff = options.maxBackoffMs ?? 5000
  const mapper = new EventMapper()
  let lastNanos = BigInt(Date.now()) * 1_000_000n
  let seenAtLast = new Set<string>()
  let backoff = minBackoff
  while (!signal.aborted) {
    try {
      const since = `${lastNanos / 1_000_000_000n}.${(lastNanos % 1_000_000_000n).toString().padStart(9, '0')}`
      const filters = { type: ['container'], event: [...WATCHED_ACTIONS], label: labelFilters(ctx.labels) }
      const stream = await openStream(ctx.docker, '/events', { since, filters }, signal)
      backoff = minBackoff
      for await (const value of jsonLines(chunks(stream, signal))) {
        const event = value as EngineEvent
        const nanos = eventNanos(event)
        const key = `${event.Actor?.ID}:${event.Action}`
        if (nanos < lastNanos || (nanos === lastNanos && seenAtLast.has(key))) continue
        if (nanos > lastNanos) seenAtLast = new Set()
        lastNanos = nanos
        seenAtLast.add(key)
        const observation = await observeEvent(ctx, mapper, event)
        if (observation && !signal.aborted) onObservation(observation)
      }
    } catch (error) {
      if (signal.aborted) break
      options.onError?.(translateEngineError(error))
    }
    if (signal.aborted) break
    await sleep(backoff, undefined, { signal }).catch(() => undefined)
    backoff = Math.min(backoff * 2, maxBackoff)
  }
}

async function observeEvent(ctx: EngineContext, mapper: EventMapper, event: EngineEvent): Promise<RunObservation | undefined> {
  if (event.Action !== 'stop' && event.Action !== 'kill') return mapper.map(event)
  const id = event.Actor?.ID
  if (!id) return undefined
  const observed = await inspectRun(ctx, id)
  if (!observed) return undefined
  return { ...observed, version: Math.max(observed.version, Number(eventNanos(event) / 1000n)) }
}
