import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv, ApiDeps } from './context.js'
import { dockerRoutes } from './docker/index.js'
import { DOCKER_VERSION_PREFIX } from './docker/paths.js'
import { nativeRoutes } from './v1/index.js'


/** Hono `getPath` that drops Docker's version prefix, so one route serves `/v1.41/x` and `/x`. */
export function stripDockerVersion(request: Request): string {
  const url = new URL(request.url)
  let path = url.pathname
  try {
    path = decodeURI(path)
  } catch {
    // Malformed %-escapes: route the raw path; the route answers 404/400 as for any bad id.
  }
  return path.replace(DOCKER_VERSION_PREFIX, '') || '/'
}

/**
 * The whole HTTP surface: native REST under /v1 (OpenAPI at /v1/openapi.json), the Docker
 * Engine API subset at the root, and /healthz. One app for Lambda and local mode.
 */
export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ getPath: stripDockerVersion })
  // Public: says only that the API answers (the backend's details go to `docker info`, keyed).
  app.get('/healthz', (c) => c.json({ status: 'ok', mode: deps.mode, version: deps.version }))
  app.route('/v1', nativeRoutes(deps))
  app.route('/', dockerRoutes(deps))
  return app
}
