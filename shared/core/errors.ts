/**
 * Domain errors. Every failure that leaves the core is one of these; each front door maps
 * them to HTTP in one table (shared/api/error-status.ts). Names end in `Error`, `cause` is kept.
 */
export type ErrorCode =
  | 'not_found'
  | 'conflict'
  | 'invalid_spec'
  | 'invalid_request'
  | 'unsupported'
  | 'unauthorized'
  | 'forbidden'
  | 'throttled'
  | 'backend'
  | 'not_modified'
  | 'engine_unavailable'

export class FargatedError extends Error {
  readonly code: ErrorCode
  /** Extra machine-readable detail (field paths, conflicting id, ...). */
  readonly details?: Record<string, unknown>
  constructor(code: ErrorCode, message: string, options?: ErrorOptions & { details?: Record<string, unknown> }) {
    super(message, options)
    this.code = code
    this.details = options?.details
    this.name = 'FargatedError'
  }
}

/** No such container / image / key / hook in the caller's namespace. */
export class NotFoundError extends FargatedError {
  constructor(message: string, options?: ErrorOptions & { details?: Record<string, unknown> }) {
    super('not_found', message, options)
    this.name = 'NotFoundError'
  }
}

/** Name in use, running container removed without force, idempotency key reused with another body. */
export class ConflictError extends FargatedError {
  constructor(message: string, options?: ErrorOptions & { details?: Record<string, unknown> }) {
    super('conflict', message, options)
    this.name = 'ConflictError'
  }
}

/** The container spec (or a field of it) is invalid; the message says what to fix. */
export class InvalidSpecError extends FargatedError {
  constructor(message: string, options?: ErrorOptions & { details?: Record<string, unknown> }) {
    super('invalid_spec', message, options)
    this.name = 'InvalidSpecError'
  }
}

/** A request parameter (not the spec) is invalid. */
export class InvalidRequestError extends FargatedError {
  constructor(message: string, options?: ErrorOptions & { details?: Record<string, unknown> }) {
    super('invalid_request', message, options)
    this.name = 'InvalidRequestError'
  }
}

/** Something Fargate (or this backend) cannot do; the message says why and what to do instead. */
export class UnsupportedError extends FargatedError {
  constructor(message: string, options?: ErrorOptions & { details?: Record<string, unknown> }) {
    super('unsupported', message, options)
    this.name = 'UnsupportedError'
  }
}

export class UnauthorizedError extends FargatedError {
  constructor(message: string, options?: ErrorOptions) {
    super('unauthorized', message, options)
    this.name = 'UnauthorizedError'
  }
}

export class ForbiddenError extends FargatedError {
  constructor(message: string, options?: ErrorOptions) {
    super('forbidden', message, options)
    this.name = 'ForbiddenError'
  }
}

/** The runtime (ECS, the engine) throttled us past our retries. */
export class ThrottledError extends FargatedError {
  constructor(message: string, options?: ErrorOptions) {
    super('throttled', message, options)
    this.name = 'ThrottledError'
  }
}

/** The runtime failed (ECS failure reason, engine error). The message carries the runtime's reason. */
export class BackendError extends FargatedError {
  constructor(message: string, options?: ErrorOptions & { details?: Record<string, unknown> }) {
    super('backend', message, options)
    this.name = 'BackendError'
  }
}

/** No container engine is reachable yet (local mode). */
export class EngineUnavailableError extends FargatedError {
  constructor(message: string, options?: ErrorOptions) {
    super('engine_unavailable', message, options)
    this.name = 'EngineUnavailableError'
  }
}

/** The operation had nothing to do (start a running container, stop a stopped one): Docker's 304. */
export class NotModifiedError extends FargatedError {
  constructor(message: string) {
    super('not_modified', message)
    this.name = 'NotModifiedError'
  }
}
