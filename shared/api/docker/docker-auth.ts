import type { Context, MiddlewareHandler } from 'hono'
import type { KeyService } from '../../core/key-service.js'
import type { Scope } from '../../core/model.js'
import { bearerToken } from '../auth.js'
import type { AppEnv } from '../context.js'
import { DOCKER_VERSION_PREFIX } from './paths.js'


/** The request path without Docker's version prefix. */
export function dockerPath(c: Context): string {
  return c.req.path.replace(DOCKER_VERSION_PREFIX, '')
}

/**
 * Paths that belong to the other surfaces. The Docker sub-app is mounted at `/`, so its
 * middleware also sees their unmatched requests; it leaves them alone.
 */
export function isForeignPath(c: Context): boolean {
  const path = c.req.path
  return path === '/v1' || path.startsWith('/v1/') || path === '/healthz'
}

/** POSTs that only read (a read-scoped key may wait, attach, resize a TTY, check a login). */
const READING_POSTS = /^\/(containers\/[^/]+\/(wait|attach|resize)|auth)$/

function neededScope(c: Context): Scope {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return 'read'
  return READING_POSTS.test(dockerPath(c)) ? 'read' : 'write'
}

/**
 * Bearer-key check for every Docker route but /_ping (the CLI pings before anything else and
 * sends no key there when none is configured). Read routes need `read`, the others `write`.
 * Errors reach the surface's onError, which adds the config.json hint to a 401.
 */
export function dockerAuth(keys: KeyService): MiddlewareHandler<AppEnv> {
  return async function auth(c, next) {
    if (isForeignPath(c) || dockerPath(c) === '/_ping') return next()
    const key = await keys.authenticate(bearerToken(c.req.header('authorization')))
    keys.authorize(key, neededScope(c))
    c.set('auth', key)
    await next()
  }
}

/** The caller's namespace (set by dockerAuth). */
export function namespaceOf(c: Context<AppEnv>): string {
  return c.get('auth').namespace
}
