import { resolve } from 'node:path'

export const DEFAULT_ENGINE_SOCKET = '/var/run/docker.sock'

/** Where local mode itself listens. */
export interface OwnAddress {
  socketPath?: string
  host: string
  port: number
}

/**
 * Does `dockerHost` (a DOCKER_HOST value) point at this fargated rather than at an engine?
 * That happens when a shell that exported fargated's DOCKER_HOST for the docker CLI then runs
 * `npm start`: fargated would send its containers to itself.
 */
export function pointsAtSelf(dockerHost: string | undefined, own: OwnAddress): boolean {
  if (!dockerHost) return false
  if (dockerHost.startsWith('unix://')) return !!own.socketPath && resolve(dockerHost.slice('unix://'.length)) === resolve(own.socketPath)
  const match = /^(?:tcp|http):\/\/\[?([^\]/]+?)\]?:(\d+)\/?$/.exec(dockerHost)
  if (!match || own.port === 0) return false
  const loopback = (h: string) => h === 'localhost' || h === '127.0.0.1' || h === '::1' || h === '0.0.0.0'
  const sameHost = match[1] === own.host || (loopback(match[1]) && loopback(own.host))
  return sameHost && Number(match[2]) === own.port
}
