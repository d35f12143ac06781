import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv, ApiDeps } from '../context.js'

/** Bodies the Docker routes accept (a create body is about 2 KB). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** The request body as text; 413 above `deps.maxBodyBytes`. */
export async function readBody(c: Context<AppEnv>, deps: ApiDeps): Promise<string> {
  const max = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const declared = Number(c.req.header('content-length') ?? '0')
  if (declared > max) throw new HTTPException(413, { message: `request body is larger than ${max} bytes` })
  const text = await c.req.text()
  if (Buffer.byteLength(text) > max) throw new HTTPException(413, { message: `request body is larger than ${max} bytes` })
  return text
}
