/**
 * Generic small records (hooks, deliveries, leases, usage) under (kind, namespace, id). The
 * value is stored whole in one attribute; with ttlSeconds the record expires, and an expired
 * record counts as absent (also for ifAbsent, so an expired lease can be taken again).
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { recordKey, recordPartition } from './item-keys.js'
import { attempt } from './sdk-errors.js'
import { TABLE_KEYS } from './table-schema.js'
import { isExpired, itemAbsent, itemExpired, nowSeconds, queryAll, ttlNames, type Item, type Table } from './table.js'

export interface PutRecordOptions {
  /** ConflictError if a live record exists. */
  ifAbsent?: boolean
  /** Expire the record this many seconds from now. */
  ttlSeconds?: number
}

function valueOf<T>(item: Item | undefined, now: number): T | undefined {
  return item && !isExpired(item, now) ? (item.value as T) : undefined
}

export async function putRecord<T extends object>(
  table: Table,
  kind: string,
  namespace: string,
  id: string,
  value: T,
  options: PutRecordOptions = {},
): Promise<void> {
  const now = nowSeconds(table)
  const item = {
    ...recordKey(kind, namespace, id),
    kind,
    namespace,
    id,
    value,
    ...(options.ttlSeconds !== undefined ? { [TABLE_KEYS.ttlAttribute]: now + options.ttlSeconds } : {}),
  }
  const onlyIfAbsent = options.ifAbsent
    ? {
        ConditionExpression: `${itemAbsent} OR ${itemExpired}`,
        ExpressionAttributeNames: ttlNames,
        ExpressionAttributeValues: { ':now': now },
      }
    : {}
  await attempt(
    `put ${kind} record`,
    () => table.client.send(new PutCommand({ TableName: table.name, Item: item, ...onlyIfAbsent })),
    `${kind} "${id}" already exists in namespace "${namespace}"`,
  )
}

export async function getRecord<T extends object>(table: Table, kind: string, namespace: string, id: string): Promise<T | undefined> {
  const out = await attempt(`get ${kind} record`, () =>
    table.client.send(new GetCommand({ TableName: table.name, Key: recordKey(kind, namespace, id), ConsistentRead: true })),
  )
  return valueOf<T>(out.Item, nowSeconds(table))
}

/** Live records of the kind in the namespace, ordered by id. */
export async function listRecords<T extends object>(table: Table, kind: string, namespace: string): Promise<T[]> {
  const items = await queryAll(table, `list ${kind} records`, {
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey },
    ExpressionAttributeValues: { ':pk': recordPartition(kind, namespace) },
    ConsistentRead: true,
  })
  const now = nowSeconds(table)
  return items.flatMap((item) => {
    const value = valueOf<T>(item, now)
    return value === undefined ? [] : [value]
  })
}

export async function deleteRecord(table: Table, kind: string, namespace: string, id: string): Promise<void> {
  await attempt(`delete ${kind} record`, () =>
    table.client.send(new DeleteCommand({ TableName: table.name, Key: recordKey(kind, namespace, id) })),
  )
}
