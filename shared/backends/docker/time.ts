/** Docker's zero time (`0001-01-01T00:00:00Z`): a time the engine has not set. */
export function isZeroTime(iso: string | undefined): boolean {
  return !iso || iso.startsWith('0001-01-01')
}

/**
 * Microseconds since the epoch of an RFC 3339 time with up to nanosecond precision
 * (`2026-11-29T15:40:01.590881316Z`). Exact to the microsecond, unlike Date.parse.
 */
export function isoToMicros(iso: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso)
  if (!m) return Date.parse(iso) * 1000
  const seconds = Date.parse(`${m[1]}${m[3]}`)
  const fraction = (m[2] ?? '').padEnd(6, '0').slice(0, 6)
  return seconds * 1000 + Number(fraction)
}

/** ISO time with nanoseconds from an engine `timeNano` (nanoseconds since the epoch). */
export function nanosToIso(timeNano: bigint): string {
  const seconds = timeNano / 1_000_000_000n
  const nanos = timeNano % 1_000_000_000n
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19)
  return `${base}.${nanos.toString().padStart(9, '0')}Z`
}

/** Unix seconds (fractional) as the engine's `seconds.nanoseconds` query form. */
export function unixQuery(seconds: number): string {
  const whole = Math.floor(seconds)
  const nanos = Math.round((seconds - whole) * 1e9)
  return nanos >= 1e9 ? `${whole + 1}.000000000` : `${whole}.${String(nanos).padStart(9, '0')}`
}
