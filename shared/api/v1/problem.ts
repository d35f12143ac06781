/**
 * The /v1 error body: RFC 9457 problem+json with fargated's stable `code`. One error handler
 * (problemOnError) and one validation hook (validationHook) produce every error response.
 */
import { z } from '@hono/zod-openapi'
import type { Context, ErrorHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { FargatedError, type ErrorCode } from '../../core/errors.js'
import type { AppEnv } from '../context.js'
import { ERROR_STATUS } from '../error-status.js'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** Codes for HTTP-level failures that have no domain error (body limit, media type). */
const HTTP_CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

const TITLES: Record<string, string> = {
  not_found: 'Not found',
  conflict: 'Conflict',
  invalid_spec: 'Invalid container spec',
  invalid_request: 'Invalid request',
  unsupported: 'Not supported on this runtime',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  throttled: 'Throttled by the runtime',
  backend: 'Runtime error',
  engine_unavailable: 'No container engine',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  method_not_allowed: 'Method not allowed',
  internal: 'Internal error',
}

/** Every stable `code` a /v1 problem may carry, for the docs and the schema. */
export const PROBLEM_CODES = Object.keys(TITLES)

function statusOfCode(code: string): number {
  const domain = (ERROR_STATUS as Record<string, number>)[code]
  if (domain) return domain
  const http = Object.entries(HTTP_CODES).find(([, c]) => c === code)
  return http ? Number(http[0]) : 500
}

/** code, title and HTTP status of every problem type (the docs page lists them). */
export const PROBLEM_CATALOG = PROBLEM_CODES.filter((code) => code !== 'not_modified').map((code) => ({ code, title: TITLES[code], status: statusOfCode(code) }))

export const FieldErrorSchema = z
  .object({
    in: z.enum(['body', 'query', 'path', 'header']).optional(),
    field: z.string().openapi({ description: 'Dotted path of the field ("" for the whole body)', example: 'idle.after' }),
    message: z.string().openapi({ example: 'idle.after must be a duration such as 90s, 15m or 1h30m (got "soon")' }),
  })
  .openapi('FieldError')

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ description: 'A URI reference naming the problem type', example: '/v1/docs#error-not_found' }),
    title: z.string().openapi({ example: 'Not found' }),
    status: z.number().int().openapi({ example: 404 }),
    code: z.string().openapi({ description: `Stable machine-readable code: ${PROBLEM_CODES.join(', ')}`, example: 'not_found' }),
    detail: z.string().openapi({ description: 'What went wrong and what to do about it', example: 'No such container: web' }),
    instance: z.string().optional().openapi({ description: 'The request path', example: '/v1/containers/web' }),
    requestId: z.string().optional().openapi({ description: 'Quote it when reporting a problem' }),
    errors: z.array(FieldErrorSchema).optional().openapi({ description: 'One entry per invalid field' }),
  })
  .openapi('Problem')

export type Problem = z.infer<typeof ProblemSchema>
export type FieldError = z.infer<typeof FieldErrorSchema>

/** A problem+json response. Authentication failures carry `WWW-Authenticate: Bearer`. */
export function problemResponse(c: Context<AppEnv>, status: number, code: string, detail: string, errors?: FieldError[]): Response {
  const body: Problem = {
    type: `/v1/docs#error-${code}`,
    title: TITLES[code] ?? code,
    status,
    code,
    detail,
    instance: new URL(c.req.url).pathname,
    requestId: c.get('requestId'),
    ...(errors?.length ? { errors } : {}),
  }
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE }
  if (status === 401) headers['www-authenticate'] = 'Bearer realm="fargated"'
  return c.body(JSON.stringify(body), status as ContentfulStatusCode, headers)
}

type ZodIssueLike = { code: string; path: PropertyKey[]; message: string; keys?: string[] }

/** Zod issues as field errors whose messages say what to fix. */
export function fieldErrors(issues: readonly ZodIssueLike[], where?: FieldError['in']): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const path = issue.path.map(String).join('.')
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((k) => ({ in: where, field: path ? `${path}.${k}` : k, message: `unknown field "${path ? `${path}.${k}` : k}": remove it (see /v1/openapi.json for the accepted fields)` }))
    }
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) {
      return [{ in: where, field: path, message: `${path || 'value'} is required` }]
    }
    return [{ in: where, field: path, message: path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message }]
  })
}

const TARGETS: Record<string, FieldError['in']> = { json: 'body', query: 'query', param: 'path', header: 'header' }
const WHAT: Record<string, string> = { json: 'request body', query: 'query parameters', param: 'path parameters', header: 'headers' }

/**
 * The one validation hook of /v1 (OpenAPIHono defaultHook): a failed zod check becomes a 400
 * problem listing each field. Container spec bodies report `invalid_spec`, the rest `invalid_request`.
 */
export function validationHook(
  result: { target: string; success: boolean; error?: { issues: readonly ZodIssueLike[] } },
  c: Context<AppEnv>,
): Response | undefined {
  if (result.success || !result.error) return undefined
  const errors = fieldErrors(result.error.issues, TARGETS[result.target])
  const path = new URL(c.req.url).pathname
  const isSpec = result.target === 'json' && /^\/v1\/containers(\/[^/]+)?$/.test(path)
  const detail = `invalid ${WHAT[result.target] ?? result.target}: ${errors.map((e) => e.message).join('; ')}`
  return problemResponse(c, 400, isSpec ? 'invalid_spec' : 'invalid_request', detail, errors)
}

function issuesOf(err: FargatedError): ZodIssueLike[] | undefined {
  const issues = err.details?.issues
  return Array.isArray(issues) ? (issues as ZodIssueLike[]) : undefined
}

/** One JSON log line per server-side failure: request id, method and path, never headers. */
function logFailure(c: Context<AppEnv>, msg: string, error: unknown): void {
  console.error(JSON.stringify({ msg, requestId: c.get('requestId'), method: c.req.method, path: new URL(c.req.url).pathname, error }))
}

/**
 * The /v1 error handler: domain errors by ERROR_STATUS, HTTP exceptions (bad JSON, body
 * limit, media type) by their status, anything else a 500 with the request id, logged
 * without request headers.
 */
export const problemOnError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof FargatedError) {
    const status = ERROR_STATUS[err.code as ErrorCode] ?? 500
    if (status === 304) return c.body(null, 304)
    if (status >= 500) logFailure(c, 'runtime error', { code: err.code, message: err.message })
    const issues = issuesOf(err)
    return problemResponse(c, status, err.code, err.message, issues ? fieldErrors(issues, 'body') : undefined)
  }
  if (err instanceof HTTPException) {
    const status = err.status
    const code = HTTP_CODES[status] ?? (status >= 500 ? 'internal' : 'invalid_request')
    const detail = err.message || TITLES[code] || 'request failed'
    return problemResponse(c, status, code, detail)
  }
  const requestId = c.get('requestId')
  logFailure(c, 'unhandled error', err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err))
  return problemResponse(c, 500, 'internal', `internal error; quote request id ${requestId ?? '(none)'} when reporting it`)
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request: the problem lists each field to fix',
  401: 'Missing or invalid API key',
  403: 'The key lacks the scope this operation needs',
  404: 'No such resource in the caller\'s namespace',
  409: 'Conflict with the current state',
  413: 'Request body too large',
  415: 'Send Content-Type: application/json',
  429: 'The runtime throttled the request; retry with backoff',
  501: 'The runtime cannot do this',
  502: 'The runtime failed',
  503: 'No container engine is reachable',
}

type ProblemResponse = { description: string; content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } } }

/** OpenAPI `responses` entries for the given error statuses, all problem+json. */
export function problemResponses<const S extends readonly number[]>(...statuses: S): { [K in S[number]]: ProblemResponse } {
  const out: Record<number, ProblemResponse> = {}
  for (const s of statuses) out[s] = { description: STATUS_TEXT[s] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } } }
  return out as { [K in S[number]]: ProblemResponse }
}
