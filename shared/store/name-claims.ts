/**
 * Name claims: one item per (namespace, name) saying which container holds the name. A claim
 * is written before (or apart from) its container, without a transaction, so a crash can leave
 * a stale claim behind. claimName repairs it: a claim older than the grace period whose holder
 * is gone (or now has another name) is taken over, conditionally on still holding that owner.
 *
 *   claimName(ns, "web", B)
 *     put claim ── ok (free, or already B's) ──────────────────────────────> done
 *        └ held by A ─ A gone/renamed and claim older than grace ─ take over (if still A's) ─> done
 *                    └ otherwise ──────────────────────────────────────────> ConflictError
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { ConflictError } from '../core/errors.js'
import type { Container } from '../core/model.js'
import { containerKey, nameClaimKey } from './item-keys.js'
import { attempt, writeIf } from './sdk-errors.js'
import { fromItem, itemAbsent, type Table } from './table.js'

/** How long a fresh claim is protected while its container is being written. */
export const STALE_CLAIM_GRACE_SECONDS = 60

const heldByClaimer = '#containerId = :containerId'
const heldByStaleOwner = '#containerId = :staleOwner'

interface NameClaim {
  namespace: string
  name: string
  containerId: string
  claimedAt: string
}

export function nameInUseMessage(name: string, ownerId: string): string {
  return (
    `Conflict. The container name "/${name}" is already in use by container "${ownerId}". ` +
    'You have to remove (or rename) that container to be able to reuse that name.'
  )
}

async function getClaim(table: Table, namespace: string, name: string): Promise<NameClaim | undefined> {
  const out = await attempt('get name claim', () =>
    table.client.send(new GetCommand({ TableName: table.name, Key: nameClaimKey(namespace, name), ConsistentRead: true })),
  )
  return out.Item ? fromItem<NameClaim>(out.Item) : undefined
}

function putClaim(table: Table, claim: NameClaim, condition: string, values: Record<string, string>) {
  return writeIf('claim container name', () =>
    table.client.send(
      new PutCommand({
        TableName: table.name,
        Item: { ...claim, ...nameClaimKey(claim.namespace, claim.name) },
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#containerId': 'containerId' },
        ExpressionAttributeValues: values,
      }),
    ),
  )
}

async function isStale(table: Table, claim: NameClaim): Promise<boolean> {
  const ageSeconds = (table.clock.now().getTime() - Date.parse(claim.claimedAt)) / 1000
  if (!(ageSeconds >= STALE_CLAIM_GRACE_SECONDS)) return false
  const out = await attempt('get name owner', () =>
    table.client.send(
      new GetCommand({ TableName: table.name, Key: containerKey(claim.namespace, claim.containerId), ConsistentRead: true }),
    ),
  )
  const owner = out.Item ? fromItem<Container>(out.Item) : undefined
  return owner === undefined || owner.name !== claim.name
}

export async function claimName(table: Table, namespace: string, name: string, containerId: string): Promise<void> {
  const claim: NameClaim = { namespace, name, containerId, claimedAt: table.clock.now().toISOString() }
  let owner: string | undefined
  for (let round = 0; round < 3; round++) {
    if (await putClaim(table, claim, `${itemAbsent} OR ${heldByClaimer}`, { ':containerId': containerId })) return
    const held = await getClaim(table, namespace, name)
    if (!held) continue
    owner = held.containerId
    if (!(await isStale(table, held))) break
    if (await putClaim(table, claim, heldByStaleOwner, { ':staleOwner': held.containerId })) return
  }
  throw new ConflictError(nameInUseMessage(name, owner ?? 'unknown'), { details: { name, containerId: owner } })
}

/** Releases the claim only if `containerId` holds it. */
export async function releaseName(table: Table, namespace: string, name: string, containerId: string): Promise<void> {
  await writeIf('release container name', () =>
    table.client.send(
      new DeleteCommand({
        TableName: table.name,
        Key: nameClaimKey(namespace, name),
        ConditionExpression: heldByClaimer,
        ExpressionAttributeNames: { '#containerId': 'containerId' },
        ExpressionAttributeValues: { ':containerId': containerId },
      }),
    ),
  )
}

export async function nameOwner(table: Table, namespace: string, name: string): Promise<string | undefined> {
  return (await getClaim(table, namespace, name))?.containerId
}
