import type { Context, MiddlewareHandler } from 'hono'
import type { Scope } from '../core/model.js'
import type { KeyService } from '../core/key-service.js'
import type { AppEnv } from './context.js'

/** Reads `Authorization: Bearer <key>` and sets c.var.auth; errors go to the surface's onError. */
export function authenticate(keys: KeyService): MiddlewareHandler<AppEnv> {
  return async function auth(c, next) {
    const header = c.req.header('authorization') ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    const key = await keys.authenticate(match?.[1])
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
