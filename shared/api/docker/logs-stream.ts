import type { Hono } from 'hono'
import { InvalidRequestError } from '../../core/errors.js'
import type { LogLine, LogOptions } from '../../core/ports.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { namespaceOf } from './docker-auth.js'
import { encodeLogLine, encodeStreamError, MULTIPLEXED, RAW_STREAM } from './log-frames.js'
import { queryBool, queryTime } from './query.js'
import { streamBody } from './streams.js'

/** `tail`: "all", empty or negative → every line; N → the last N; anything else → every line (as the engine). */
export function parseTail(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined
  return Number(value)
}

/** Encodes lines as they come; a failure after the headers becomes an in-stream error. */
export async function* encodeLines(
  lines: () => Promise<AsyncIterable<LogLine>>,
  options: { tty: boolean; timestamps: boolean },
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  try {
    for await (const line of await lines()) {
      if (signal.aborted) return
      yield encodeLogLine(line, options)
    }
  } catch (err) {
    if (signal.aborted) return
    yield encodeStreamError(`error reading logs: ${err instanceof Error ? err.message : String(err)}`, options.tty)
  }
}

/** Joins chunks up to about `maxBytes` (a finished log is written in a few writes, not one per line). */
export async function* batched(chunks: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = []
  let size = 0
  for await (const chunk of chunks) {
    parts.push(chunk)
    size += chunk.length
    if (size >= maxBytes) {
      yield Buffer.concat(parts)
      parts = []
      size = 0
    }
  }
  if (parts.length) yield parts.length === 1 ? parts[0] : Buffer.concat(parts)
}

const BATCH_BYTES = 64 * 1024

/** GET /containers/{id}/logs: framed (or raw for a TTY) and streamed, followed with follow=1. */
export function registerLogs(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/containers/:id/logs', async (c) => {
    const namespace = namespaceOf(c)
    const container = await deps.containers.resolve(namespace, c.req.param('id'))
    const stdout = queryBool(c.req.query('stdout'))
    const stderr = queryBool(c.req.query('stderr'))
    if (!stdout && !stderr) throw new InvalidRequestError('Bad parameters: you must choose at least one stream')
    const options: LogOptions = {
      stdout,
      stderr,
      tail: parseTail(c.req.query('tail')),
      since: queryTime(c.req.query('since'), 'since'),
      until: queryTime(c.req.query('until'), 'until'),
      follow: queryBool(c.req.query('follow')),
    }
    if (options.since === 0) options.since = undefined
    if (options.until === 0) options.until = undefined
    const encoding = { tty: container.spec.tty, timestamps: queryBool(c.req.query('timestamps')) }
    const headers = { 'Content-Type': encoding.tty ? RAW_STREAM : MULTIPLEXED }
    const read = (signal: AbortSignal) => encodeLines(() => deps.containers.logs(namespace, container.id, { ...options, signal }), encoding, signal)
    // Followed lines go out as they come (headers first, at once).
    if (options.follow) return new Response(streamBody(read, c.req.raw.signal), { status: 200, headers })
    // A finished log in 64 KiB writes; one that fits in the first is a single body.
    const chunks = batched(read(c.req.raw.signal), BATCH_BYTES)[Symbol.asyncIterator]()
    const first = await chunks.next()
    const second = first.done ? first : await chunks.next()
    if (second.done) return new Response(first.done ? null : first.value, { status: 200, headers })
    const rest = async function* () {
      try {
        yield first.value
        yield second.value
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value
      } finally {
        await chunks.return?.(undefined)
      }
    }
    return new Response(streamBody(rest, c.req.raw.signal), { status: 200, headers })
  })
}
