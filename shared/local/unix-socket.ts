import { chmodSync, lstatSync, statSync, unlinkSync } from 'node:fs'
import { createServer, type RequestListener, type Server } from 'node:http'
import { connect } from 'node:net'
import { resolve } from 'node:path'

/** Linux's sun_path holds 108 bytes, the terminating NUL included. */
export const MAX_SOCKET_PATH_BYTES = 107

/** Why `path` cannot be a unix socket here, or undefined when it can. */
export function socketPathProblem(path: string): string | undefined {
  const bytes = Buffer.byteLength(resolve(path))
  if (bytes > MAX_SOCKET_PATH_BYTES) return `the path is ${bytes} bytes; a unix socket path holds at most ${MAX_SOCKET_PATH_BYTES} (set FARGATED_SOCKET to a shorter one)`
  return undefined
}

/** Does a server answer on the socket at `path`? */
function answers(path: string): Promise<boolean> {
  return new Promise((done) => {
    const probe = connect(path)
    probe.once('connect', () => {
      probe.destroy()
      done(true)
    })
    probe.once('error', () => done(false))
  })
}

/** Removes a socket file left by a server that is gone; refuses a live socket or anything that is not a socket. */
async function removeStaleSocket(path: string): Promise<void> {
  let stat
  try {
    stat = lstatSync(path)
  } catch {
    return
  }
  if (!stat.isSocket()) throw new Error(`${path} exists and is not a socket; remove it or set FARGATED_SOCKET elsewhere`)
  if (await answers(path)) throw new Error(`another server is listening on ${path}; stop it or set FARGATED_SOCKET elsewhere`)
  unlinkSync(path)
}

/** A server on a unix socket; close() removes the socket file if it is still the one it made. */
export interface SocketListener {
  server: Server
  close(): Promise<void>
}

/**
 * Serves `listener` on a unix socket at `path`, readable and writable by this user only (mode
 * 0600), as dockerd serves /var/run/docker.sock. A socket file nobody answers on is replaced.
 */
export async function listenOnSocket(path: string, listener: RequestListener): Promise<SocketListener> {
  const problem = socketPathProblem(path)
  if (problem) throw new Error(`cannot listen on ${path}: ${problem}`)
  await removeStaleSocket(path)
  const server = createServer(listener)
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(path, () => {
      server.off('error', fail)
      done()
    })
  })
  chmodSync(path, 0o600)
  const inode = statSync(path).ino
  return {
    server,
    async close() {
      await new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
      try {
        if (statSync(path).ino === inode) unlinkSync(path)
      } catch {
        // already gone
      }
    },
  }
}
