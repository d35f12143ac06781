import { HTTPException } from 'hono/http-exception'
import { FargatedError, InvalidRequestError } from '../../core/errors.js'
import { ERROR_STATUS } from '../error-status.js'

/** Where the docker CLI reads the API key from; every 401 says so. */
export const DOCKER_KEY_HINT =
  'the docker CLI sends the key when you set "HttpHeaders": {"Authorization": "Bearer <key>"} in $DOCKER_CONFIG/config.json (default ~/.docker/config.json)'

/**
 * A Docker error body. The CLI shows `message` only when Content-Type is exactly
 * `application/json` (no charset), so the header is set by hand.
 */
export function dockerJsonError(status: number, message: string): Response {
  return new Response(JSON.stringify({ message }), { status, headers: { 'Content-Type': 'application/json' } })
}

/** The status and message Docker would answer for an error thrown by a route or the core. */
export function dockerErrorStatus(err: unknown): { status: number; message: string } {
  if (err instanceof FargatedError) {
    const message = err.code === 'unauthorized' ? `${err.message}; ${DOCKER_KEY_HINT}` : err.message
    return { status: ERROR_STATUS[err.code] ?? 500, message }
  }
  if (err instanceof HTTPException) return { status: err.status, message: err.message || 'request refused' }
  if (err instanceof URIError) return { status: 400, message: `invalid path or query: ${err.message}` }
  if (err instanceof SyntaxError) return { status: 400, message: `invalid JSON: ${err.message}` }
  return { status: 500, message: err instanceof Error ? err.message : String(err) }
}

/** The one error handler of the Docker surface: `{"message"}` JSON, 304 without a body. */
export function dockerErrorResponse(err: unknown): Response {
  const { status, message } = dockerErrorStatus(err)
  if (status === 304) return new Response(null, { status: 304 })
  if (status >= 500) console.error(JSON.stringify({ msg: 'docker api error', status, error: message }))
  return dockerJsonError(status, message)
}

/** Parses a JSON request body; a syntax error or an empty body is a 400 that says which. */
export function parseJsonBody(text: string, what: string): unknown {
  if (text.trim() === '') throw new InvalidRequestError(`${what} cannot be empty`)
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new InvalidRequestError(`invalid JSON in ${what}: ${(err as Error).message}`)
  }
}
