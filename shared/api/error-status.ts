import type { ErrorCode } from '../core/errors.js'

/** The one table from domain error codes to HTTP statuses (both surfaces). */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  not_found: 404,
  conflict: 409,
  invalid_spec: 400,
  invalid_request: 400,
  unsupported: 501,
  unauthorized: 401,
  forbidden: 403,
  throttled: 429,
  backend: 502,
  not_modified: 304,
  engine_unavailable: 503,
}
