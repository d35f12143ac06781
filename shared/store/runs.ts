/** Run items: by (containerId, number), listed per container, and by backend ref through gsi1. */
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { BackendError } from '../core/errors.js'
import type { Run } from '../core/model.js'
import { runKey, runRefIndexKey, runRefPartition, runsPartition, runSortPrefix } from './item-keys.js'
import { attempt, writeIf } from './sdk-errors.js'
import { TABLE_KEYS } from './table-schema.js'
import { fromItem, itemAbsent, queryAll, type Item, type Table } from './table.js'

const olderEvent = '#eventVersion < :eventVersion'
const notNewerEvent = '#eventVersion <= :eventVersion'

const BATCH_SIZE = 25
const BATCH_ROUNDS = 8

function toItem(run: Run) {
  return { ...run, ...runKey(run.containerId, run.number), ...(run.ref ? runRefIndexKey(run.ref) : {}) }
}

export async function putRun(table: Table, run: Run): Promise<void> {
  await attempt('put run', () => table.client.send(new PutCommand({ TableName: table.name, Item: toItem(run) })))
}

export async function getRun(table: Table, containerId: string, number: number): Promise<Run | undefined> {
  const out = await attempt('get run', () =>
    table.client.send(new GetCommand({ TableName: table.name, Key: runKey(containerId, number), ConsistentRead: true })),
  )
  return out.Item ? fromItem<Run>(out.Item) : undefined
}

/** Oldest first. */
export async function listRuns(table: Table, containerId: string): Promise<Run[]> {
  const items = await queryAll(table, 'list runs', {
    KeyConditionExpression: `${TABLE_KEYS.partitionKey} = :pk AND begins_with(${TABLE_KEYS.sortKey}, :prefix)`,
    ExpressionAttributeValues: { ':pk': runsPartition(containerId), ':prefix': runSortPrefix },
    ConsistentRead: true,
  })
  return items.map((item) => fromItem<Run>(item))
}

export async function getRunByRef(table: Table, ref: string): Promise<Run | undefined> {
  const out = await attempt('get run by ref', () =>
    table.client.send(
      new QueryCommand({
        TableName: table.name,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: '#gsiPk = :ref',
        ExpressionAttributeNames: { '#gsiPk': TABLE_KEYS.gsi1.partitionKey },
        ExpressionAttributeValues: { ':ref': runRefPartition(ref) },
        Limit: 1,
      }),
    ),
  )
  const item = out.Items?.[0]
  return item ? fromItem<Run>(item) : undefined
}

/**
 * Writes `next` when no run is stored yet or the stored one saw an older runtime event
 * (or the same one, with allowEqual). Events repeat and arrive out of order; stale ones lose.
 */
export async function updateRunIfNewer(table: Table, next: Run, allowEqual = false): Promise<boolean> {
  const storedIsOlder = allowEqual ? notNewerEvent : olderEvent
  return writeIf('update run', () =>
    table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: toItem(next),
        ConditionExpression: `${itemAbsent} OR ${storedIsOlder}`,
        ExpressionAttributeNames: { '#eventVersion': 'eventVersion' },
        ExpressionAttributeValues: { ':eventVersion': next.eventVersion },
      }),
    ),
  )
}

async function deleteBatch(table: Table, keys: Item[]): Promise<void> {
  let pending = keys.map((Key) => ({ DeleteRequest: { Key } }))
  for (let round = 0; round < BATCH_ROUNDS && pending.length > 0; round++) {
    if (round > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** round))
    const out = await attempt('delete runs', () =>
      table.client.send(new BatchWriteCommand({ RequestItems: { [table.name]: pending } })),
    )
    pending = (out.UnprocessedItems?.[table.name] ?? []).flatMap((request) =>
      request.DeleteRequest?.Key ? [{ DeleteRequest: { Key: request.DeleteRequest.Key } }] : [],
    )
  }
  if (pending.length > 0) throw new BackendError(`DynamoDB left ${pending.length} run deletions unprocessed; retry the removal`)
}

export async function deleteRuns(table: Table, containerId: string): Promise<void> {
  const keys = await queryAll(table, 'list runs to delete', {
    KeyConditionExpression: `${TABLE_KEYS.partitionKey} = :pk`,
    ExpressionAttributeValues: { ':pk': runsPartition(containerId) },
    ProjectionExpression: `${TABLE_KEYS.partitionKey}, ${TABLE_KEYS.sortKey}`,
    ConsistentRead: true,
  })
  for (let i = 0; i < keys.length; i += BATCH_SIZE) await deleteBatch(table, keys.slice(i, i + BATCH_SIZE))
}
