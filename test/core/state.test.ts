import { describe, expect, it } from 'vitest'
import type { TaskStatus } from '../../shared/core/model.js'
import { STATE_TABLE, TASK_STATUSES, statusRank, toContainerState } from '../../shared/core/state.js'

const expected: Record<TaskStatus, [string, string | undefined]> = {
  PROVISIONING: ['running', 'Starting (PROVISIONING)'],
  PENDING: ['running', 'Starting (PENDING)'],
  ACTIVATING: ['running', 'Starting (ACTIVATING)'],
  RUNNING: ['running', undefined],
  DEACTIVATING: ['running', 'Stopping'],
  STOPPING: ['running', 'Stopping'],
  DEPROVISIONING: ['running', 'Stopping'],
  STOPPED: ['exited', undefined],
}

describe('ECS lastStatus → Docker state', () => {
  it.each(TASK_STATUSES)('maps %s', (status) => {
    expect(STATE_TABLE[status].status).toBe(expected[status][0])
    const state = toContainerState({ ref: 't', lastStatus: status, version: 1, startedAt: '2026-01-01T00:00:00Z', exitCode: status === 'STOPPED' ? 3 : undefined }, undefined)
    expect(state.status).toBe(expected[status][0])
    expect(state.detail).toBe(expected[status][1])
    expect(state.running).toBe(status !== 'STOPPED')
  })

  it('orders the lifecycle so a run never moves back', () => {
    expect(TASK_STATUSES.map(statusRank)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('keeps the exit code of a stopped task', () => {
    const s = toContainerState({ ref: 't', lastStatus: 'STOPPED', version: 5, exitCode: 3, startedAt: 'x', stoppedAt: 'y' }, undefined)
    expect(s).toMatchObject({ status: 'exited', exitCode: 3, finishedAt: 'y', stopCause: 'exited' })
  })

  it('reports 137 for a task stopped without an exit code', () => {
    const s = toContainerState({ ref: 't', lastStatus: 'STOPPED', version: 5, startedAt: 'x', stopCode: 'UserInitiated' }, undefined, 'user')
    expect(s).toMatchObject({ status: 'exited', exitCode: 137, stopCause: 'user' })
  })

  it('marks a task that failed to start as dead with its reason', () => {
    const s = toContainerState({ ref: 't', lastStatus: 'STOPPED', version: 3, stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: not found' }, undefined)
    expect(s).toMatchObject({ status: 'dead', error: 'CannotPullContainerError: not found', stopCause: 'failed-to-start' })
  })

  it('names spot reclaims and OOM kills', () => {
    expect(toContainerState({ ref: 't', lastStatus: 'STOPPED', version: 9, startedAt: 'x', stopCode: 'SpotInterruption', exitCode: 143 }, undefined).stopCause).toBe('spot')
    expect(toContainerState({ ref: 't', lastStatus: 'STOPPED', version: 9, startedAt: 'x', stopCode: 'TerminationNotice' }, undefined).stopCause).toBe('spot')
    expect(toContainerState({ ref: 't', lastStatus: 'STOPPED', version: 9, startedAt: 'x', exitCode: 137, oomKilled: true }, undefined)).toMatchObject({ stopCause: 'oom', oomKilled: true })
  })
})
