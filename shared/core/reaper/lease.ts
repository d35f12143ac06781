/**
 * One reaper tick at a time across every process: a lease record taken with a conditional put
 * (ifAbsent) that expires by itself if its holder dies. A second tick that finds it held does
 * nothing. Releasing checks the holder first; the read-then-delete leaves a tiny window in
 * which an expired lease, already re-taken by another tick, could be deleted — the work stays
 * safe anyway, since every write the tick makes is conditional.
 */
import { ConflictError } from '../errors.js'
import type { Clock, Store } from '../ports.js'

export const LEASE_KIND = 'lease'
export const LEASE_NAMESPACE = '_'
export const LEASE_ID = 'reaper'

export interface Lease {
  owner: string
  acquiredAt: string
  expiresAt: string
}

/** Takes the lease; false when another holder has it. */
export async function acquireLease(store: Pick<Store, 'putRecord'>, clock: Clock, owner: string, ttlSeconds: number): Promise<boolean> {
  const now = clock.now()
  const lease: Lease = { owner, acquiredAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString() }
  try {
    await store.putRecord(LEASE_KIND, LEASE_NAMESPACE, LEASE_ID, lease, { ifAbsent: true, ttlSeconds })
    return true
  } catch (err) {
    if (err instanceof ConflictError) return false
    throw err
  }
}

/** Gives the lease back if `owner` still holds it. */
export async function releaseLease(store: Pick<Store, 'getRecord' | 'deleteRecord'>, owner: string): Promise<void> {
  const lease = await store.getRecord<Lease>(LEASE_KIND, LEASE_NAMESPACE, LEASE_ID)
  if (lease?.owner === owner) await store.deleteRecord(LEASE_KIND, LEASE_NAMESPACE, LEASE_ID)
}

const STATE_KIND = 'reaper'
const SCAN_ID = 'orphan-scan'

/** When the last orphan scan ran (unix seconds), 0 if never. */
export async function lastOrphanScan(store: Pick<Store, 'getRecord'>): Promise<number> {
  const rec = await store.getRecord<{ at: number }>(STATE_KIND, LEASE_NAMESPACE, SCAN_ID)
  return rec?.at ?? 0
}

export async function recordOrphanScan(store: Pick<Store, 'putRecord'>, at: number): Promise<void> {
  await store.putRecord(STATE_KIND, LEASE_NAMESPACE, SCAN_ID, { at })
}
