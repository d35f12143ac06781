import { chmodSync, lstatSync, unlinkSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import { resolve } from 'node:path'

/** Linux's sun_path holds 108 bytes, the terminating NUL included. */
export const MAX_SOCKET_PATH_BYTES = 107

/** Why `path` cannot be a unix socket here, or undefined when it can. */
export function socketPathProblem(path: string): string | undefined {
  const bytes = Buffer.byteLength(resolve(path))
  if (bytes > MAX_SOCKET_PATH_BYTES) return `the path is ${bytes} bytes; a unix socket path holds at most ${MAX_SOCKET_PATH_BYTES} (set FARGATED_SOCKET to a shorter one)`
  return undefined
}

/** Removes a socket file left by a server that is gone; refuses to remove anything that is not a socket. */
function removeStaleSocket(path: string): void {
  let stat
  try {
    stat = lstatSync(path)
  } catch {
    return
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; remove it or set FARGATED_SOCKET elsewhere`)
  unlinkSync(path)
}

/**
 * Serves `listener` on a unix socket at `path`, readable and writable by this user only (mode
 * 0600), as dockerd serves /var/run/docker.sock. The caller's data folder holds the only
 * server that may own the path (its store is locked), so a socket file found there is stale.
 */
export async function listenOnSocket(path: string, listener: RequestListener): Promise<Server> {
  const problem = socketPathProblem(path)
  if (problem) throw new Error(`cannot listen on ${path}: ${problem}`)
  removeStaleSocket(path)
  const server = createServer(listener)
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(path, () => {
      server.off('error', fail)
      done()
    })
  })
  chmodSync(path, 0o600)
  return server
}

/** Closes a socket server (and its open connections) and removes the socket file. */
export async function closeSocketServer(server: Server, path: string): Promise<void> {
  await new Promise<void>((done) => {
    server.close(() => done())
    server.closeAllConnections()
  })
  try {
    unlinkSync(path)
  } catch {
    // already gone
  }
}
