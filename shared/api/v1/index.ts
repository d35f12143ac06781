import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv, ApiDeps } from '../context.js'

/** Placeholder: native /v1 routes. */
export function nativeRoutes(_deps: ApiDeps): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>()
}
