import type { ContainerState, DockerStatus, RunObservation, StopCause, TaskStatus } from './model.js'

/** All ECS lastStatus values, in lifecycle order. */
export const TASK_STATUSES: readonly TaskStatus[] = [
  'PROVISIONING', 'PENDING', 'ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED',
]

/** ECS lastStatus → Docker status and `ps` detail text (DESIGN §3). */
export const STATE_TABLE: Readonly<Record<TaskStatus, { status: DockerStatus; detail?: string }>> = {
  PROVISIONING: { status: 'running', detail: 'Starting (PROVISIONING)' },
  PENDING: { status: 'running', detail: 'Starting (PENDING)' },
  ACTIVATING: { status: 'running', detail: 'Starting (ACTIVATING)' },
  RUNNING: { status: 'running' },
  DEACTIVATING: { status: 'running', detail: 'Stopping' },
  STOPPING: { status: 'running', detail: 'Stopping' },
  DEPROVISIONING: { status: 'running', detail: 'Stopping' },
  STOPPED: { status: 'exited' },
}

/** Lifecycle rank: a run never moves backwards (RUNNING then PENDING is ignored). */
export function statusRank(s: TaskStatus): number {
  return TASK_STATUSES.indexOf(s)
}

/** Spot reclaim stop codes (aws-facts §1.5). */
export function isSpotStop(stopCode?: string): boolean {
  return stopCode === 'SpotInterruption' || stopCode === 'TerminationNotice'
}

/** Did the task fail before its container ran (image pull, capacity, bad config)? */
export function isFailedToStart(obs: Pick<RunObservation, 'stopCode' | 'startedAt' | 'exitCode'>): boolean {
  return obs.stopCode === 'TaskFailedToStart' || (!obs.startedAt && (obs.exitCode === undefined || obs.exitCode === null))
}

/**
 * The Docker state a run observation implies. Pure: `previous` supplies times the
 * observation lacks. A STOPPED task that never started is `dead`; an exit code is kept, with
 * 137 for a task killed without one.
 */
export function toContainerState(
  obs: RunObservation,
  previous: ContainerState | undefined,
  cause?: StopCause,
): ContainerState {
  const row = STATE_TABLE[obs.lastStatus]
  const startedAt = obs.startedAt ?? previous?.startedAt
  if (obs.lastStatus !== 'STOPPED') {
    return {
      status: row.status,
      detail: row.detail,
      running: true,
      exitCode: null,
      startedAt,
      oomKilled: false,
    }
  }
  const failed = isFailedToStart({ stopCode: obs.stopCode, startedAt: obs.startedAt, exitCode: obs.exitCode })
  const exitCode = obs.exitCode ?? (failed ? 128 : 137)
  return {
    status: failed ? 'dead' : 'exited',
    running: false,
    exitCode,
    startedAt,
    finishedAt: obs.stoppedAt ?? new Date().toISOString(),
    oomKilled: obs.oomKilled ?? false,
    stopCause: cause ?? (obs.oomKilled ? 'oom' : isSpotStop(obs.stopCode) ? 'spot' : failed ? 'failed-to-start' : 'exited'),
    stopReason: obs.stoppedReason,
    error: failed ? (obs.stoppedReason ?? 'task failed to start') : undefined,
  }
}
