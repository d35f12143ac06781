/**
 * Zod pieces for /v1 path and query parameters: each one says in its message what to send
 * instead, and documents itself in the OpenAPI document.
 */
import { z } from '@hono/zod-openapi'
import { parseDuration } from '../../core/durations.js'

/** A container id, unique id prefix or name (Docker's name rule, optional leading `/`). */
export const CONTAINER_REF = /^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/

export const ContainerParamsSchema = z.object({
  id: z
    .string()
    .regex(CONTAINER_REF, 'use a container id, a unique id prefix or a name (letters, digits, _ . -)')
    .openapi({ param: { name: 'id', in: 'path' }, description: 'Container id, unique id prefix or name', example: 'web' }),
})

/** `true`/`false`/`1`/`0`. */
export function queryBool(description: string) {
  return z
    .enum(['true', 'false', '1', '0'], { error: 'use true or false' })
    .openapi({ description })
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'))
}

/** A whole number in [min, max]. */
export function queryInt(description: string, min: number, max: number) {
  return z
    .string()
    .regex(/^\d+$/, `use a whole number from ${min} to ${max}`)
    .openapi({ description, example: String(min) })
    .transform(Number)
    .pipe(z.number().min(min, `use a whole number from ${min} to ${max}`).max(max, `use a whole number from ${min} to ${max}`))
    .optional()
}

/** A parameter that may be repeated (`?label=a&label=b`); always an array after validation. */
export function queryList(description: string) {
  return z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string().min(1, 'must not be empty')))
    .openapi({ description })
    .optional()
}

const UNIX_SECONDS = /^(\d{1,12})(?:\.(\d{1,9}))?$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/

/**
 * A point in time as nanoseconds since the epoch: unix seconds (`1735689600`, `1735689600.5`),
 * RFC 3339 (`2025-01-01T00:00:00Z`) or a duration before now (`10m`, `1h30m`), as Docker accepts.
 */
export function parseTimeNanos(value: string, now: number = Date.now()): bigint {
  const unix = UNIX_SECONDS.exec(value)
  if (unix) return BigInt(unix[1]) * 1_000_000_000n + BigInt((unix[2] ?? '').padEnd(9, '0'))
  if (RFC3339.test(value)) {
    const ms = Date.parse(value.replace(' ', 'T'))
    if (!Number.isNaN(ms)) return BigInt(ms) * 1_000_000n
  }
  const seconds = parseDuration(value, 'time')
  return BigInt(now) * 1_000_000n - BigInt(Math.round(seconds * 1e9))
}

/** A query time (see parseTimeNanos), validated to nanoseconds since the epoch. */
export function queryTime(description: string) {
  return z
    .string()
    .openapi({ description: `${description}: unix seconds, RFC 3339, or a duration before now (10m)`, example: '2025-01-01T00:00:00Z' })
    .transform((v, ctx) => {
      try {
        return parseTimeNanos(v)
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a time: use unix seconds (1735689600), RFC 3339 (2025-01-01T00:00:00Z) or a duration such as 10m` })
        return z.NEVER
      }
    })
    .optional()
}

/** Nanoseconds → unix seconds (fractional). */
export function nanosToSeconds(nanos: bigint): number {
  return Number(nanos / 1000n) / 1e6
}
