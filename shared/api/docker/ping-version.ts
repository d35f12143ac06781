import type { Hono, MiddlewareHandler } from 'hono'
import type { AppEnv, ApiDeps } from '../context.js'
import { isForeignPath, namespaceOf } from './docker-auth.js'

/**
 * The API version advertised on /_ping. 1.44 keeps `stop --signal` (≥ 1.42) and every
 * route and field served here (checked against the 1.44 reference: no VirtualSize, no
 * removed fields).
 */
export const DOCKER_API_VERSION = '1.44'
/** The oldest version accepted; the CLI falls back to 1.24 when a server sends no Api-Version. */
export const DOCKER_MIN_API_VERSION = '1.24'

/** The headers the engine adds to every response (the CLI reads them from /_ping only). */
export function dockerHeaders(version: string): MiddlewareHandler<AppEnv> {
  return async function headers(c, next) {
    await next()
    if (isForeignPath(c)) return
    c.res.headers.set('Api-Version', DOCKER_API_VERSION)
    c.res.headers.set('Docker-Experimental', 'false')
    c.res.headers.set('Ostype', 'linux')
    c.res.headers.set('Server', `fargated/${version}`)
  }
}

async function describeBackend(deps: ApiDeps): Promise<Record<string, string | number | boolean>> {
  return deps.backend.describe().catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }))
}

/** HEAD/GET /_ping (no key), GET /version, GET /info. */
export function registerPingVersion(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/_ping', (c) =>
    c.body('OK', 200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-cache, no-store, must-revalidate',
      Pragma: 'no-cache',
    }),
  )

  app.get('/version', (c) => {
    const details = { ApiVersion: DOCKER_API_VERSION, MinAPIVersion: DOCKER_MIN_API_VERSION, Backend: deps.backend.kind, Mode: deps.mode, Os: 'linux', Arch: 'amd64', Experimental: 'false' }
    return c.json({
      Platform: { Name: 'fargated' },
      Components: [{ Name: 'fargated', Version: deps.version, Details: details }],
      Version: deps.version,
      ApiVersion: DOCKER_API_VERSION,
      MinAPIVersion: DOCKER_MIN_API_VERSION,
      GitCommit: '',
      GoVersion: '',
      Os: 'linux',
      Arch: 'amd64',
      KernelVersion: '',
      BuildTime: '',
    })
  })

  app.get('/info', async (c) => {
    const namespace = namespaceOf(c)
    const [containers, images, backend] = await Promise.all([
      deps.store.listContainers(namespace),
      deps.backend.listImages(namespace).catch(() => []),
      describeBackend(deps),
    ])
    const running = containers.filter((x) => x.state.running).length
    const kind = deps.backend.kind === 'ecs' ? 'AWS ECS Fargate' : 'local Docker engine'
    return c.json({
      ID: `fargated:${namespace}`,
      Name: 'fargated',
      ServerVersion: deps.version,
      OperatingSystem: `fargated (${kind})`,
      OSType: 'linux',
      Architecture: 'x86_64',
      KernelVersion: '',
      NCPU: 0,
      MemTotal: 0,
      Containers: containers.length,
      ContainersRunning: running,
      ContainersPaused: 0,
      ContainersStopped: containers.length - running,
      Images: images.length,
      Driver: deps.backend.kind === 'ecs' ? 'fargate' : 'engine',
      LoggingDriver: deps.backend.kind === 'ecs' ? 'awslogs' : 'json-file',
      Labels: Object.entries(backend).map(([k, v]) => `fargated.backend.${k}=${v}`),
      Swarm: { LocalNodeState: 'inactive', NodeID: '', NodeAddr: '', ControlAvailable: false, Error: '', RemoteManagers: null },
      Warnings: null,
      Fargated: { mode: deps.mode, namespace, backendKind: deps.backend.kind, backend },
    })
  })
}
