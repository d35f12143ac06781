import type { IncomingMessage } from 'node:http'
import type { Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import { translateEngineError } from './errors.js'

type Query = Record<string, string | number | boolean | string[] | Record<string, unknown> | undefined>

/**
 * Opens a streamed GET on the engine (logs, stats, events) and resolves once the response
 * headers arrive. Engine errors are translated; `signal` aborts the request and the stream.
 */
export function openStream(docker: Dockerode, path: string, query: Query, signal?: AbortSignal): Promise<IncomingMessage> {
  const options: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(query)) if (v !== undefined) options[k] = v
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: `${path}?`,
        method: 'GET',
        options,
        isStream: true,
        abortSignal: signal,
        statusCodes: { 200: true, 400: 'bad parameter', 404: 'no such container', 409: 'conflict', 500: 'server error' },
      },
      (err, result) => (err ? reject(translateEngineError(err)) : resolve(result as IncomingMessage)),
    )
  })
}

/** Reads a stream until it ends, the signal aborts, or it fails (abort is not an error). */
export async function* chunks(source: NodeJS.ReadableStream, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const stream = source as Readable
  const onAbort = () => stream.destroy()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for await (const chunk of stream) yield chunk as Buffer
  } catch (error) {
    if (!signal?.aborted) throw translateEngineError(error)
  } finally {
    signal?.removeEventListener('abort', onAbort)
    stream.destroy()
  }
}
