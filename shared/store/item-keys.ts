/**
 * Every item's key attributes, in one place (the layout table is in dynamo-store.ts). The
 * free-form part of a key (id, name, hash, idempotency key) always comes last, so two
 * different (namespace, id) pairs can never build the same key.
 */
import { InvalidRequestError } from '../core/errors.js'
import { TABLE_KEYS } from './table-schema.js'

const PK = TABLE_KEYS.partitionKey
const SK = TABLE_KEYS.sortKey
const GSI_PK = TABLE_KEYS.gsi1.partitionKey
const GSI_SK = TABLE_KEYS.gsi1.sortKey

/** Attributes that belong to the table layout, never to the stored model. */
export const LAYOUT_ATTRIBUTES: readonly string[] = [PK, SK, GSI_PK, GSI_SK, TABLE_KEYS.ttlAttribute]

const CONTAINER = 'CONTAINER#'
const RUN = 'RUN#'
/** The sparse gsi1 partition holding containers that are running or have a restart due. */
export const ACTIVE_PARTITION = 'ACTIVE'

/** Width of a zero-padded timeNano: 20 digits reach the year 5138. */
export const TIME_NANO_DIGITS = 20
const RUN_NUMBER_DIGITS = 10

export const namespacePartition = (namespace: string) => `NS#${namespace}`
export const containerSortPrefix = (idPrefix = '') => `${CONTAINER}${idPrefix}`

export const containerKey = (namespace: string, id: string) => ({
  [PK]: namespacePartition(namespace),
  [SK]: containerSortPrefix(id),
})

export const activeIndexKey = (namespace: string, id: string) => ({
  [GSI_PK]: ACTIVE_PARTITION,
  [GSI_SK]: `${namespace}#${id}`,
})

export const nameClaimKey = (namespace: string, name: string) => ({
  [PK]: namespacePartition(namespace),
  [SK]: `NAME#${name}`,
})

export const runsPartition = (containerId: string) => `RUNS#${containerId}`
export const runSortPrefix = RUN

export const runKey = (containerId: string, number: number) => ({
  [PK]: runsPartition(containerId),
  [SK]: `${RUN}${String(number).padStart(RUN_NUMBER_DIGITS, '0')}`,
})

export const runRefPartition = (ref: string) => `REF#${ref}`
export const runRefIndexKey = (ref: string) => ({ [GSI_PK]: runRefPartition(ref), [GSI_SK]: 'RUN' })

export const taskDefinitionKey = (namespace: string, specHash: string) => ({
  [PK]: `TASKDEF#${namespace}`,
  [SK]: specHash,
})

export const apiKeyKey = (hash: string) => ({ [PK]: `KEY#${hash}`, [SK]: 'KEY' })
export const apiKeysPartition = (namespace: string) => `KEYS#${namespace}`
export const apiKeyIndexKey = (namespace: string, id: string) => ({
  [GSI_PK]: apiKeysPartition(namespace),
  [GSI_SK]: id,
})

export const idempotencyKey = (namespace: string, key: string) => ({ [PK]: `IDEM#${namespace}`, [SK]: key })

export const eventsPartition = (namespace: string) => `EVENTS#${namespace}`

/** A nanosecond string zero-padded so that lexical order is numeric order. */
export function padTimeNano(timeNano: string): string {
  if (!/^\d{1,20}$/.test(timeNano)) {
    throw new InvalidRequestError(`timeNano must be 1-${TIME_NANO_DIGITS} digits, got "${timeNano}"`)
  }
  return timeNano.padStart(TIME_NANO_DIGITS, '0')
}

/** Events sort by time; id and action keep two events of one nanosecond apart. */
export const eventSortKey = (timeNano: string, id: string, action: string) => `${padTimeNano(timeNano)}#${id}#${action}`

export function recordPartition(kind: string, namespace: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(kind)) throw new InvalidRequestError(`record kind must be [A-Za-z0-9_.-]+, got "${kind}"`)
  return `REC#${kind}#${namespace}`
}

export const recordKey = (kind: string, namespace: string, id: string) => ({
  [PK]: recordPartition(kind, namespace),
  [SK]: id,
})
