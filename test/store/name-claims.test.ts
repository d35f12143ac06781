import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError } from '../../shared/core/errors.js'
import { newContainerId } from '../../shared/core/ids.js'
import { STALE_CLAIM_GRACE_SECONDS } from '../../shared/store/name-claims.js'
import { ManualClock, startTestStore, type TestStore } from '../support/dynalite.js'
import { fullContainer, uniqueNamespace } from './fixtures.js'

const clock = new ManualClock()
let t: TestStore
beforeAll(async () => {
  t = await startTestStore({ clock })
})
afterAll(() => t.close())

const dockerMessage = (owner: string) =>
  `Conflict. The container name "/web" is already in use by container "${owner}". You have to remove (or rename) that container to be able to reuse that name.`

describe('claimName', () => {
  it('gives a free name to the claimer and tells who holds it', async () => {
    const namespace = uniqueNamespace()
    const id = newContainerId()
    expect(await t.store.nameOwner(namespace, 'web')).toBeUndefined()
    await t.store.claimName(namespace, 'web', id)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(id)
  })

  it('is idempotent for the container that holds the name', async () => {
    const namespace = uniqueNamespace()
    const id = newContainerId()
    await t.store.claimName(namespace, 'web', id)
    await expect(t.store.claimName(namespace, 'web', id)).resolves.toBeUndefined()
    expect(await t.store.nameOwner(namespace, 'web')).toBe(id)
  })

  it('refuses another container with Docker’s message and the holder in details', async () => {
    const namespace = uniqueNamespace()
    const holder = newContainerId()
    await t.store.claimName(namespace, 'web', holder)
    const error = await t.store.claimName(namespace, 'web', newContainerId()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConflictError)
    expect((error as ConflictError).message).toBe(dockerMessage(holder))
    expect((error as ConflictError).details).toEqual({ name: 'web', containerId: holder })
    expect(await t.store.nameOwner(namespace, 'web')).toBe(holder)
  })

  it('keeps names apart per namespace', async () => {
    const [a, b] = [newContainerId(), newContainerId()]
    const [nsA, nsB] = [uniqueNamespace(), uniqueNamespace()]
    await t.store.claimName(nsA, 'web', a)
    await t.store.claimName(nsB, 'web', b)
    expect(await t.store.nameOwner(nsA, 'web')).toBe(a)
    expect(await t.store.nameOwner(nsB, 'web')).toBe(b)
  })

  it('gives one name to exactly one of 20 concurrent claimers', async () => {
    const namespace = uniqueNamespace()
    const ids = Array.from({ length: 20 }, () => newContainerId())
    const results = await Promise.allSettled(ids.map((id) => t.store.claimName(namespace, 'web', id)))
    const winners = ids.filter((_, i) => results[i].status === 'fulfilled')
    expect(winners).toHaveLength(1)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(winners[0])
    for (const r of results) {
      if (r.status === 'rejected') {
        expect(r.reason).toBeInstanceOf(ConflictError)
        expect((r.reason as Error).message).toBe(dockerMessage(winners[0]))
      }
    }
  })
})

describe('releaseName', () => {
  it('frees the name for its holder only', async () => {
    const namespace = uniqueNamespace()
    const [holder, other] = [newContainerId(), newContainerId()]
    await t.store.claimName(namespace, 'web', holder)
    await t.store.releaseName(namespace, 'web', other)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(holder)
    await t.store.releaseName(namespace, 'web', holder)
    expect(await t.store.nameOwner(namespace, 'web')).toBeUndefined()
    await t.store.claimName(namespace, 'web', other)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(other)
  })

  it('is a no-op for a free name', async () => {
    await expect(t.store.releaseName(uniqueNamespace(), 'web', newContainerId())).resolves.toBeUndefined()
  })
})

describe('stale claim repair', () => {
  it('takes over a claim whose container never got written, once the grace period passed', async () => {
    const namespace = uniqueNamespace()
    const [crashed, next] = [newContainerId(), newContainerId()]
    await t.store.claimName(namespace, 'web', crashed)
    await expect(t.store.claimName(namespace, 'web', next)).rejects.toThrow(ConflictError)
    clock.advance(STALE_CLAIM_GRACE_SECONDS)
    await t.store.claimName(namespace, 'web', next)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(next)
  })

  it('takes over a claim left behind by a rename', async () => {
    const namespace = uniqueNamespace()
    const renamed = fullContainer({ namespace, name: 'api' })
    await t.store.claimName(namespace, 'web', renamed.id)
    await t.store.createContainer(renamed)
    clock.advance(STALE_CLAIM_GRACE_SECONDS)
    const next = newContainerId()
    await t.store.claimName(namespace, 'web', next)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(next)
  })

  it('never takes a name from a live container that has it', async () => {
    const namespace = uniqueNamespace()
    const live = fullContainer({ namespace, name: 'web' })
    await t.store.claimName(namespace, 'web', live.id)
    await t.store.createContainer(live)
    clock.advance(10 * STALE_CLAIM_GRACE_SECONDS)
    await expect(t.store.claimName(namespace, 'web', newContainerId())).rejects.toThrow(dockerMessage(live.id))
    expect(await t.store.nameOwner(namespace, 'web')).toBe(live.id)
  })

  it('gives a stale name to exactly one of 20 concurrent claimers', async () => {
    const namespace = uniqueNamespace()
    await t.store.claimName(namespace, 'web', newContainerId())
    clock.advance(STALE_CLAIM_GRACE_SECONDS)
    const ids = Array.from({ length: 20 }, () => newContainerId())
    const results = await Promise.allSettled(ids.map((id) => t.store.claimName(namespace, 'web', id)))
    const winners = ids.filter((_, i) => results[i].status === 'fulfilled')
    expect(winners).toHaveLength(1)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(winners[0])
  })
})
