/** Container items: by (namespace, id), by id prefix, per namespace, and the active index. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { Container } from '../core/model.js'
import { ACTIVE_PARTITION, activeIndexKey, containerKey, containerSortPrefix, namespacePartition } from './item-keys.js'
import { releaseName } from './name-claims.js'
import { attempt } from './sdk-errors.js'
import { TABLE_KEYS } from './table-schema.js'
import { fromItem, itemAbsent, itemPresent, queryAll, type Table } from './table.js'

const versionMatches = '#version = :expected'

/** Running or waiting for a restart: what the reaper has to look at. */
export function isActive(container: Container): boolean {
  return container.state.running || container.restartAt !== undefined
}

function toItem(container: Container) {
  return {
    ...container,
    ...containerKey(container.namespace, container.id),
    ...(isActive(container) ? activeIndexKey(container.namespace, container.id) : {}),
  }
}

export async function createContainer(table: Table, container: Container): Promise<void> {
  const stored: Container = { ...container, version: 1 }
  await attempt(
    'create container',
    () => table.client.send(new PutCommand({ TableName: table.name, Item: toItem(stored), ConditionExpression: itemAbsent })),
    `container ${container.id} already exists in namespace "${container.namespace}"`,
  )
}

export async function getContainer(table: Table, namespace: string, id: string): Promise<Container | undefined> {
  const out = await attempt('get container', () =>
    table.client.send(new GetCommand({ TableName: table.name, Key: containerKey(namespace, id), ConsistentRead: true })),
  )
  return out.Item ? fromItem<Container>(out.Item) : undefined
}

const skStartsWith = `${TABLE_KEYS.partitionKey} = :pk AND begins_with(${TABLE_KEYS.sortKey}, :prefix)`

export async function findByIdPrefix(table: Table, namespace: string, prefix: string, limit = 2): Promise<Container[]> {
  const out = await attempt('find containers by id prefix', () =>
    table.client.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: skStartsWith,
        ExpressionAttributeValues: { ':pk': namespacePartition(namespace), ':prefix': containerSortPrefix(prefix) },
        ConsistentRead: true,
        Limit: limit,
      }),
    ),
  )
  return (out.Items ?? []).map((item) => fromItem<Container>(item))
}

export async function listContainers(table: Table, namespace: string): Promise<Container[]> {
  const items = await queryAll(table, 'list containers', {
    KeyConditionExpression: skStartsWith,
    ExpressionAttributeValues: { ':pk': namespacePartition(namespace), ':prefix': containerSortPrefix() },
    ConsistentRead: true,
  })
  return items.map((item) => fromItem<Container>(item))
}

/** Reads the sparse active index (eventually consistent, like every GSI read). */
export async function listActiveContainers(table: Table): Promise<Container[]> {
  const items = await queryAll(table, 'list active containers', {
    IndexName: TABLE_KEYS.gsi1.name,
    KeyConditionExpression: '#gsiPk = :active',
    ExpressionAttributeNames: { '#gsiPk': TABLE_KEYS.gsi1.partitionKey },
    ExpressionAttributeValues: { ':active': ACTIVE_PARTITION },
  })
  return items.map((item) => fromItem<Container>(item))
}

export async function updateContainer(table: Table, next: Container, expectedVersion: number): Promise<Container> {
  const stored: Container = { ...next, version: expectedVersion + 1 }
  await attempt(
    'update container',
    () =>
      table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: toItem(stored),
          ConditionExpression: `${itemPresent} AND ${versionMatches}`,
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      ),
    `container ${next.id} was changed concurrently or removed (expected version ${expectedVersion})`,
  )
  return stored
}

/** Deletes the container and releases the name it holds; a missing container is a no-op. */
export async function deleteContainer(table: Table, namespace: string, id: string): Promise<void> {
  const out = await attempt('delete container', () =>
    table.client.send(new DeleteCommand({ TableName: table.name, Key: containerKey(namespace, id), ReturnValues: 'ALL_OLD' })),
  )
  const old = out.Attributes ? fromItem<Container>(out.Attributes) : undefined
  if (old) await releaseName(table, namespace, old.name, id)
}
