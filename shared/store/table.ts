/** What every item module shares: the client, the table, the clock and a few helpers. */
import { paginateQuery, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { Clock } from '../core/ports.js'
import { LAYOUT_ATTRIBUTES } from './item-keys.js'
import { attempt } from './sdk-errors.js'
import { TABLE_KEYS } from './table-schema.js'

export interface Table {
  client: DynamoDBDocumentClient
  name: string
  clock: Clock
}

export type Item = Record<string, unknown>

// Condition fragments shared by several item kinds (each module names its own).
export const itemAbsent = `attribute_not_exists(${TABLE_KEYS.partitionKey})`
export const itemPresent = `attribute_exists(${TABLE_KEYS.partitionKey})`
/** Needs `#ttl` and `:now` (see ttlNames / nowValue). */
export const itemExpired = '#ttl <= :now'
export const ttlNames = { '#ttl': TABLE_KEYS.ttlAttribute }

export function nowSeconds(table: Table): number {
  return Math.floor(table.clock.now().getTime() / 1000)
}

/** Items past their TTL still exist until DynamoDB gets to them (never, in dynalite). */
export function isExpired(item: Item, now: number): boolean {
  const ttl = item[TABLE_KEYS.ttlAttribute]
  return typeof ttl === 'number' && ttl <= now
}

/** The stored model without the layout attributes. */
export function fromItem<T>(item: Item): T {
  const out: Item = { ...item }
  for (const attribute of LAYOUT_ATTRIBUTES) delete out[attribute]
  return out as T
}

/** Every page of a query. */
export async function queryAll(table: Table, action: string, input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
  return attempt(action, async () => {
    const items: Item[] = []
    for await (const page of paginateQuery({ client: table.client }, { ...input, TableName: table.name })) {
      items.push(...(page.Items ?? []))
    }
    return items
  })
}
