import { createHash, randomBytes } from 'node:crypto'
import { ForbiddenError, InvalidRequestError, NotFoundError, UnauthorizedError } from './errors.js'
import type { ApiKey, Scope } from './model.js'
import type { Clock, Store } from './ports.js'

export const KEY_PREFIX = 'fgd_'
export const SCOPES: Scope[] = ['read', 'write', 'admin']
const NAMESPACE = /^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$|^[a-z0-9]$/

export function hashKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

/** Does a key's scopes allow `needed`? admin ⊃ write ⊃ read. */
export function allows(scopes: Scope[], needed: Scope): boolean {
  const rank = { read: 0, write: 1, admin: 2 }
  return scopes.some((s) => rank[s] >= rank[needed])
}

export function checkNamespace(namespace: string): string {
  if (!NAMESPACE.test(namespace)) {
    throw new InvalidRequestError(`invalid namespace "${namespace}": 1-32 lowercase letters, digits and -, not starting or ending with -`)
  }
  return namespace
}

/** How long a verified key is trusted without a store read (revocation reaches other processes within this). */
export const KEY_CACHE_SECONDS = 30

/** API keys: random, shown once, stored as SHA-256, one namespace each, scoped. */
export class KeyService {
  private readonly cache = new Map<string, { key: ApiKey; until: number }>()

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Creates a key; the returned `secret` is the only time it is visible. */
  async create(namespace: string, scopes: Scope[], description?: string): Promise<{ secret: string; key: ApiKey }> {
    checkNamespace(namespace)
    if (scopes.length === 0) throw new InvalidRequestError('a key needs at least one scope: read, write or admin')
    const secret = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`
    const key: ApiKey = {
      id: `key_${randomBytes(6).toString('hex')}`,
      namespace,
      hash: hashKey(secret),
      scopes: [...new Set(scopes)],
      description,
      createdAt: this.clock.now().toISOString(),
    }
    await this.store.putKey(key)
    return { secret, key }
  }

  /** Makes sure a given secret (bootstrap admin key) exists as an admin key of `namespace`. */
  async ensure(secret: string, namespace: string, description: string): Promise<ApiKey> {
    const hash = hashKey(secret)
    const existing = await this.store.getKeyByHash(hash)
    if (existing) return existing
    const key: ApiKey = {
      id: `key_${hash.slice(0, 12)}`,
      namespace,
      hash,
      scopes: ['admin'],
      description,
      root: true,
      createdAt: this.clock.now().toISOString(),
    }
    await this.store.putKey(key)
    return key
  }

  /** The key for a presented secret; UnauthorizedError when unknown. */
  async authenticate(secret: string | undefined): Promise<ApiKey> {
    if (!secret) throw new UnauthorizedError('missing API key: send "Authorization: Bearer <key>"')
    const hash = hashKey(secret)
    const now = this.clock.now().getTime()
    const cached = this.cache.get(hash)
    if (cached && cached.until > now) return cached.key
    // Looked up by the SHA-256 of the secret: timing reveals nothing about the secret itself.
    const key = await this.store.getKeyByHash(hash)
    if (!key) {
      this.cache.delete(hash)
      throw new UnauthorizedError('invalid API key: check the key in "Authorization: Bearer <key>"')
    }
    if (this.cache.size > 1000) this.cache.clear()
    this.cache.set(hash, { key, until: now + KEY_CACHE_SECONDS * 1000 })
    return key
  }

  authorize(key: ApiKey, needed: Scope): void {
    if (!allows(key.scopes, needed)) {
      throw new ForbiddenError(`this key has scopes [${key.scopes.join(', ')}]; the request needs "${needed}"`)
    }
  }

  list(namespace: string): Promise<ApiKey[]> {
    return this.store.listKeys(namespace)
  }

  async remove(namespace: string, id: string): Promise<void> {
    const keys = await this.store.listKeys(namespace)
    const key = keys.find((k) => k.id === id)
    if (!key) throw new NotFoundError(`No such key: ${id}`)
    await this.store.deleteKey(namespace, id)
    this.cache.delete(key.hash)
  }
}
