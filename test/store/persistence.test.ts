import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedDynamo } from '../../shared/local/embedded-dynamo.js'
import { createDocumentClient } from '../../shared/store/document-client.js'
import { DynamoStore } from '../../shared/store/dynamo-store.js'
import { ensureTable } from '../../shared/store/ensure-table.js'
import { fullContainer, fullRun } from './fixtures.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fargated-store-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function open(path: string) {
  const dynamo = await startEmbeddedDynamo({ path })
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' })
  await ensureTable(client, 'fargated')
  return {
    store: new DynamoStore({ client, tableName: 'fargated' }),
    async close() {
      client.destroy()
      await dynamo.close()
    },
  }
}

describe('embedded dynamo with a path', () => {
  it('keeps containers, names, runs and the active index across a restart', async () => {
    const path = join(dir, 'data')
    const container = fullContainer({ state: { ...fullContainer().state, status: 'running', running: true } })
    const run = fullRun({ containerId: container.id })

    const first = await open(path)
    await first.store.claimName(container.namespace, container.name, container.id)
    await first.store.createContainer(container)
    await first.store.putRun(run)
    await first.close()

    const second = await open(path)
    try {
      expect(await second.store.getContainer(container.namespace, container.id)).toStrictEqual(container)
      expect(await second.store.nameOwner(container.namespace, container.name)).toBe(container.id)
      expect(await second.store.getRunByRef(run.ref!)).toStrictEqual(run)
      expect((await second.store.listActiveContainers()).map((c) => c.id)).toEqual([container.id])
    } finally {
      await second.close()
    }
  })

  it('starts empty without a path, and ensureTable is idempotent', async () => {
    const memory = await startEmbeddedDynamo()
    const client = createDocumentClient({ endpoint: memory.endpoint, region: 'us-east-1' })
    try {
      await ensureTable(client, 'fargated')
      await ensureTable(client, 'fargated')
      expect(await new DynamoStore({ client, tableName: 'fargated' }).listActiveContainers()).toEqual([])
    } finally {
      client.destroy()
      await memory.close()
    }
  })
})
