/**
 * One rollout per container: the rollout record is a lease taken with a conditional put and an
 * expiry (a dead holder's lease lapses). A push that finds the lease held leaves its target as
 * the container's `next` rollout (the newest wins), which the holder starts when it finishes.
 * Ordering makes the hand-over safe: a waiter writes `next` before retrying the lease, and a
 * holder releases the lease before reading `next`, so one of the two always sees it.
 */
import { ConflictError } from '../errors.js'
import type { Store } from '../ports.js'
import { ROLLOUT_KIND, ROLLOUT_NAMESPACE, ROLLOUT_NEXT_KIND, rolloutId, type RolloutRecord, type RolloutTarget } from './rollout-types.js'

/** Extra lease life beyond the rollout timeout, so a slow holder keeps it. */
const LEASE_MARGIN_S = 900

export function leaseTtl(timeoutSeconds: number): number {
  return timeoutSeconds + LEASE_MARGIN_S
}

export async function takeLease(store: Store, record: RolloutRecord, timeoutSeconds: number): Promise<boolean> {
  try {
    await store.putRecord(ROLLOUT_KIND, ROLLOUT_NAMESPACE, rolloutId(record.namespace, record.containerId), record, { ifAbsent: true, ttlSeconds: leaseTtl(timeoutSeconds) })
    return true
  } catch (err) {
    if (err instanceof ConflictError) return false
    throw err
  }
}

/** Rewrites the held lease (progress: the new run's number and reference). */
export async function saveLease(store: Store, record: RolloutRecord, timeoutSeconds: number): Promise<void> {
  await store.putRecord(ROLLOUT_KIND, ROLLOUT_NAMESPACE, rolloutId(record.namespace, record.containerId), record, { ttlSeconds: leaseTtl(timeoutSeconds) })
}

export async function releaseLease(store: Store, namespace: string, containerId: string): Promise<void> {
  await store.deleteRecord(ROLLOUT_KIND, ROLLOUT_NAMESPACE, rolloutId(namespace, containerId))
}

export function readLease(store: Store, namespace: string, containerId: string): Promise<RolloutRecord | undefined> {
  return store.getRecord<RolloutRecord>(ROLLOUT_KIND, ROLLOUT_NAMESPACE, rolloutId(namespace, containerId))
}

export function listLeases(store: Store): Promise<RolloutRecord[]> {
  return store.listRecords<RolloutRecord>(ROLLOUT_KIND, ROLLOUT_NAMESPACE)
}

interface NextRecord {
  namespace: string
  containerId: string
  target: RolloutTarget
}

export async function putNext(store: Store, namespace: string, containerId: string, target: RolloutTarget, timeoutSeconds: number): Promise<void> {
  const next: NextRecord = { namespace, containerId, target }
  await store.putRecord(ROLLOUT_NEXT_KIND, ROLLOUT_NAMESPACE, rolloutId(namespace, containerId), next, { ttlSeconds: leaseTtl(timeoutSeconds) })
}

/** Takes the queued target, if any (read then delete). */
export async function takeNext(store: Store, namespace: string, containerId: string): Promise<RolloutTarget | undefined> {
  const id = rolloutId(namespace, containerId)
  const next = await store.getRecord<NextRecord>(ROLLOUT_NEXT_KIND, ROLLOUT_NAMESPACE, id)
  if (!next) return undefined
  await store.deleteRecord(ROLLOUT_NEXT_KIND, ROLLOUT_NAMESPACE, id)
  return next.target
}
