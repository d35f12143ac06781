import { Hono } from 'hono'
import type { AppEnv, ApiDeps } from '../context.js'

/** Placeholder: Docker Engine API routes. */
export function dockerRoutes(_deps: ApiDeps): Hono<AppEnv> {
  return new Hono<AppEnv>()
}
