import { join, resolve } from 'node:path'
import type { ReaperOptions } from '../core/reaper/index.js'

/** Local mode settings, from the environment (README "Configuration"). */
export interface LocalConfig {
  host: string
  port: number
  /**
   * A unix socket served next to the TCP port (FARGATED_SOCKET; default `<dataDir>/fargated.sock`,
   * `off` for none): the docker CLI's `DOCKER_HOST=unix://…`, as dockerd serves its socket.
   */
  socketPath?: string
  dataDir: string
  /** Bootstrap admin key; generated and printed once when absent. */
  adminKey?: string
  /** Seconds between reaper ticks; 0 disables the reaper. */
  reaperIntervalSeconds: number
  /** Seconds between engine checks while no engine answers. */
  engineRetrySeconds: number
  /** Host address published container ports bind to. */
  publishHost: string
  tableName: string
  /** A local registry (Debian docker-registry) whose notifications redeploy tracking containers. */
  registryHost?: string
  /**
   * A new run must stay RUNNING this long before a rollout replaces the old run with it
   * (FARGATED_ROLLOUT_SETTLE; without it, an image that exits at once can win the race).
   */
  rolloutSettleSeconds?: number
  /** Labels set on (and required of) every engine container this server runs: several servers, or test suites, share one engine apart. */
  engineLabels?: Record<string, string>
  /** Reaper tick options (tests: sizing.minSamples, recommendRetrySeconds, orphanPolicy). */
  reaper?: Omit<ReaperOptions, 'log' | 'owner'>
}

export const DEFAULT_PORT = 2475

export function readLocalConfig(env: Record<string, string | undefined> = process.env): LocalConfig {
  const port = Number(env.FARGATED_PORT ?? DEFAULT_PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`FARGATED_PORT must be a port number 0-65535 (got "${env.FARGATED_PORT}")`)
  const reaper = Number(env.FARGATED_REAPER_INTERVAL ?? 30)
  if (!Number.isFinite(reaper) || reaper < 0) throw new Error(`FARGATED_REAPER_INTERVAL must be seconds ≥ 0 (got "${env.FARGATED_REAPER_INTERVAL}")`)
  const settle = env.FARGATED_ROLLOUT_SETTLE ? Number(env.FARGATED_ROLLOUT_SETTLE) : undefined
  if (settle !== undefined && (!Number.isFinite(settle) || settle < 0)) throw new Error(`FARGATED_ROLLOUT_SETTLE must be seconds ≥ 0 (got "${env.FARGATED_ROLLOUT_SETTLE}")`)
  const dataDir = resolve(env.FARGATED_DATA_DIR ?? '.fargated')
  const socket = env.FARGATED_SOCKET?.trim()
  return {
    host: env.FARGATED_HOST ?? '127.0.0.1',
    port,
    socketPath: socket === 'off' ? undefined : resolve(socket || join(dataDir, 'fargated.sock')),
    dataDir,
    adminKey: env.FARGATED_ADMIN_KEY || undefined,
    reaperIntervalSeconds: reaper,
    engineRetrySeconds: Number(env.FARGATED_ENGINE_RETRY ?? 3),
    publishHost: env.FARGATED_PUBLISH_HOST ?? '127.0.0.1',
    tableName: env.FARGATED_TABLE ?? 'fargated',
    registryHost: env.FARGATED_REGISTRY_HOST || undefined,
    rolloutSettleSeconds: settle,
  }
}
