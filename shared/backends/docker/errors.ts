import {
  BackendError,
  ConflictError,
  EngineUnavailableError,
  FargatedError,
  InvalidRequestError,
  NotFoundError,
} from '../../core/errors.js'

/** The line users run to get an engine (scripts/engine.sh). */
export const ENGINE_HINT = 'sudo bash scripts/engine.sh'

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT'])

interface EngineErrorShape {
  code?: string
  statusCode?: number
  json?: unknown
  message?: string
  address?: string
}

function shape(error: unknown): EngineErrorShape {
  return typeof error === 'object' && error !== null ? (error as EngineErrorShape) : { message: String(error) }
}

/** The engine's own message (`{"message": ...}` body), without dockerode's `(HTTP code N)` prefix. */
export function engineMessage(error: unknown): string {
  const e = shape(error)
  const json = e.json
  if (typeof json === 'object' && json !== null && typeof (json as { message?: unknown }).message === 'string') {
    return (json as { message: string }).message.trim()
  }
  if (typeof json === 'string' && json.trim()) return json.trim()
  const text = e.message ?? 'unknown engine error'
  return text.replace(/^\(HTTP code \d+\) [^-]* - /, '').trim()
}

/** True when the error means no engine answers on the socket / host. */
export function isUnreachable(error: unknown): boolean {
  const e = shape(error)
  return e.code !== undefined && UNREACHABLE.has(e.code) && e.statusCode === undefined
}

/** The engine's HTTP status, when the engine answered. */
export function engineStatus(error: unknown): number | undefined {
  return shape(error).statusCode
}

/** The error raised when no engine answers: says what is wrong and the one line that fixes it. */
export function engineUnavailable(cause?: unknown): EngineUnavailableError {
  const e = shape(cause)
  const where = e.address ? ` at ${e.address}` : ''
  const why = e.code === 'EACCES' ? `permission denied on the engine socket${where}` : `no container engine answers${where}${e.code ? ` (${e.code})` : ''}`
  return new EngineUnavailableError(
    `${why}: containers can't start until an engine runs. Start one with: ${ENGINE_HINT}`,
    { cause },
  )
}

/**
 * Translates a dockerode error into a core error: unreachable engine → EngineUnavailableError,
 * 404 → NotFoundError, 409 → ConflictError, 400 → InvalidRequestError, other → BackendError.
 * Core errors pass through unchanged.
 */
export function translateEngineError(error: unknown, context?: string): FargatedError {
  if (error instanceof FargatedError) return error
  if (isUnreachable(error)) return engineUnavailable(error)
  const status = engineStatus(error)
  const message = engineMessage(error)
  const text = context ? `${context}: ${message}` : message
  switch (status) {
    case 404:
      return new NotFoundError(message, { cause: error })
    case 409:
      return new ConflictError(message, { cause: error })
    case 400:
      return new InvalidRequestError(text, { cause: error })
    default:
      return new BackendError(text, { cause: error, details: status ? { engineStatus: status } : undefined })
  }
}

/** Runs an engine call and translates what it throws. */
export async function engineCall<T>(call: () => Promise<T>, context?: string): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw translateEngineError(error, context)
  }
}
