import { ConflictError } from '../errors.js'
import { recordContainerEvent } from '../event-log.js'
import type { Container } from '../model.js'
import type { RolloutDeps, RolloutRecord } from './rollout-types.js'

/**
 * Records the `rollout` container event (`/v1/events`, `docker events`) with its outcome, once
 * per rollout: the background drive, run events and the reaper may all reach the end, so the
 * end is claimed with a put-if-absent record first.
 */
export async function recordRollout(deps: RolloutDeps, c: Container, record: RolloutRecord, outcome: 'succeeded' | 'failed', reason?: string): Promise<void> {
  try {
    await deps.store.putRecord('rollout-end', c.namespace, `${c.id}:${record.newRunNumber}`, { outcome }, { ifAbsent: true, ttlSeconds: 7 * 24 * 3600 })
  } catch (err) {
    if (err instanceof ConflictError) return
    throw err
  }
  await recordContainerEvent(deps.store, deps.clock, c, 'rollout', {
    outcome,
    reason,
    cause: record.target.cause,
    tag: record.target.tag,
    digest: record.digest ?? record.target.digest,
    fromRun: String(record.oldRunNumber),
    toRun: String(record.newRunNumber),
  })
}
