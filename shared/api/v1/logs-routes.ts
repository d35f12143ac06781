/** GET /v1/containers/{id}/logs: text lines or NDJSON, optionally followed until the run ends. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { InvalidRequestError } from '../../core/errors.js'
import type { LogLine } from '../../core/ports.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { FOLLOW_MAX_MS, lineStream, NDJSON, primed, TEXT, wantsNdjson } from './line-stream.js'
import { ContainerParamsSchema, nanosToSeconds, queryBool, queryTime } from './params.js'
import { problemResponses } from './problem.js'
import type { ScopeGuard } from './scopes.js'

export const LogLineSchema = z
  .object({
    stream: z.enum(['stdout', 'stderr']),
    time: z.string().openapi({ description: 'RFC 3339, nanoseconds where the runtime has them' }),
    message: z.string().openapi({ description: 'The line without its newline' }),
  })
  .openapi('LogLine')

const LogsQuerySchema = z.object({
  tail: z
    .string()
    .regex(/^(all|\d{1,7})$/, 'use a number of lines or "all"')
    .optional()
    .openapi({ description: 'Only the last N lines (across runs); default all', example: '100' })
    .transform((v) => (v === undefined || v === 'all' ? undefined : Number(v))),
  since: queryTime('Lines at or after'),
  until: queryTime('Lines at or before'),
  timestamps: queryBool('Prefix text lines with their RFC 3339 time'),
  stdout: queryBool('Include stdout (default true)'),
  stderr: queryBool('Include stderr (default true)'),
  follow: queryBool(`Keep the response open and stream new lines until the current run ends (at most ${FOLLOW_MAX_MS / 60_000} min)`),
})

function textLine(line: LogLine, timestamps: boolean): string {
  return timestamps ? `${line.time} ${line.message}\n` : `${line.message}\n`
}

async function* format(lines: AsyncIterable<LogLine>, ndjson: boolean, timestamps: boolean): AsyncGenerator<string> {
  for await (const line of lines) yield ndjson ? `${JSON.stringify(line)}\n` : textLine(line, timestamps)
}

export function registerLogRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, scope: ScopeGuard): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/containers/{id}/logs',
      tags: ['containers'],
      operationId: 'containerLogs', summary: 'Logs (docker logs)',
      description:
        'Lines of every run, oldest first, as text (one line each) or, with `Accept: application/x-ndjson`, one LogLine JSON object per line. ' +
        '`follow` streams until the current run ends (or the client goes away). Scope: read.',
      ...scope('read'),
      request: { params: ContainerParamsSchema, query: LogsQuerySchema },
      responses: {
        200: {
          description: 'The log lines',
          content: { 'text/plain': { schema: z.string() }, [NDJSON]: { schema: LogLineSchema } },
        },
        ...problemResponses(400, 401, 403, 404, 502),
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      if (q.stdout === false && q.stderr === false) throw new InvalidRequestError('stdout and stderr are both false: ask for at least one')
      const abort = new AbortController()
      const logs = await deps.containers.logs(c.get('auth').namespace, c.req.valid('param').id, {
        tail: q.tail,
        since: q.since === undefined ? undefined : nanosToSeconds(q.since),
        until: q.until === undefined ? undefined : nanosToSeconds(q.until),
        stdout: q.stdout,
        stderr: q.stderr,
        follow: q.follow,
        signal: abort.signal,
      })
      const source = q.follow ? logs : await primed(logs)
      const ndjson = wantsNdjson(c)
      return lineStream(c, {
        contentType: ndjson ? NDJSON : TEXT,
        lines: format(source, ndjson, q.timestamps ?? false),
        errorLine: (err) => (ndjson ? `${JSON.stringify({ error: err.message })}\n` : `error: ${err.message}\n`),
        abort,
        maxMs: q.follow ? FOLLOW_MAX_MS : undefined,
      })
    },
  )
}
