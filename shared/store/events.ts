/** Domain events per namespace, sorted by timeNano, kept 7 days. */
import { PutCommand } from '@aws-sdk/lib-dynamodb'
import type { DomainEvent } from '../core/model.js'
import { eventSortKey, eventsPartition, padTimeNano } from './item-keys.js'
import { attempt } from './sdk-errors.js'
import { TABLE_KEYS } from './table-schema.js'
import { fromItem, isExpired, nowSeconds, queryAll, type Table } from './table.js'

export const EVENT_TTL_SECONDS = 7 * 24 * 60 * 60

/** Above every `#id#action` suffix of a padded time (`~` sorts after `#`). */
const AFTER_SUFFIX = '~'

export async function appendEvent(table: Table, event: DomainEvent): Promise<void> {
  const item = {
    ...event,
    [TABLE_KEYS.partitionKey]: eventsPartition(event.namespace),
    [TABLE_KEYS.sortKey]: eventSortKey(event.timeNano, event.id, event.action),
    [TABLE_KEYS.ttlAttribute]: nowSeconds(table) + EVENT_TTL_SECONDS,
  }
  await attempt('append event', () => table.client.send(new PutCommand({ TableName: table.name, Item: item })))
}

function sortKeyRange(from?: string, to?: string): { condition: string; values: Record<string, string> } {
  if (from !== undefined && to !== undefined) return { condition: ' AND #sk BETWEEN :from AND :to', values: { ':from': from, ':to': to } }
  if (from !== undefined) return { condition: ' AND #sk >= :from', values: { ':from': from } }
  if (to !== undefined) return { condition: ' AND #sk <= :to', values: { ':to': to } }
  return { condition: '', values: {} }
}

/** since ≤ timeNano ≤ until, oldest first; an empty list when since > until. */
export async function listEvents(table: Table, namespace: string, sinceNano?: string, untilNano?: string): Promise<DomainEvent[]> {
  const from = sinceNano === undefined ? undefined : padTimeNano(sinceNano)
  const to = untilNano === undefined ? undefined : padTimeNano(untilNano) + AFTER_SUFFIX
  if (from !== undefined && to !== undefined && from > to) return []
  const range = sortKeyRange(from, to)
  const items = await queryAll(table, 'list events', {
    KeyConditionExpression: `#pk = :pk${range.condition}`,
    ExpressionAttributeNames: { '#pk': TABLE_KEYS.partitionKey, ...(range.condition ? { '#sk': TABLE_KEYS.sortKey } : {}) },
    ExpressionAttributeValues: { ':pk': eventsPartition(namespace), ...range.values },
  })
  const now = nowSeconds(table)
  return items.filter((item) => !isExpired(item, now)).map((item) => fromItem<DomainEvent>(item))
}
