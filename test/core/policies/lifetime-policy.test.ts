import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { evaluateLifetime } from '../../../shared/core/policies/lifetime-policy.js'

const T0 = 1_700_000_000

describe('evaluateLifetime', () => {
  it('expires exactly at startedAt + maxLifetime and reports the deadline', () => {
    expect(evaluateLifetime({ maxLifetime: 3600, startedAt: T0, now: T0 + 3599 })).toEqual({ expired: false, deadline: T0 + 3600, remaining: 1 })
    expect(evaluateLifetime({ maxLifetime: 3600, startedAt: T0, now: T0 + 3600 })).toEqual({ expired: true, deadline: T0 + 3600 })
  })

  it('never expires without a max lifetime', () => {
    expect(evaluateLifetime({ startedAt: T0, now: T0 + 10 * 365 * 86400 })).toEqual({ expired: false })
  })

  it('property: expired iff now − startedAt ≥ maxLifetime', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 * 86400 }), fc.integer({ min: 0, max: 60 * 86400 }), (maxLifetime, elapsed) => {
        const verdict = evaluateLifetime({ maxLifetime, startedAt: T0, now: T0 + elapsed })
        expect(verdict.expired).toBe(elapsed >= maxLifetime)
        expect(verdict.deadline).toBe(T0 + maxLifetime)
      }),
    )
  })
})
