import { recordContainerEvent } from '../event-log.js'
import type { Container } from '../model.js'
import type { RolloutDeps, RolloutRecord } from './rollout-types.js'

/** Records the `rollout` container event (`/v1/events`, `docker events`) with its outcome. */
export async function recordRollout(deps: RolloutDeps, c: Container, record: RolloutRecord, outcome: 'succeeded' | 'failed', reason?: string): Promise<void> {
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
