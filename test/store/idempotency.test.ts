import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotFoundError } from '../../shared/core/errors.js'
import type { IdempotencyRecord } from '../../shared/core/ports.js'
import { IDEMPOTENCY_TTL_SECONDS } from '../../shared/store/idempotency.js'
import { ManualClock, startTestStore, type TestStore } from '../support/dynalite.js'
import { uniqueNamespace } from './fixtures.js'

const clock = new ManualClock()
let t: TestStore
beforeAll(async () => {
  t = await startTestStore({ clock })
})
afterAll(() => t.close())

function record(overrides: Partial<IdempotencyRecord> = {}): IdempotencyRecord {
  const now = clock.now()
  return {
    namespace: uniqueNamespace(),
    key: randomUUID(),
    requestHash: 'sha256:request-a',
    status: 'in-progress',
    createdAt: now.toISOString(),
    expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
    ...overrides,
  }
}

describe('claimIdempotency', () => {
  it('claims a new key, then returns the stored record to the next claimer', async () => {
    const first = record()
    expect(await t.store.claimIdempotency(first)).toEqual({ claimed: true })
    const second = await t.store.claimIdempotency({ ...first, requestHash: 'sha256:request-b' })
    expect(second).toStrictEqual({ claimed: false, existing: first })
  })

  it('keeps keys apart per namespace', async () => {
    const a = record()
    expect(await t.store.claimIdempotency(a)).toEqual({ claimed: true })
    expect(await t.store.claimIdempotency({ ...a, namespace: uniqueNamespace() })).toEqual({ claimed: true })
  })

  it('gives a key to exactly one of 50 concurrent claimers', async () => {
    const base = record()
    const claims = Array.from({ length: 50 }, (_, i) => t.store.claimIdempotency({ ...base, requestHash: `hash-${i}` }))
    const results = await Promise.all(claims)
    const winners = results.flatMap((r, i) => (r.claimed ? [i] : []))
    expect(winners).toHaveLength(1)
    for (const r of results) {
      if (!r.claimed) expect(r.existing.requestHash).toBe(`hash-${winners[0]}`)
    }
  })

  it('treats an expired record as absent', async () => {
    const old = record()
    await t.store.claimIdempotency(old)
    clock.advance(IDEMPOTENCY_TTL_SECONDS)
    const fresh = record({ namespace: old.namespace, key: old.key, requestHash: 'sha256:later' })
    expect(await t.store.claimIdempotency(fresh)).toEqual({ claimed: true })
    expect(await t.store.claimIdempotency(old)).toStrictEqual({ claimed: false, existing: fresh })
  })
})

describe('completeIdempotency / abandonIdempotency', () => {
  it('completes a claim with its result', async () => {
    const claim = record()
    await t.store.claimIdempotency(claim)
    await t.store.completeIdempotency(claim.namespace, claim.key, 'c0ffee')
    expect(await t.store.claimIdempotency(claim)).toStrictEqual({
      claimed: false,
      existing: { ...claim, status: 'complete', resultId: 'c0ffee' },
    })
  })

  it('refuses to complete a key nobody claimed', async () => {
    await expect(t.store.completeIdempotency(uniqueNamespace(), 'nope', 'x')).rejects.toThrow(NotFoundError)
  })

  it('abandons an in-progress claim so a retry can claim again', async () => {
    const claim = record()
    await t.store.claimIdempotency(claim)
    await t.store.abandonIdempotency(claim.namespace, claim.key)
    expect(await t.store.claimIdempotency(claim)).toEqual({ claimed: true })
  })

  it('does not abandon a completed claim, and ignores unknown keys', async () => {
    const claim = record()
    await t.store.claimIdempotency(claim)
    await t.store.completeIdempotency(claim.namespace, claim.key, 'c0ffee')
    await t.store.abandonIdempotency(claim.namespace, claim.key)
    const again = await t.store.claimIdempotency(claim)
    expect(again.claimed).toBe(false)
    await expect(t.store.abandonIdempotency(uniqueNamespace(), 'nope')).resolves.toBeUndefined()
  })
})
