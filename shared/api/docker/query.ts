import { InvalidRequestError } from '../../core/errors.js'

/** Docker's boolean query values: `1`, `true`, `True` are true; absent, `0`, `false` are false. */
export function queryBool(value: string | undefined): boolean {
  if (value === undefined) return false
  const v = value.trim().toLowerCase()
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no'
}

/** An integer query value; absent → undefined, garbage → 400 naming the parameter. */
export function queryInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  if (!/^-?\d+$/.test(value.trim())) throw new InvalidRequestError(`invalid value for ${name}: "${value}" is not an integer`)
  return Number(value)
}

/**
 * A point in time sent as `since`/`until`: unix seconds, possibly fractional
 * (`1767225600.000000000`), or an RFC 3339 date. Returns unix seconds.
 */
export function queryTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const v = value.trim()
  if (/^-?\d+(\.\d+)?$/.test(v)) {
    const seconds = Number(v)
    // Beyond year 9999 (and negative times) no event can match; refuse rather than overflow.
    if (!(Math.abs(seconds) <= 253402300799)) throw new InvalidRequestError(`invalid value for ${name}: "${value}" is out of range (unix seconds up to 253402300799)`)
    return seconds
  }
  const ms = Date.parse(v)
  if (Number.isNaN(ms)) throw new InvalidRequestError(`invalid value for ${name}: "${value}" is neither unix seconds nor an RFC 3339 time`)
  return ms / 1000
}

/** Unix seconds (maybe fractional) as a nanosecond decimal string, exactly. */
export function secondsToNano(seconds: number): string {
  if (!(seconds > 0)) return '0'
  const [whole, frac = ''] = seconds.toFixed(9).split('.')
  return (BigInt(whole) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'))).toString()
}

/**
 * Docker's `filters` parameter: JSON `{"key":{"value":true}}` (current) or
 * `{"key":["value"]}` (legacy). Returns key → values.
 */
export function parseFilters(raw: string | undefined): Record<string, string[]> {
  if (raw === undefined || raw.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw new InvalidRequestError(`invalid filters: ${raw.slice(0, 200)} is not JSON`)
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRequestError('invalid filters: expected a JSON object such as {"label":{"app=web":true}}')
  }
  const out: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = value as string[]
    else if (value && typeof value === 'object') out[key] = Object.entries(value).filter(([, on]) => on === true).map(([v]) => v)
    else throw new InvalidRequestError(`invalid filter "${key}": expected {"value":true} or a list of values`)
  }
  return out
}

/** Rejects filter keys a route does not know, as Docker does (`invalid filter 'x'`). */
export function checkFilterKeys(filters: Record<string, string[]>, allowed: readonly string[]): void {
  for (const key of Object.keys(filters)) {
    if (!allowed.includes(key)) throw new InvalidRequestError(`invalid filter '${key}': use one of ${allowed.join(', ')}`)
  }
}
