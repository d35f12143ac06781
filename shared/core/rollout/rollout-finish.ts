import { releaseLease, takeNext } from './rollout-lease.js'
import { beginRollout } from './rollout-start.js'
import type { RolloutDeps, RolloutRecord } from './rollout-types.js'

/**
 * Ends the container's rollout: releases the lease, then starts the rollout queued behind it
 * (if any, and if it still applies). Returns that rollout when one started.
 */
export async function finishLease(deps: RolloutDeps, namespace: string, containerId: string): Promise<RolloutRecord | undefined> {
  await releaseLease(deps.store, namespace, containerId)
  const next = await takeNext(deps.store, namespace, containerId)
  if (!next) return undefined
  const c = await deps.store.getContainer(namespace, containerId)
  if (!c) return undefined
  const begun = await beginRollout(deps, c, next)
  return begun.record
}
