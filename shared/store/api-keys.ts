/**
 * API keys: keyed by hash (the auth path reads them strongly consistently), listed per
 * namespace through gsi1 (eventually consistent).
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { NotFoundError } from '../core/errors.js'
import type { ApiKey } from '../core/model.js'
import { apiKeyIndexKey, apiKeyKey, apiKeysPartition } from './item-keys.js'
import { attempt } from './sdk-errors.js'
import { TABLE_KEYS } from './table-schema.js'
import { fromItem, queryAll, type Table } from './table.js'

const gsiNames = { '#gsiPk': TABLE_KEYS.gsi1.partitionKey, '#gsiSk': TABLE_KEYS.gsi1.sortKey }

export async function putKey(table: Table, key: ApiKey): Promise<void> {
  await attempt('put api key', () =>
    table.client.send(
      new PutCommand({ TableName: table.name, Item: { ...key, ...apiKeyKey(key.hash), ...apiKeyIndexKey(key.namespace, key.id) } }),
    ),
  )
}

export async function getKeyByHash(table: Table, hash: string): Promise<ApiKey | undefined> {
  const out = await attempt('get api key', () =>
    table.client.send(new GetCommand({ TableName: table.name, Key: apiKeyKey(hash), ConsistentRead: true })),
  )
  return out.Item ? fromItem<ApiKey>(out.Item) : undefined
}

export async function listKeys(table: Table, namespace: string): Promise<ApiKey[]> {
  const items = await queryAll(table, 'list api keys', {
    IndexName: TABLE_KEYS.gsi1.name,
    KeyConditionExpression: '#gsiPk = :pk',
    ExpressionAttributeNames: { '#gsiPk': gsiNames['#gsiPk'] },
    ExpressionAttributeValues: { ':pk': apiKeysPartition(namespace) },
  })
  return items.map((item) => fromItem<ApiKey>(item))
}

/** NotFoundError when the namespace has no key with that id. */
export async function deleteKey(table: Table, namespace: string, id: string): Promise<void> {
  const found = await queryAll(table, 'find api key', {
    IndexName: TABLE_KEYS.gsi1.name,
    KeyConditionExpression: '#gsiPk = :pk AND #gsiSk = :id',
    ExpressionAttributeNames: gsiNames,
    ExpressionAttributeValues: { ':pk': apiKeysPartition(namespace), ':id': id },
  })
  if (found.length === 0) throw new NotFoundError(`No such key: ${id}`)
  for (const item of found) {
    const { hash } = fromItem<ApiKey>(item)
    await attempt('delete api key', () => table.client.send(new DeleteCommand({ TableName: table.name, Key: apiKeyKey(hash) })))
  }
}
