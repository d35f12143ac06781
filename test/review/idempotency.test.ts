/**
 * Review finding: an Idempotency-Key whose first request died between claim and completion
 * (Lambda timeout, crash) is refused with 409 for 24 h, and so is every hook delivery retry
 * keyed on it (hook-actions.ts uses `hook:<id>:<delivery>`). A claim older than any request
 * can live should be taken over (or the create made deterministic from the key).
 */
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ContainerService } from '../../shared/core/container-service.js'
import { ManualClock, startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'

let t: TestStore
const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'))
beforeAll(async () => { t = await startTestStore({ clock }) })
afterAll(async () => t.close())

it('a retry 10 minutes after the first request died is served, not refused (409) for 24 h', async () => {
  const svc = new ContainerService({ store: t.store, backend: new FakeBackend(), clock, pollIntervalMs: 500 })
  const body = { image: 'busybox' }
  const at = clock.now()
  // What the first request left behind: its claim (same key, same body hash), never completed.
  await t.store.claimIdempotency({
    namespace: 'ns', key: 'deploy-1', requestHash: createHash('sha256').update('{"image":"busybox"}').digest('hex'),
    status: 'in-progress', createdAt: at.toISOString(), expiresAt: Math.floor(at.getTime() / 1000) + 86_400,
  })
  clock.advance(600)
  await expect(svc.run('ns', { spec: body }, { key: 'deploy-1', body })).resolves.toMatchObject({ namespace: 'ns' })
}, 30_000)
