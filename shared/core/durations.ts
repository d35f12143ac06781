import { InvalidSpecError } from './errors.js'

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)/

/**
 * Parses a Go/Docker-style duration (`90s`, `15m`, `1h30m`, `2d`) or a bare number of seconds
 * into seconds. `field` names the setting in the error message.
 */
export function parseDuration(value: string | number, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new InvalidSpecError(`${field} must be a duration ≥ 0 (got ${value})`)
    return value
  }
  let rest = value.trim()
  if (/^\d+(\.\d+)?$/.test(rest)) return Number(rest)
  let total = 0
  if (rest === '') throw new InvalidSpecError(`${field} must be a duration such as 90s, 15m or 1h30m (got "${value}")`)
  while (rest) {
    const m = DURATION.exec(rest)
    if (!m) throw new InvalidSpecError(`${field} must be a duration such as 90s, 15m or 1h30m (got "${value}")`)
    total += Number(m[1]) * UNITS[m[2]]
    rest = rest.slice(m[0].length)
  }
  return total
}

/** Formats seconds as a short duration (`1h30m`, `45s`). */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)}s`
  const parts: string[] = []
  let s = Math.round(seconds)
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`)
      s %= size
    }
  }
  return parts.join('')
}

/** Parses a byte size (`512`, `1kb`, `10MB`, `256m`) into bytes; units are binary (k = 1024). */
export function parseBytes(value: string | number, field: string): number {
  if (typeof value === 'number') return value
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(value.trim())
  if (!m) throw new InvalidSpecError(`${field} must be a size such as 512, 64k, 256m or 1g (got "${value}")`)
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase()] ?? 1
  return Math.round(Number(m[1]) * mult)
}
