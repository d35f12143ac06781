/** Streaming line responses (text lines or NDJSON) for logs and events. */
import type { Context } from 'hono'
import { stream } from 'hono/streaming'
import type { AppEnv } from '../context.js'

export const NDJSON = 'application/x-ndjson'
export const TEXT = 'text/plain; charset=utf-8'

/** A followed stream (logs -f, events) ends after this long: API Gateway streams last at most 15 min. */
export const FOLLOW_MAX_MS = 14 * 60_000

/** Does the client ask for NDJSON (`Accept: application/x-ndjson`)? */
export function wantsNdjson(c: Context<AppEnv>): boolean {
  return (c.req.header('accept') ?? '').toLowerCase().includes(NDJSON)
}

export interface LineStreamOptions {
  contentType: string
  /** Lines to write, each with its trailing newline. */
  lines: AsyncIterable<string>
  /** The last line written when the source fails after the headers went out. */
  errorLine: (err: Error) => string
  /** Aborted when the client goes away (or maxMs passes), so the source stops reading. */
  abort: AbortController
  /** End the stream after this long. */
  maxMs?: number
}

/**
 * Streams lines as they come (hono `stream()`: Lambda response streaming, chunked locally).
 * Errors before the first line should be raised by the caller before calling this, so they
 * still get a proper status; later ones can only end the stream with `errorLine`.
 *
 * Routes declare these media types for the OpenAPI document; hono's typed responses cannot
 * express NDJSON, hence the `never` return type, which fits any declared response.
 */
export function lineStream(c: Context<AppEnv>, options: LineStreamOptions): never {
  c.header('content-type', options.contentType)
  c.header('cache-control', 'no-cache')
  c.header('x-content-type-options', 'nosniff')
  const onClientGone = () => options.abort.abort()
  c.req.raw.signal?.addEventListener('abort', onClientGone, { once: true })
  const res = stream(
    c,
    async (s) => {
      s.onAbort(onClientGone)
      const timer = options.maxMs === undefined ? undefined : setTimeout(onClientGone, options.maxMs)
      try {
        for await (const line of options.lines) {
          if (s.aborted || options.abort.signal.aborted) break
          await s.write(line)
        }
      } finally {
        clearTimeout(timer)
      }
    },
    async (err, s) => {
      if (!options.abort.signal.aborted) await s.write(options.errorLine(err))
    },
  )
  return res as never
}

/** Pulls the first item now (so a failure still becomes a problem response), then the rest. */
export async function primed<T>(source: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const it = source[Symbol.asyncIterator]()
  const first = await it.next()
  return {
    async *[Symbol.asyncIterator]() {
      let r = first
      while (!r.done) {
        yield r.value
        r = await it.next()
      }
    },
  }
}
