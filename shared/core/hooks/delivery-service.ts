/**
 * The receiver's rules: find the hook, authenticate the delivery with its sender's scheme,
 * refuse replays, interpret the event, apply the filters and act. Nothing happens (no record,
 * no container) before the signature is checked. A delivery is recorded once: a repeat of a
 * delivery that succeeded or was ignored is a ConflictError (409); a repeat of one that failed
 * (runtime error, throttling) is processed again, and since its container's idempotency key
 * (hence RunTask clientToken) comes from the delivery id, it never starts a second task.
 */
import type { ContainerService } from '../container-service.js'
import { ConflictError, FargatedError } from '../errors.js'
import type { Clock, Store } from '../ports.js'
import type { RolloutService } from '../rollout/rollout-service.js'
import { dockerhubScheme } from './dockerhub-webhook.js'
import { githubScheme } from './github-webhook.js'
import { gitlabScheme } from './gitlab-webhook.js'
import { standardScheme } from './standard-webhook.js'
import { actOn } from './hook-actions.js'
import type { HookScheme, IncomingDelivery, VerifiedDelivery } from './delivery-types.js'
import { filterMismatch } from './hook-filters.js'
import { DELIVERY_KIND, DELIVERY_TTL_S, type DeliveryRecord, type Hook, type HookKind } from './hook-model.js'
import { deliveryPartition, deliveryRecordId, type HookService } from './hook-service.js'
import { bodyHash } from './parse-body.js'

export const SCHEMES: Record<HookKind, HookScheme> = {
  github: githubScheme,
  gitlab: gitlabScheme,
  standard: standardScheme,
  dockerhub: dockerhubScheme,
}

const BODY_KIND = 'hook-body'
/** A delivery still `processing` after this long was abandoned by a process that died. */
const STUCK_AFTER_S = 300

export interface DeliveryDeps {
  store: Store
  clock: Clock
  hooks: HookService
  containers: ContainerService
  rollouts: RolloutService
}

export class DeliveryService {
  constructor(private readonly deps: DeliveryDeps) {}

  async receive(hookId: string, incoming: IncomingDelivery): Promise<DeliveryRecord> {
    const { clock } = this.deps
    const hook = await this.deps.hooks.lookup(hookId)
    const verified = await SCHEMES[hook.kind].verify(hook, incoming, clock.now())
    const record: DeliveryRecord = {
      hookId: hook.id,
      deliveryId: verified.deliveryId.slice(0, 200),
      event: verified.event.slice(0, 100),
      receivedAt: clock.now().toISOString(),
      status: 'processing',
      outcome: 'processing',
    }
    await this.claim(hook, verified, incoming.body, record)
    try {
      const done = await this.process(hook, verified, record)
      await this.save(hook, done)
      return done
    } catch (err) {
      const failed: DeliveryRecord = { ...record, status: 'failed', outcome: `failed: ${err instanceof Error ? err.message : String(err)}` }
      await this.save(hook, failed).catch(() => undefined)
      throw err
    }
  }

  private async process(hook: Hook, verified: VerifiedDelivery, record: DeliveryRecord): Promise<DeliveryRecord> {
    const meaning = SCHEMES[hook.kind].interpret(verified)
    if (meaning.kind === 'ping') return { ...record, status: 'succeeded', outcome: 'pong' }
    if (meaning.kind === 'ignored') return { ...record, status: 'ignored', outcome: `ignored: ${meaning.reason}` }
    const mismatch = filterMismatch(hook.filters, meaning.trigger)
    if (mismatch) return { ...record, status: 'ignored', outcome: `ignored: ${mismatch}` }
    const acted = await actOn(this.deps, hook, verified.deliveryId, meaning.trigger)
    return { ...record, status: 'succeeded', outcome: acted.outcome, containers: acted.containers }
  }

  /**
   * Claims the delivery id (and, when the id is not signed, the body) so a replay does nothing.
   * A previous attempt that failed may be retried.
   */
  private async claim(hook: Hook, verified: VerifiedDelivery, body: string, record: DeliveryRecord): Promise<void> {
    const { store } = this.deps
    const partition = deliveryPartition(hook.namespace, hook.id)
    const id = deliveryRecordId(verified.deliveryId)
    const existing = await store.getRecord<DeliveryRecord>(DELIVERY_KIND, partition, id)
    if (existing && !retryable(existing, this.deps.clock.now())) throw replay(verified.deliveryId, existing)
    if (!existing && !verified.idSigned) {
      try {
        await store.putRecord(BODY_KIND, partition, bodyHash(body), { deliveryId: verified.deliveryId }, { ifAbsent: true, ttlSeconds: DELIVERY_TTL_S })
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err
        const first = await store.getRecord<{ deliveryId: string }>(BODY_KIND, partition, bodyHash(body))
        if (first?.deliveryId !== verified.deliveryId) throw new ConflictError(`this payload was already delivered (delivery ${first?.deliveryId ?? '?'}); a replay does nothing`)
      }
    }
    try {
      await store.putRecord(DELIVERY_KIND, partition, id, record, { ifAbsent: !existing, ttlSeconds: DELIVERY_TTL_S })
    } catch (err) {
      if (err instanceof ConflictError) throw replay(verified.deliveryId)
      throw err
    }
  }

  private async save(hook: Hook, record: DeliveryRecord): Promise<void> {
    await this.deps.store.putRecord(DELIVERY_KIND, deliveryPartition(hook.namespace, hook.id), deliveryRecordId(record.deliveryId), record, { ttlSeconds: DELIVERY_TTL_S })
  }
}

/** A failed attempt, or one that has been processing too long (its process died), may run again. */
function retryable(existing: DeliveryRecord, now: Date): boolean {
  if (existing.status === 'failed') return true
  return existing.status === 'processing' && now.getTime() - Date.parse(existing.receivedAt) > STUCK_AFTER_S * 1000
}

function replay(deliveryId: string, existing?: DeliveryRecord): FargatedError {
  return new ConflictError(`delivery ${deliveryId} was already received${existing ? ` (${existing.status})` : ''}; a replay does nothing`)
}
