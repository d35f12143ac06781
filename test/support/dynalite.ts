/**
 * A Store on a fresh in-process dynalite (127.0.0.1, random port, in memory) with its table
 * created: the real DynamoDB wire protocol, no mock.
 */
import { randomUUID } from 'node:crypto'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Clock } from '../../shared/core/ports.js'
import { startEmbeddedDynamo } from '../../shared/local/embedded-dynamo.js'
import { createDocumentClient } from '../../shared/store/document-client.js'
import { DynamoStore } from '../../shared/store/dynamo-store.js'
import { ensureTable } from '../../shared/store/ensure-table.js'

export interface TestStore {
  store: DynamoStore
  client: DynamoDBDocumentClient
  tableName: string
  close(): Promise<void>
}

export async function startTestStore(options: { clock?: Clock } = {}): Promise<TestStore> {
  const dynamo = await startEmbeddedDynamo({ host: '127.0.0.1', port: 0 })
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' })
  const tableName = `fargated-test-${randomUUID()}`
  await ensureTable(client, tableName)
  return {
    store: new DynamoStore({ client, tableName, clock: options.clock }),
    client,
    tableName,
    async close() {
      client.destroy()
      await dynamo.close()
    },
  }
}

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(private time = Date.parse('2025-01-01T00:00:00Z')) {}
  now(): Date {
    return new Date(this.time)
  }
  advance(seconds: number): void {
    this.time += seconds * 1000
  }
}
