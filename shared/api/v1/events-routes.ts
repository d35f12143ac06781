/** GET /v1/events: the namespace's lifecycle events as NDJSON, optionally followed by polling. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { DomainEvent } from '../../core/model.js'
import type { Clock, Store } from '../../core/ports.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { FOLLOW_MAX_MS, lineStream, NDJSON, primed } from './line-stream.js'
import { queryBool, queryList, queryTime } from './params.js'
import { problemResponses } from './problem.js'
import type { ScopeGuard } from './scopes.js'
import { sleep } from '../../core/sleep.js'


const EVENT_TYPES = ['container', 'image'] as const

export const EventViewSchema = z
  .object({
    type: z.enum(EVENT_TYPES),
    action: z.string().openapi({ example: 'start' }),
    id: z.string().openapi({ description: 'Container id (or image reference)' }),
    time: z.number().int().openapi({ description: 'Unix seconds' }),
    timeNano: z.string().openapi({ description: 'Nanoseconds since the epoch, unique per namespace' }),
    attributes: z.record(z.string(), z.string()).openapi({ description: 'name, image, labels, and the action\'s details (exitCode, reason, signal)' }),
  })
  .openapi('Event')

const EventsQuerySchema = z.object({
  since: queryTime('Events at or after (default: all kept events, or now with follow)'),
  until: queryTime('Events at or before; a followed stream ends there'),
  type: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.enum(EVENT_TYPES, { error: 'use container or image' })))
    .optional()
    .openapi({ description: 'container or image; repeat for both' }),
  action: queryList('create, start, die, stop, kill, destroy, rename, update, restart, oom, push, …; repeat for several'),
  follow: queryBool(`Keep streaming new events (polling the store) until \`until\`, the client leaves, or ${FOLLOW_MAX_MS / 60_000} min`),
})

interface EventQuery {
  namespace: string
  since?: bigint
  until?: bigint
  types?: string[]
  actions?: string[]
  follow: boolean
  pollMs: number
  signal: AbortSignal
  /** The clock events are stamped with (follow starts at its now and stops past `until` by it). */
  clock: Clock
}


/** Stored events oldest first; with follow, new ones as they are appended. */
export async function* readEvents(store: Pick<Store, 'listEvents'>, q: EventQuery): AsyncGenerator<DomainEvent> {
  const deadline = Date.now() + FOLLOW_MAX_MS
  const nowNanos = () => BigInt(q.clock.now().getTime()) * 1_000_000n
  let from = q.since ?? (q.follow ? nowNanos() : undefined)
  const wanted = (e: DomainEvent) => (!q.types?.length || q.types.includes(e.type)) && (!q.actions?.length || q.actions.includes(e.action))
  for (;;) {
    const batch = await store.listEvents(q.namespace, from?.toString(), q.until?.toString())
    for (const e of batch) {
      from = BigInt(e.timeNano) + 1n
      if (wanted(e)) yield e
    }
    const pastUntil = q.until !== undefined && nowNanos() > q.until
    if (!q.follow || pastUntil || q.signal.aborted || Date.now() >= deadline) return
    await sleep(q.pollMs, q.signal)
  }
}

export function toEventView(e: DomainEvent): z.infer<typeof EventViewSchema> {
  return { type: e.type, action: e.action, id: e.id, time: Number(BigInt(e.timeNano) / 1_000_000_000n), timeNano: e.timeNano, attributes: e.attributes }
}

async function* ndjson(events: AsyncIterable<DomainEvent>): AsyncGenerator<string> {
  for await (const e of events) yield `${JSON.stringify(toEventView(e))}\n`
}

export function registerEventRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, scope: ScopeGuard): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/events',
      tags: ['events'],
      operationId: 'listEvents', summary: 'Lifecycle events (docker events)',
      description: 'One Event JSON object per line, oldest first. Events are kept 7 days. Scope: read.',
      ...scope('read'),
      request: { query: EventsQuerySchema },
      responses: {
        200: { description: 'The events, NDJSON', content: { [NDJSON]: { schema: EventViewSchema } } },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const abort = new AbortController()
      const events = readEvents(deps.store, {
        namespace: c.get('auth').namespace,
        since: q.since,
        until: q.until,
        types: q.type,
        actions: q.action,
        follow: q.follow ?? false,
        pollMs: deps.containers.deps.pollIntervalMs ?? 1000,
        signal: abort.signal,
        clock: deps.clock,
      })
      return lineStream(c, {
        contentType: NDJSON,
        lines: ndjson(q.follow ? events : await primed(events)),
        errorLine: (err) => `${JSON.stringify({ error: err.message })}\n`,
        abort,
      })
    },
  )
}
