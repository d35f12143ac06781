import { InvalidSpecError } from '../../core/errors.js'

/** A JSON object from a request body. */
export type Obj = Record<string, unknown>

function wrongType(path: string, want: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
  throw new InvalidSpecError(`${path} must be ${want} (got ${got})`)
}

/** An optional object field (`null` counts as absent). */
export function readObject(o: Obj, key: string, path: string): Obj | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) wrongType(`${path}${key}`, 'an object', v)
  return v as Obj
}

export function readString(o: Obj, key: string, path: string): string | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') wrongType(`${path}${key}`, 'a string', v)
  return v
}

export function readBool(o: Obj, key: string, path: string): boolean | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') wrongType(`${path}${key}`, 'true or false', v)
  return v
}

export function readNumber(o: Obj, key: string, path: string): number | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) wrongType(`${path}${key}`, 'a number', v)
  return v
}

export function readStringArray(o: Obj, key: string, path: string): string[] | undefined {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) wrongType(`${path}${key}`, 'a list of strings', v)
  return v as string[]
}

export function readStringRecord(o: Obj, key: string, path: string): Record<string, string> | undefined {
  const v = readObject(o, key, path)
  if (!v) return undefined
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') wrongType(`${path}${key}.${k}`, 'a string', x)
  return v as Record<string, string>
}

/** Docker's zero values: what the CLI sends for an option the user did not set. */
export function isUnset(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true
  if (Array.isArray(v)) return v.length === 0 || v.every(isUnset)
  if (typeof v === 'object') return Object.keys(v as Obj).length === 0
  return false
}
