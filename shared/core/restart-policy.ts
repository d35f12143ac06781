import type { ContainerSpec } from './spec.js'
import type { StopCause } from './model.js'

export const RESTART_BASE_DELAY_S = 1
export const RESTART_MAX_DELAY_S = 300

export interface RestartInput {
  policy: ContainerSpec['restartPolicy']
  exitCode: number | null
  cause: StopCause
  /** Restarts already made since the last user start. */
  restartCount: number
  /** The user stopped it (docker stop/kill) or fargated's reaper did (idle, lifetime). */
  stoppedByUser: boolean
}

export type RestartDecision = { restart: false; why: string } | { restart: true; delaySeconds: number }

/** Docker's doubling backoff, capped: 1 s, 2 s, 4 s, … up to 5 min. */
export function backoffSeconds(restartCount: number): number {
  return Math.min(RESTART_MAX_DELAY_S, RESTART_BASE_DELAY_S * 2 ** Math.min(restartCount, 20))
}

/**
 * Docker's restart-policy rule as a pure function. A run stopped by the user or by a fargated
 * policy (idle, lifetime) is never restarted; a spot interruption always is (unless `no`).
 */
export function decideRestart(input: RestartInput): RestartDecision {
  const { policy, exitCode, cause, restartCount, stoppedByUser } = input
  if (policy.name === 'no') return { restart: false, why: 'restart policy is no' }
  if (stoppedByUser || cause === 'user') return { restart: false, why: 'stopped by the user' }
  if (cause === 'idle' || cause === 'lifetime' || cause === 'redeploy') {
    return { restart: false, why: `stopped by fargated (${cause})` }
  }
  if (policy.name === 'on-failure') {
    if (cause !== 'spot' && exitCode === 0) return { restart: false, why: 'exited with 0' }
    const max = policy.maximumRetryCount ?? 0
    if (max > 0 && restartCount >= max) return { restart: false, why: `reached the maximum of ${max} retries` }
  }
  return { restart: true, delaySeconds: backoffSeconds(restartCount) }
}
