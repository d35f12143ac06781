import { mkdirSync } from 'node:fs'
import type { IncomingMessage, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Duplex } from 'node:stream'
import { getRequestListener, serve } from '@hono/node-server'
import Dockerode from 'dockerode'
import { createApp } from '../api/app.js'
import type { ApiDeps } from '../api/context.js'
import { handleAttachUpgrade } from '../api/docker/attach.js'
import { isAttachUrl } from '../api/docker/paths.js'
import { DockerBackend } from '../backends/docker/docker-backend.js'
import { ContainerService } from '../core/container-service.js'
import { KeyService } from '../core/key-service.js'
import { systemClock } from '../core/ports.js'
import { createDocumentClient, DynamoStore, ensureTable } from '../store/index.js'
import { createHookExtras } from '../core/hooks/hook-extras.js'
import { restartWhenDue } from '../core/reaper/index.js'
import { localRepositoryNaming } from '../core/rollout/index.js'
import { CachedStore } from './cached-store.js'
import { bootstrapAdminKey, writeDockerConfig } from './bootstrap-key.js'
import { startEmbeddedDynamo } from './embedded-dynamo.js'
import { DEFAULT_ENGINE_SOCKET, pointsAtSelf } from './engine-target.js'
import { listenOnSocket, type SocketListener } from './unix-socket.js'
import { watchEngine } from './engine-watch.js'
import type { LocalConfig } from './local-config.js'
import { startReaperTimer } from './reaper-timer.js'

export const VERSION = '0.1.0'
/** Policy restarts due within this many seconds start right after the exit (Docker-like). */
const RESTART_INLINE_SECONDS = 60

export interface LocalServer {
  url: string
  /** The admin key, when generated on this start or given by FARGATED_ADMIN_KEY. */
  adminKey?: string
  adminKeyCreated: boolean
  dockerConfigDir?: string
  /** The unix socket also served (FARGATED_SOCKET), when there is one. */
  socketPath?: string
  deps: ApiDeps
  engineAvailable(): boolean
  close(): Promise<void>
}

/**
 * Local mode: the same Hono app and core as on AWS, with the DockerBackend on the local
 * engine and an embedded DynamoDB-compatible store persisted under the data folder.
 */
export async function startLocalServer(config: LocalConfig, log: (m: string) => void = console.log): Promise<LocalServer> {
  mkdirSync(config.dataDir, { recursive: true })
  const dynamo = await startEmbeddedDynamo({ path: join(config.dataDir, 'db') })
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'local' })
  await ensureTable(client, config.tableName)
  const store = new CachedStore(new DynamoStore({ client, tableName: config.tableName }))
  const clock = systemClock
  const own = { socketPath: config.socketPath, host: config.host, port: config.port }
  const selfHost = pointsAtSelf(process.env.DOCKER_HOST, own)
  if (selfHost) log(`DOCKER_HOST=${process.env.DOCKER_HOST} is this fargated, not an engine: using the engine at ${DEFAULT_ENGINE_SOCKET}`)
  const backend = new DockerBackend({
    publishHost: config.publishHost,
    labels: config.engineLabels,
    ...(selfHost ? { docker: new Dockerode({ socketPath: DEFAULT_ENGINE_SOCKET }) } : {}),
  })
  const containers = new ContainerService({ store, backend, clock, pollIntervalMs: 200 })
  const keys = new KeyService(store, clock)
  const hooks = createHookExtras({
    store, backend, clock, containers, naming: localRepositoryNaming, background: true, settleSeconds: config.rolloutSettleSeconds,
    prepareImage: async (image) => { await backend.pullImage(image) },
  })
  const deps: ApiDeps = {
    containers, keys, store, backend, clock, mode: 'local', version: VERSION, publishHost: config.publishHost,
    extras: { ...hooks, ...(config.registryHost ? { registryHost: config.registryHost } : {}) },
  }
  const app = createApp(deps)

  const admin = await bootstrapAdminKey(keys, store, config.adminKey)
  const dockerConfigDir = admin.secret ? writeDockerConfig(config.dataDir, admin.secret) : undefined

  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }) as Server
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isAttachUrl(req.url)) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n')
      return
    }
    void handleAttachUpgrade(deps, req, socket, head)
  }
  server.on('upgrade', onUpgrade)
  const address = server.address() as AddressInfo
  const url = `http://${config.host}:${address.port}`
  let socketServer: SocketListener | undefined
  if (config.socketPath) {
    try {
      socketServer = await listenOnSocket(config.socketPath, getRequestListener(app.fetch))
      socketServer.server.on('upgrade', onUpgrade)
    } catch (err) {
      log(`not serving a unix socket: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  const engine = watchEngine({
    engine: backend, containers, store, retrySeconds: config.engineRetrySeconds, log,
    afterObservation: async (obs, outcome) => {
      await hooks.rollouts.onObservation(obs)
      if (outcome === 'applied' && obs.lastStatus === 'STOPPED' && obs.containerId && obs.namespace) {
        await restartWhenDue(containers.deps, obs.namespace, obs.containerId, RESTART_INLINE_SECONDS)
      }
    },
  })
  const reaper = config.reaperIntervalSeconds > 0 ? startReaperTimer(deps, config.reaperIntervalSeconds, log, config.reaper) : undefined

  return {
    url,
    adminKey: admin.secret,
    adminKeyCreated: admin.created,
    dockerConfigDir,
    socketPath: socketServer ? config.socketPath : undefined,
    deps,
    engineAvailable: engine.available,
    async close() {
      reaper?.stop()
      engine.stop()
      await socketServer?.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections?.()
      })
      client.destroy()
      await dynamo.close()
    },
  }
}
