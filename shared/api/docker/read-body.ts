import type { Context } from 'hono'
import { readCappedBody } from '../capped-body.js'
import type { AppEnv, ApiDeps } from '../context.js'

/** Bodies the Docker routes accept (a create body is about 2 KB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** The request body as text; 413 above `deps.maxBodyBytes`. */
export async function readBody(c: Context<AppEnv>, deps: ApiDeps): Promise<string> {
  return readCappedBody(c.req.raw, deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, 'request body')
}
