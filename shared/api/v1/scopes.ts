import type { MiddlewareHandler } from 'hono'
import type { KeyService } from '../../core/key-service.js'
import type { Scope } from '../../core/model.js'
import type { AppEnv } from '../context.js'

/**
 * Route options that require a scope: the OpenAPI `security` entry (OpenAPI 3.1 lets a bearer
 * requirement list role names) and a middleware that checks the key before any validation,
 * so a read key on a write route gets 403 whatever its body.
 */
export function scopeGuard(keys: KeyService) {
  return (scope: Scope) => ({
    security: [{ bearer: [scope] }],
    middleware: [
      async function requireScope(c, next) {
        keys.authorize(c.get('auth'), scope)
        await next()
      },
    ] as MiddlewareHandler<AppEnv>[],
  })
}

export type ScopeGuard = ReturnType<typeof scopeGuard>
