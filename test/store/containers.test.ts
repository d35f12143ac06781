import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError } from '../../shared/core/errors.js'
import type { Container } from '../../shared/core/model.js'
import { containerKey } from '../../shared/store/item-keys.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { fullContainer, uniqueNamespace } from './fixtures.js'

let t: TestStore
beforeAll(async () => {
  t = await startTestStore()
})
afterAll(() => t.close())

const stored = async (c: Pick<Container, 'namespace' | 'id'>) =>
  (await t.client.send(new GetCommand({ TableName: t.tableName, Key: containerKey(c.namespace, c.id) }))).Item

describe('createContainer / getContainer', () => {
  it('round-trips every field and hides the key attributes', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await t.store.createContainer(container)
    expect(await t.store.getContainer(container.namespace, container.id)).toStrictEqual(container)
  })

  it('drops undefined fields instead of failing', async () => {
    const container = fullContainer({ namespace: uniqueNamespace(), restartAt: undefined, recommendation: undefined })
    await t.store.createContainer(container)
    const back = await t.store.getContainer(container.namespace, container.id)
    expect(back).not.toHaveProperty('restartAt')
    expect(back).not.toHaveProperty('recommendation')
  })

  it('stores version 1 whatever the caller passed', async () => {
    const container = fullContainer({ namespace: uniqueNamespace(), version: 9 })
    await t.store.createContainer(container)
    expect((await t.store.getContainer(container.namespace, container.id))?.version).toBe(1)
  })

  it('refuses an id that exists', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await t.store.createContainer(container)
    await expect(t.store.createContainer({ ...container, name: 'other' })).rejects.toThrow(ConflictError)
    await expect(t.store.createContainer(container)).rejects.toThrow(`container ${container.id} already exists`)
    expect((await t.store.getContainer(container.namespace, container.id))?.name).toBe(container.name)
  })

  it('answers undefined for another namespace', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await t.store.createContainer(container)
    expect(await t.store.getContainer(uniqueNamespace(), container.id)).toBeUndefined()
  })
})

describe('findByIdPrefix / listContainers', () => {
  it('finds by prefix, reports ambiguity, and stays inside the namespace', async () => {
    const namespace = uniqueNamespace()
    const a = fullContainer({ namespace, id: 'abc1' + '0'.repeat(60) })
    const b = fullContainer({ namespace, id: 'abc2' + '0'.repeat(60) })
    const c = fullContainer({ namespace, id: 'abd0' + '0'.repeat(60) })
    const elsewhere = fullContainer({ namespace: uniqueNamespace(), id: 'abc3' + '0'.repeat(60) })
    for (const container of [a, b, c, elsewhere]) await t.store.createContainer(container)

    expect((await t.store.findByIdPrefix(namespace, 'abc1')).map((x) => x.id)).toEqual([a.id])
    expect((await t.store.findByIdPrefix(namespace, 'abc')).map((x) => x.id)).toEqual([a.id, b.id])
    expect(await t.store.findByIdPrefix(namespace, 'ab')).toHaveLength(2)
    expect(await t.store.findByIdPrefix(namespace, 'ab', 10)).toHaveLength(3)
    expect(await t.store.findByIdPrefix(namespace, 'abc3')).toEqual([])
    expect(await t.store.findByIdPrefix(namespace, 'f')).toEqual([])
    expect((await t.store.findByIdPrefix(namespace, a.id))[0]).toStrictEqual({ ...a, version: 1 })
  })

  it('lists the namespace’s containers only, not its name claims', async () => {
    const namespace = uniqueNamespace()
    const mine = [fullContainer({ namespace }), fullContainer({ namespace }), fullContainer({ namespace })]
    for (const container of mine) {
      await t.store.claimName(namespace, container.name, container.id)
      await t.store.createContainer(container)
    }
    await t.store.createContainer(fullContainer({ namespace: uniqueNamespace() }))
    const listed = await t.store.listContainers(namespace)
    expect(listed.map((c) => c.id).sort()).toEqual(mine.map((c) => c.id).sort())
    expect(await t.store.listContainers(uniqueNamespace())).toEqual([])
  })
})

describe('updateContainer', () => {
  it('writes expectedVersion + 1 and returns what it stored', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await t.store.createContainer(container)
    const next = { ...container, name: 'renamed', restartCount: 3, version: 42 }
    const result = await t.store.updateContainer(next, 1)
    expect(result).toStrictEqual({ ...next, version: 2 })
    expect(await t.store.getContainer(container.namespace, container.id)).toStrictEqual(result)
  })

  it('refuses a stale expected version and keeps the stored container', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await t.store.createContainer(container)
    await t.store.updateContainer({ ...container, restartCount: 5 }, 1)
    const stale = t.store.updateContainer({ ...container, restartCount: 6 }, 1)
    await expect(stale).rejects.toThrow(ConflictError)
    await expect(stale).rejects.toThrow(`container ${container.id} was changed concurrently or removed (expected version 1)`)
    expect(await t.store.getContainer(container.namespace, container.id)).toMatchObject({ restartCount: 5, version: 2 })
  })

  it('refuses to update a container that does not exist', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await expect(t.store.updateContainer(container, 0)).rejects.toThrow(ConflictError)
    expect(await t.store.getContainer(container.namespace, container.id)).toBeUndefined()
  })

  it('lets exactly one of 20 concurrent writers with the same expected version win', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await t.store.createContainer(container)
    const writers = Array.from({ length: 20 }, (_, i) => t.store.updateContainer({ ...container, restartCount: 100 + i }, 1))
    const results = await Promise.allSettled(writers)
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(19)
    for (const reason of lost) expect(reason).toBeInstanceOf(ConflictError)
    expect(await t.store.getContainer(container.namespace, container.id)).toStrictEqual({ ...won[0], version: 2 })
  })
})

describe('listActiveContainers (sparse gsi1 entry)', () => {
  const activeIds = async () => new Set((await t.store.listActiveContainers()).map((c) => c.id))

  it('lists a container while it runs or has a restart due, across namespaces', async () => {
    const idle = fullContainer({ namespace: uniqueNamespace() })
    const running = fullContainer({ namespace: uniqueNamespace(), state: { ...idle.state, status: 'running', running: true } })
    await t.store.createContainer(idle)
    await t.store.createContainer(running)
    let active = await activeIds()
    expect(active.has(running.id)).toBe(true)
    expect(active.has(idle.id)).toBe(false)
    expect((await stored(idle))?.gsi1pk).toBeUndefined()

    // idle → restart due → running → stopped
    let v = (await t.store.updateContainer({ ...idle, restartAt: '2025-01-01T00:05:00Z' }, 1)).version
    expect((await activeIds()).has(idle.id)).toBe(true)
    const withoutRestart = { ...idle, restartAt: undefined }
    v = (await t.store.updateContainer({ ...withoutRestart, state: { ...idle.state, status: 'running', running: true } }, v)).version
    expect((await activeIds()).has(idle.id)).toBe(true)
    await t.store.updateContainer({ ...withoutRestart, state: { ...idle.state, status: 'exited', running: false } }, v)
    active = await activeIds()
    expect(active.has(idle.id)).toBe(false)
    expect(active.has(running.id)).toBe(true)
    expect((await stored(idle))?.gsi1pk).toBeUndefined()
  })

  it('returns whole containers, and drops them when deleted', async () => {
    const running = fullContainer({ namespace: uniqueNamespace(), state: { ...fullContainer().state, status: 'running', running: true } })
    await t.store.createContainer(running)
    expect((await t.store.listActiveContainers()).find((c) => c.id === running.id)).toStrictEqual(running)
    await t.store.deleteContainer(running.namespace, running.id)
    expect((await activeIds()).has(running.id)).toBe(false)
  })
})

describe('deleteContainer', () => {
  it('removes the container and releases its name, and is a no-op when missing', async () => {
    const container = fullContainer({ namespace: uniqueNamespace() })
    await t.store.claimName(container.namespace, container.name, container.id)
    await t.store.createContainer(container)
    await t.store.deleteContainer(container.namespace, container.id)
    expect(await t.store.getContainer(container.namespace, container.id)).toBeUndefined()
    expect(await t.store.nameOwner(container.namespace, container.name)).toBeUndefined()
    await expect(t.store.deleteContainer(container.namespace, container.id)).resolves.toBeUndefined()
  })

  it('leaves a name another container holds', async () => {
    const namespace = uniqueNamespace()
    const old = fullContainer({ namespace, name: 'web' })
    const successor = fullContainer({ namespace, name: 'web' })
    await t.store.createContainer(old)
    await t.store.claimName(namespace, 'web', successor.id)
    await t.store.deleteContainer(namespace, old.id)
    expect(await t.store.nameOwner(namespace, 'web')).toBe(successor.id)
  })
})
