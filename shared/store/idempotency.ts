/**
 * Idempotency records, one per (namespace, key), deleted by TTL at `expiresAt` (callers use
 * IDEMPOTENCY_TTL_SECONDS). An expired record that DynamoDB has not deleted yet counts as absent.
 *
 *   claim ─ put if absent or expired ─ ok ───────────────> { claimed: true }   (in-progress)
 *             └ exists ─ read it ─ live ────────────────> { claimed: false, existing }
 *                                 └ gone meanwhile ─ claim again
 *   complete ─ set status, resultId (must exist)          abandon ─ delete if still in-progress
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { ConflictError, NotFoundError } from '../core/errors.js'
import type { IdempotencyRecord } from '../core/ports.js'
import { idempotencyKey } from './item-keys.js'
import { attempt, writeIf } from './sdk-errors.js'
import { fromItem, isExpired, itemAbsent, itemExpired, itemPresent, nowSeconds, ttlNames, type Table } from './table.js'

/** Idempotency keys are remembered for 24 hours. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60

const stillInProgress = '#status = :inProgress'

type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyRecord }

async function getLive(table: Table, namespace: string, key: string): Promise<IdempotencyRecord | undefined> {
  const out = await attempt('get idempotency record', () =>
    table.client.send(new GetCommand({ TableName: table.name, Key: idempotencyKey(namespace, key), ConsistentRead: true })),
  )
  return out.Item && !isExpired(out.Item, nowSeconds(table)) ? fromItem<IdempotencyRecord>(out.Item) : undefined
}

export async function claimIdempotency(table: Table, record: IdempotencyRecord): Promise<ClaimResult> {
  const item = { ...record, ...idempotencyKey(record.namespace, record.key), ttl: Math.floor(record.expiresAt) }
  for (let round = 0; round < 3; round++) {
    const claimed = await writeIf('claim idempotency key', () =>
      table.client.send(
        new PutCommand({
          TableName: table.name,
          Item: item,
          ConditionExpression: `${itemAbsent} OR ${itemExpired}`,
          ExpressionAttributeNames: ttlNames,
          ExpressionAttributeValues: { ':now': nowSeconds(table) },
        }),
      ),
    )
    if (claimed) return { claimed: true }
    const existing = await getLive(table, record.namespace, record.key)
    if (existing) return { claimed: false, existing }
  }
  throw new ConflictError(`idempotency key "${record.key}" is being claimed and released concurrently; retry the request`)
}

/** NotFoundError when there is no such record (expired or abandoned). */
export async function completeIdempotency(table: Table, namespace: string, key: string, resultId: string): Promise<void> {
  const done = await writeIf('complete idempotency key', () =>
    table.client.send(
      new UpdateCommand({
        TableName: table.name,
        Key: idempotencyKey(namespace, key),
        UpdateExpression: 'SET #status = :complete, #resultId = :resultId',
        ConditionExpression: itemPresent,
        ExpressionAttributeNames: { '#status': 'status', '#resultId': 'resultId' },
        ExpressionAttributeValues: { ':complete': 'complete', ':resultId': resultId },
      }),
    ),
  )
  if (!done) throw new NotFoundError(`No idempotency record for key "${key}"`)
}

/** Deletes the claim unless its request already completed. */
export async function abandonIdempotency(table: Table, namespace: string, key: string): Promise<void> {
  await writeIf('abandon idempotency key', () =>
    table.client.send(
      new DeleteCommand({
        TableName: table.name,
        Key: idempotencyKey(namespace, key),
        ConditionExpression: stillInProgress,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': 'in-progress' },
      }),
    ),
  )
}
