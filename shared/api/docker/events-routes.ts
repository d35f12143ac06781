import type { Hono } from 'hono'
import type { DomainEvent } from '../../core/model.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { namespaceOf } from './docker-auth.js'
import { checkFilterKeys, parseFilters, queryTime, secondsToNano } from './query.js'
import { sleep } from '../../core/sleep.js'
import { streamBody } from './streams.js'

const EVENT_FILTERS = ['container', 'image', 'label', 'type', 'event', 'scope'] as const
/** Events are re-read this far back so one appended late (concurrent writers) is not missed. */
const LOOKBACK_NS = 5_000_000_000n

/**
 * Docker's event JSON: new-style `Type/Action/Actor/time/timeNano` plus the legacy
 * `status/id/from`. `time` and `timeNano` are written as exact int64 digits (a JS number
 * would round the nanoseconds).
 */
export function dockerEventJson(e: DomainEvent): string {
  const base = {
    status: e.action,
    id: e.id,
    ...(e.type === 'container' && e.attributes.image ? { from: e.attributes.image } : {}),
    Type: e.type,
    Action: e.action,
    Actor: { ID: e.id, Attributes: e.attributes },
    scope: 'local',
  }
  const nano = /^\d+$/.test(e.timeNano) ? e.timeNano.replace(/^0+(?=\d)/, '') : '0'
  const seconds = nano.length > 9 ? nano.slice(0, -9) : '0'
  return `${JSON.stringify(base).slice(0, -1)},"time":${seconds},"timeNano":${nano}}\n`
}

function withoutTag(image: string): string {
  const colon = image.lastIndexOf(':')
  return colon > image.lastIndexOf('/') ? image.slice(0, colon) : image
}

/** Server-side filtering (the CLI filters nothing): ORed within a key, ANDed across keys. */
export function eventMatcher(filters: Record<string, string[]>): (e: DomainEvent) => boolean {
  const any = (key: string, test: (v: string) => boolean) => !filters[key]?.length || filters[key].some(test)
  return (e) =>
    any('type', (v) => v === e.type) &&
    any('event', (v) => v === e.action) &&
    any('scope', (v) => v === 'local') &&
    any('container', (v) => e.type === 'container' && (e.id.startsWith(v) || e.attributes.name === v.replace(/^\//, ''))) &&
    any('image', (v) => {
      const image = e.type === 'image' ? e.attributes.name ?? e.id : e.attributes.image ?? ''
      return image === v || e.id === v || (!v.slice(v.lastIndexOf('/') + 1).includes(':') && withoutTag(image) === v)
    }) &&
    (filters.label ?? []).every((l) => {
      const eq = l.indexOf('=')
      return eq < 0 ? l in e.attributes : e.attributes[l.slice(0, eq)] === l.slice(eq + 1)
    })
}

function eventKey(e: DomainEvent): string {
  return `${e.timeNano}#${e.id}#${e.action}`
}

function nowNano(deps: ApiDeps): bigint {
  return BigInt(deps.clock.now().getTime()) * 1_000_000n
}

/**
 * Past events from `since`, then new ones as they are recorded, until `until` has passed or
 * the client disconnects. Without `since`, only events from now on (as Docker).
 */
async function* eventStream(deps: ApiDeps, namespace: string, query: { since?: number; until?: number; match: (e: DomainEvent) => boolean }, signal: AbortSignal): AsyncGenerator<string> {
  const poll = deps.containers.deps.pollIntervalMs ?? 1000
  const sinceNano = query.since !== undefined ? BigInt(secondsToNano(query.since)) : nowNano(deps)
  const untilNano = query.until !== undefined ? BigInt(secondsToNano(query.until)) : undefined
  let cursor = sinceNano
  let seen = new Map<string, bigint>()
  for (;;) {
    const finalPass = untilNano !== undefined && nowNano(deps) > untilNano
    const from = cursor - LOOKBACK_NS > sinceNano ? cursor - LOOKBACK_NS : sinceNano
    const list = await deps.store.listEvents(namespace, from.toString(), untilNano?.toString())
    for (const e of list) {
      if (seen.has(eventKey(e))) continue
      const t = BigInt(e.timeNano)
      seen.set(eventKey(e), t)
      if (t > cursor) cursor = t
      if (query.match(e)) yield dockerEventJson(e)
    }
    if (finalPass || signal.aborted) return
    seen = new Map([...seen].filter(([, t]) => t + LOOKBACK_NS >= cursor))
    await sleep(poll, signal)
    if (signal.aborted) return
  }
}

/** GET /events?since=&until=&filters= : JSON lines, streamed. */
export function registerEvents(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/events', (c) => {
    const filters = parseFilters(c.req.query('filters'))
    checkFilterKeys(filters, EVENT_FILTERS)
    const query = { since: queryTime(c.req.query('since'), 'since'), until: queryTime(c.req.query('until'), 'until'), match: eventMatcher(filters) }
    const namespace = namespaceOf(c)
    const body = streamBody((signal) => eventStream(deps, namespace, query, signal), c.req.raw.signal)
    return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
}
