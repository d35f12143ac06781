import { describe, expect, it } from 'vitest'
import { backoffSeconds, decideRestart, RESTART_MAX_DELAY_S } from '../../shared/core/restart-policy.js'

const base = { exitCode: 1, cause: 'exited' as const, restartCount: 0, stoppedByUser: false }

describe('restart policy', () => {
  it('no never restarts', () => {
    expect(decideRestart({ ...base, policy: { name: 'no' } }).restart).toBe(false)
  })
  it('on-failure restarts non-zero exits up to N times', () => {
    const policy = { name: 'on-failure' as const, maximumRetryCount: 2 }
    expect(decideRestart({ ...base, policy })).toEqual({ restart: true, delaySeconds: 1 })
    expect(decideRestart({ ...base, policy, restartCount: 1 })).toEqual({ restart: true, delaySeconds: 2 })
    expect(decideRestart({ ...base, policy, restartCount: 2 }).restart).toBe(false)
    expect(decideRestart({ ...base, policy, exitCode: 0 }).restart).toBe(false)
  })
  it('on-failure without N retries without limit', () => {
    expect(decideRestart({ ...base, policy: { name: 'on-failure' }, restartCount: 50 }).restart).toBe(true)
  })
  it('always and unless-stopped restart clean exits, not user stops', () => {
    for (const name of ['always', 'unless-stopped'] as const) {
      expect(decideRestart({ ...base, exitCode: 0, policy: { name } }).restart).toBe(true)
      expect(decideRestart({ ...base, policy: { name }, stoppedByUser: true }).restart).toBe(false)
    }
  })
  it('never restarts what fargated stopped on purpose', () => {
    for (const cause of ['idle', 'lifetime', 'redeploy'] as const) {
      expect(decideRestart({ ...base, cause, policy: { name: 'always' } }).restart).toBe(false)
    }
  })
  it('restarts a spot interruption even with exit 0 under on-failure', () => {
    expect(decideRestart({ ...base, exitCode: 0, cause: 'spot', policy: { name: 'on-failure' } }).restart).toBe(true)
  })
  it('doubles the backoff and caps it', () => {
    expect([0, 1, 2, 3].map(backoffSeconds)).toEqual([1, 2, 4, 8])
    expect(backoffSeconds(30)).toBe(RESTART_MAX_DELAY_S)
    expect(backoffSeconds(1000)).toBe(RESTART_MAX_DELAY_S)
  })
})
