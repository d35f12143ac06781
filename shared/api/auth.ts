import type { Context, MiddlewareHandler } from 'hono'
import type { Scope } from '../core/model.js'
import type { KeyService } from '../core/key-service.js'
import type { AppEnv } from './context.js'

/** The key in an `Authorization: Bearer <key>` header, if there is one. */
export function bearerToken(header: string | undefined | null): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1]
}

/** Reads `Authorization: Bearer <key>` and sets c.var.auth; errors go to the surface's onError. */
export function authenticate(keys: KeyService): MiddlewareHandler<AppEnv> {
  return async function auth(c, next) {
    const key = await keys.authenticate(bearerToken(c.req.header('authorization')))
    c.set('auth', key)
    await next()
  }
}

/** The caller's namespace after checking that its key has `scope`. */
export function scoped(c: Context<AppEnv>, keys: KeyService, scope: Scope): string {
  const key = c.get('auth')
  keys.authorize(key, scope)
  return key.namespace
}
