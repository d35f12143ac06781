/**
 * Hook management for /v1/hooks: create (the secret is returned once), list, get, delete,
 * rotate, and the delivery log. Everything is scoped to the caller's namespace: another
 * namespace's hook id answers NotFound. A global index maps a hook id to its namespace for
 * the receiver, which has no API key.
 */
import { createHash, randomBytes } from 'node:crypto'
import { ConflictError, InvalidRequestError, NotFoundError } from '../errors.js'
import type { Clock, Store } from '../ports.js'
import { parseSpec, parseWith } from '../spec.js'
import {
  CreateHookSchema, DELIVERY_KIND, HOOK_INDEX_KIND, HOOK_KIND, MAX_HOOKS_PER_NAMESPACE, ROTATION_GRACE_S,
  type DeliveryRecord, type Hook,
} from './hook-model.js'
import { newSecret, storedSecret } from './hook-secrets.js'

const HOOK_ID = /^hk_[0-9a-f]{32}$/

export interface CreatedHook {
  hook: Hook
  /** The secret (GitHub, GitLab, Standard Webhooks) or URL token (Docker Hub): shown once. */
  secret: string
}

/** The partition of a hook's deliveries. */
export function deliveryPartition(namespace: string, hookId: string): string {
  return `${namespace}/${hookId}`
}

/** A delivery's record id: delivery ids are sender-chosen text, so they are hashed. */
export function deliveryRecordId(deliveryId: string): string {
  return createHash('sha256').update(deliveryId).digest('hex').slice(0, 40)
}

export class HookService {
  constructor(private readonly store: Store, private readonly clock: Clock) {}

  async create(namespace: string, input: unknown): Promise<CreatedHook> {
    const body = parseWith(CreateHookSchema, input, 'hook')
    if (body.action.type === 'run') parseSpec(body.action.spec)
    if ((await this.store.listRecords<Hook>(HOOK_KIND, namespace)).length >= MAX_HOOKS_PER_NAMESPACE) {
      throw new ConflictError(`namespace ${namespace} has ${MAX_HOOKS_PER_NAMESPACE} hooks, the most it may have; delete one first`)
    }
    const secret = newSecret(body.kind)
    const hook: Hook = {
      id: `hk_${randomBytes(16).toString('hex')}`,
      namespace,
      kind: body.kind,
      action: body.action,
      filters: body.filters ?? {},
      ...(body.description ? { description: body.description } : {}),
      ...storedSecret(body.kind, secret),
      createdAt: this.clock.now().toISOString(),
    }
    await this.store.putRecord(HOOK_INDEX_KIND, '_', hook.id, { namespace }, { ifAbsent: true })
    await this.store.putRecord(HOOK_KIND, namespace, hook.id, hook, { ifAbsent: true })
    return { hook, secret }
  }

  async list(namespace: string): Promise<Hook[]> {
    return this.store.listRecords<Hook>(HOOK_KIND, namespace)
  }

  async get(namespace: string, id: string): Promise<Hook> {
    const hook = HOOK_ID.test(id) ? await this.store.getRecord<Hook>(HOOK_KIND, namespace, id) : undefined
    if (!hook) throw new NotFoundError(`No such hook: ${id}`)
    return hook
  }

  /** The hook a delivery is addressed to, in whatever namespace (receiver only). */
  async lookup(id: string): Promise<Hook> {
    if (!HOOK_ID.test(id)) throw new NotFoundError(`No such hook: ${id.slice(0, 40)}`)
    const index = await this.store.getRecord<{ namespace: string }>(HOOK_INDEX_KIND, '_', id)
    const hook = index && (await this.store.getRecord<Hook>(HOOK_KIND, index.namespace, id))
    if (!hook) throw new NotFoundError(`No such hook: ${id}`)
    return hook
  }

  async remove(namespace: string, id: string): Promise<void> {
    await this.get(namespace, id)
    await this.store.deleteRecord(HOOK_KIND, namespace, id)
    await this.store.deleteRecord(HOOK_INDEX_KIND, '_', id)
  }

  /** A new secret; the previous one keeps verifying for ROTATION_GRACE_S so senders can be updated. */
  async rotate(namespace: string, id: string, options: { immediate?: boolean } = {}): Promise<CreatedHook> {
    const hook = await this.get(namespace, id)
    const secret = newSecret(hook.kind)
    const now = this.clock.now()
    const until = new Date(now.getTime() + ROTATION_GRACE_S * 1000).toISOString()
    const next: Hook = {
      ...hook,
      secret: undefined,
      secretHash: undefined,
      ...storedSecret(hook.kind, secret),
      previous: options.immediate ? undefined : { secret: hook.secret, secretHash: hook.secretHash, until },
      rotatedAt: now.toISOString(),
    }
    for (const k of Object.keys(next) as (keyof Hook)[]) if (next[k] === undefined) delete next[k]
    await this.store.putRecord(HOOK_KIND, namespace, id, next)
    return { hook: next, secret }
  }

  /** The hook's recent deliveries, newest first. */
  async deliveries(namespace: string, id: string, limit = 100): Promise<DeliveryRecord[]> {
    if (limit < 1 || limit > 1000) throw new InvalidRequestError('limit is 1 to 1000')
    await this.get(namespace, id)
    const all = await this.store.listRecords<DeliveryRecord>(DELIVERY_KIND, deliveryPartition(namespace, id))
    return all.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)).slice(0, limit)
  }
}
