import { STATUS_CODES, type IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Hono } from 'hono'
import { NotFoundError } from '../../core/errors.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { attachStream, refuseOnEcs, type AttachOptions } from './attach-stream.js'
import { namespaceOf } from './docker-auth.js'
import { dockerErrorStatus } from './docker-errors.js'
import { MULTIPLEXED, RAW_STREAM } from './log-frames.js'
import { bearerToken } from '../auth.js'
import { ATTACH_PATH } from './paths.js'
import { queryBool } from './query.js'
import { streamBody } from './streams.js'


/** The engine's hijack answer (docker-engine-api §4). */
export const UPGRADE_RESPONSE = 'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n'

function attachOptions(get: (name: string) => string | undefined): AttachOptions {
  const stdout = queryBool(get('stdout'))
  const stderr = queryBool(get('stderr'))
  // Neither stream named (a bare attach): both, as the CLI always asks for both.
  return { stdout: stdout || !stderr, stderr: stderr || !stdout, logs: queryBool(get('logs')) }
}

/** An HTTP error on a socket that was not upgraded; the CLI shows only the status code. */
function refuse(socket: Duplex, err: unknown): void {
  const { status, message } = dockerErrorStatus(err)
  const body = JSON.stringify({ message })
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

function write(socket: Duplex, chunk: Uint8Array): Promise<void> {
  if (socket.write(chunk)) return Promise.resolve()
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done)
      socket.off('close', done)
      resolve()
    }
    socket.once('drain', done)
    socket.once('close', done)
  })
}

/**
 * `server.on('upgrade')` handler for `POST /containers/{id}/attach` (local mode's node
 * server): checks the bearer key, resolves the container, answers `101 UPGRADED` and streams
 * the container's output (framed unless it has a TTY) until its run ends, then closes. The
 * client's half-close (no stdin) is tolerated; its full close stops the stream. Never rejects.
 */
export async function handleAttachUpgrade(deps: ApiDeps, req: IncomingMessage, socket: Duplex, _head: Buffer): Promise<void> {
  const abort = new AbortController()
  socket.on('error', () => abort.abort())
  socket.on('close', () => abort.abort())
  try {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const match = ATTACH_PATH.exec(url.pathname)
    if (!match) {
      refuse(socket, new NotFoundError('page not found'))
      return
    }
    const key = await deps.keys.authenticate(bearerToken(req.headers.authorization))
    deps.keys.authorize(key, 'read')
    refuseOnEcs(deps)
    const container = await deps.containers.resolve(key.namespace, decodeURIComponent(match[1]))
    const options = attachOptions((name) => url.searchParams.get(name) ?? undefined)
    if ('allowHalfOpen' in socket) (socket as Duplex & { allowHalfOpen: boolean }).allowHalfOpen = true
    socket.resume()
    await write(socket, Buffer.from(UPGRADE_RESPONSE))
    for await (const chunk of attachStream(deps, container, options, abort.signal)) {
      if (abort.signal.aborted) break
      await write(socket, chunk)
    }
    if (!socket.destroyed) socket.end()
  } catch (err) {
    if (!socket.destroyed && !socket.writableEnded) refuse(socket, err)
  }
}

/**
 * POST /containers/{id}/attach reaching Hono: a request without `Upgrade` (or a runtime that
 * cannot hijack, like Lambda). On ECS it is refused with the hint; locally the output is
 * streamed as the response body, as the engine does for a non-upgraded attach.
 */
export function registerAttach(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.post('/containers/:id/attach', async (c) => {
    refuseOnEcs(deps)
    const container = await deps.containers.resolve(namespaceOf(c), c.req.param('id'))
    const options = attachOptions((name) => c.req.query(name))
    const body = streamBody((signal) => attachStream(deps, container, options, signal), c.req.raw.signal)
    return new Response(body, { status: 200, headers: { 'Content-Type': container.spec.tty ? RAW_STREAM : MULTIPLEXED } })
  })
}
