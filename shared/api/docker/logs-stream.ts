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
    // Followed lines go out as they come; a finished log in 64 KiB writes.
    const body = streamBody((signal) => {
      const lines = encodeLines(() => deps.containers.logs(namespace, container.id, { ...options, signal }), encoding, signal)
      return options.follow ? lines : batched(lines, BATCH_BYTES)
    }, c.req.raw.signal)
    return new Response(body, { status: 200, headers: { 'Content-Type': encoding.tty ? RAW_STREAM : MULTIPLEXED } })
  })
}
