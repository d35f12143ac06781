import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Hook, HookKind, PreviousSecret } from './hook-model.js'

/** Kinds whose sender signs with an HMAC of the secret (so the secret itself is kept). */
export function isHmacKind(kind: HookKind): boolean {
  return kind === 'github' || kind === 'standard'
}

/** A new secret in the sender's format: Standard Webhooks wants `whsec_<base64>`. */
export function newSecret(kind: HookKind): string {
  const bytes = randomBytes(32)
  return kind === 'standard' ? `whsec_${bytes.toString('base64')}` : bytes.toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** The stored form of a secret: itself for HMAC kinds, its hash for token kinds. */
export function storedSecret(kind: HookKind, secret: string): Pick<Hook, 'secret' | 'secretHash'> {
  return isHmacKind(kind) ? { secret } : { secretHash: hashToken(secret) }
}

/** Constant-time check of a presented token against the hook's token hash (and a previous one still in grace). */
export function tokenMatches(hook: Pick<Hook, 'secretHash' | 'previous'>, presented: string | undefined, now: Date): boolean {
  if (!presented) return false
  const got = Buffer.from(hashToken(presented), 'hex')
  const candidates = [hook.secretHash, usable(hook.previous, now)?.secretHash].filter((h): h is string => !!h)
  let ok = false
  for (const h of candidates) ok = timingSafeEqual(got, Buffer.from(h, 'hex')) || ok
  return ok
}

/** HMAC secrets to try: the current one, then a previous one still in its grace period. */
export function hmacSecrets(hook: Pick<Hook, 'secret' | 'previous'>, now: Date): string[] {
  return [hook.secret, usable(hook.previous, now)?.secret].filter((s): s is string => !!s)
}

function usable(previous: PreviousSecret | undefined, now: Date): PreviousSecret | undefined {
  return previous && Date.parse(previous.until) > now.getTime() ? previous : undefined
}
