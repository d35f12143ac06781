import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { handler, orphanPolicyOf, setReaperDepsForTest } from '../../functions/reaper.js'
import { StoredUsageSource } from '../../shared/core/usage/usage-source.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'
import { systemClock } from '../../shared/core/ports.js'
import { ContainerService } from '../../shared/core/container-service.js'

let ts: TestStore
beforeAll(async () => {
  ts = await startTestStore()
})
afterAll(async () => {
  setReaperDepsForTest(undefined)
  await ts.close()
})

describe('reaper Lambda', () => {
  it('runs one tick with the injected deps and returns its summary', async () => {
    const backend = new FakeBackend()
    const deps = { store: ts.store, backend, clock: systemClock, usage: new StoredUsageSource(ts.store) }
    const c = await new ContainerService(deps).run('default', { spec: { image: 'busybox' } })
    backend.finish((await ts.store.getRun(c.id, 1))!.ref!, 0)
    setReaperDepsForTest(deps)

    const summary = await handler({}, { getRemainingTimeInMillis: () => 90_000 })

    expect(summary).toMatchObject({ status: 'done', containers: 1, repaired: 1, errors: 0 })
    expect((await ts.store.getContainer('default', c.id))?.state.running).toBe(false)
  })

  it('sizes the lease to the invocation: a tick killed at the timeout frees it soon after', async () => {
    const { LEASE_KIND, LEASE_NAMESPACE, LEASE_ID } = await import('../../shared/core/reaper/lease.js')
    let seen: { expiresAt: string; acquiredAt: string } | undefined
    const put = ts.store.putRecord.bind(ts.store)
    ts.store.putRecord = async (kind, ns, id, value, options) => {
      if (kind === LEASE_KIND && ns === LEASE_NAMESPACE && id === LEASE_ID) seen = value as unknown as typeof seen
      return put(kind, ns, id, value, options)
    }
    await handler({}, { getRemainingTimeInMillis: () => 60_000 })
    ts.store.putRecord = put
    expect(Date.parse(seen!.expiresAt) - Date.parse(seen!.acquiredAt)).toBe(65_000)
  })

  it('reads FARGATED_ORPHAN_POLICY, defaulting to stop', () => {
    expect(orphanPolicyOf('adopt')).toBe('adopt')
    expect(orphanPolicyOf('ignore')).toBe('ignore')
    expect(orphanPolicyOf(undefined)).toBe('stop')
    expect(orphanPolicyOf('bogus')).toBe('stop')
  })
})
