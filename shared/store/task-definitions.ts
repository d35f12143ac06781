/** Cached ECS task definitions: (namespace, spec hash) → ARN. */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { TaskDefinitionRecord } from '../core/ports.js'
import { taskDefinitionKey } from './item-keys.js'
import { attempt } from './sdk-errors.js'
import { fromItem, type Table } from './table.js'

export async function getTaskDefinition(table: Table, namespace: string, specHash: string): Promise<TaskDefinitionRecord | undefined> {
  const out = await attempt('get task definition', () =>
    table.client.send(new GetCommand({ TableName: table.name, Key: taskDefinitionKey(namespace, specHash), ConsistentRead: true })),
  )
  return out.Item ? fromItem<TaskDefinitionRecord>(out.Item) : undefined
}

export async function putTaskDefinition(table: Table, record: TaskDefinitionRecord): Promise<void> {
  await attempt('put task definition', () =>
    table.client.send(new PutCommand({ TableName: table.name, Item: { ...record, ...taskDefinitionKey(record.namespace, record.specHash) } })),
  )
}

export async function deleteTaskDefinition(table: Table, namespace: string, specHash: string): Promise<void> {
  await attempt('delete task definition', () =>
    table.client.send(new DeleteCommand({ TableName: table.name, Key: taskDefinitionKey(namespace, specHash) })),
  )
}
