import { randomBytes } from 'node:crypto'

const FULL_ID = /^[0-9a-f]{64}$/

/** A Docker-style container id: 64 lowercase hex characters. */
export function newContainerId(): string {
  return randomBytes(32).toString('hex')
}

/** Docker's short id: the first 12 characters. */
export function shortId(id: string): string {
  return id.slice(0, 12)
}

export function isFullId(value: string): boolean {
  return FULL_ID.test(value)
}

/** Could `value` be an id prefix (Docker accepts any non-empty hex prefix)? */
export function isIdPrefix(value: string): boolean {
  return /^[0-9a-f]{1,64}$/.test(value)
}
