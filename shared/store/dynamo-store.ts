/**
 * The Store on one DynamoDB table (keys in table-schema.ts, built in item-keys.ts). Conditional
 * single-item writes only: no transactions (the embedded server has none), so a name claim is
 * its own item that claimName can repair (name-claims.ts).
 *
 * Item layout ({x} = a value; TTL in epoch seconds):
 *
 *   item             pk                  sk                                   gsi1pk       gsi1sk      ttl
 *   ───────────────  ──────────────────  ───────────────────────────────────  ───────────  ──────────  ────────────────
 *   container        NS#{ns}             CONTAINER#{id}                       ACTIVE ¹     {ns}#{id}   –
 *   name claim       NS#{ns}             NAME#{name}                          –            –           –
 *   run              RUNS#{containerId}  RUN#{number, 10 digits}              REF#{ref} ²  RUN         –
 *   task definition  TASKDEF#{ns}        {specHash}                           –            –           –
 *   api key          KEY#{hash}          KEY                                  KEYS#{ns}    {id}        –
 *   idempotency      IDEM#{ns}           {key}                                –            –           expiresAt (24 h)
 *   event            EVENTS#{ns}         {timeNano, 20 digits}#{id}#{action}  –            –           now + 7 days
 *   record           REC#{kind}#{ns}     {id}                                 –            –           now + ttlSeconds
 *
 *   ¹ only while state.running or restartAt is set (a sparse index: listActiveContainers)
 *   ² only once the run has a backend ref (getRunByRef)
 *
 * Access paths: container by (ns, id) GetItem; id prefix = Query begins_with(sk, CONTAINER#{prefix});
 * per namespace = Query begins_with(sk, CONTAINER#); runs of a container = Query RUNS#{id}.
 * Model fields are stored as top-level attributes (records under `value`) and come back
 * without the layout attributes. DynamoDB deletes expired items lazily (dynalite never does),
 * so reads treat an item past its ttl as absent.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { ApiKey, Container, DomainEvent, Run } from '../core/model.js'
import { systemClock, type Clock, type IdempotencyRecord, type Store, type TaskDefinitionRecord } from '../core/ports.js'
import * as keys from './api-keys.js'
import * as containers from './containers.js'
import * as events from './events.js'
import * as idempotency from './idempotency.js'
import * as names from './name-claims.js'
import * as records from './records.js'
import * as runs from './runs.js'
import * as taskDefinitions from './task-definitions.js'
import type { Table } from './table.js'

export interface DynamoStoreOptions {
  client: DynamoDBDocumentClient
  tableName: string
  /** @default systemClock */
  clock?: Clock
}

export class DynamoStore implements Store {
  private readonly table: Table

  constructor(options: DynamoStoreOptions) {
    this.table = { client: options.client, name: options.tableName, clock: options.clock ?? systemClock }
  }

  claimName(namespace: string, name: string, containerId: string): Promise<void> {
    return names.claimName(this.table, namespace, name, containerId)
  }
  releaseName(namespace: string, name: string, containerId: string): Promise<void> {
    return names.releaseName(this.table, namespace, name, containerId)
  }
  nameOwner(namespace: string, name: string): Promise<string | undefined> {
    return names.nameOwner(this.table, namespace, name)
  }

  /** Stores the container with version 1; ConflictError if the id exists. */
  createContainer(container: Container): Promise<void> {
    return containers.createContainer(this.table, container)
  }
  getContainer(namespace: string, id: string): Promise<Container | undefined> {
    return containers.getContainer(this.table, namespace, id)
  }
  findByIdPrefix(namespace: string, prefix: string, limit?: number): Promise<Container[]> {
    return containers.findByIdPrefix(this.table, namespace, prefix, limit)
  }
  listContainers(namespace: string): Promise<Container[]> {
    return containers.listContainers(this.table, namespace)
  }
  listActiveContainers(): Promise<Container[]> {
    return containers.listActiveContainers(this.table)
  }
  updateContainer(next: Container, expectedVersion: number): Promise<Container> {
    return containers.updateContainer(this.table, next, expectedVersion)
  }
  /** Also releases the name the container held; removing a missing container is a no-op. */
  deleteContainer(namespace: string, id: string): Promise<void> {
    return containers.deleteContainer(this.table, namespace, id)
  }

  putRun(run: Run): Promise<void> {
    return runs.putRun(this.table, run)
  }
  getRun(containerId: string, number: number): Promise<Run | undefined> {
    return runs.getRun(this.table, containerId, number)
  }
  listRuns(containerId: string): Promise<Run[]> {
    return runs.listRuns(this.table, containerId)
  }
  getRunByRef(ref: string): Promise<Run | undefined> {
    return runs.getRunByRef(this.table, ref)
  }
  updateRunIfNewer(next: Run, allowEqual?: boolean): Promise<boolean> {
    return runs.updateRunIfNewer(this.table, next, allowEqual)
  }
  deleteRuns(containerId: string): Promise<void> {
    return runs.deleteRuns(this.table, containerId)
  }

  getTaskDefinition(namespace: string, specHash: string): Promise<TaskDefinitionRecord | undefined> {
    return taskDefinitions.getTaskDefinition(this.table, namespace, specHash)
  }
  putTaskDefinition(record: TaskDefinitionRecord): Promise<void> {
    return taskDefinitions.putTaskDefinition(this.table, record)
  }
  deleteTaskDefinition(namespace: string, specHash: string): Promise<void> {
    return taskDefinitions.deleteTaskDefinition(this.table, namespace, specHash)
  }

  putKey(key: ApiKey): Promise<void> {
    return keys.putKey(this.table, key)
  }
  getKeyByHash(hash: string): Promise<ApiKey | undefined> {
    return keys.getKeyByHash(this.table, hash)
  }
  listKeys(namespace: string): Promise<ApiKey[]> {
    return keys.listKeys(this.table, namespace)
  }
  /** NotFoundError when the namespace has no such key. */
  deleteKey(namespace: string, id: string): Promise<void> {
    return keys.deleteKey(this.table, namespace, id)
  }

  /** `record.expiresAt` (epoch seconds) becomes the item's TTL. */
  claimIdempotency(record: IdempotencyRecord): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }> {
    return idempotency.claimIdempotency(this.table, record)
  }
  /** NotFoundError when the record is gone (expired or abandoned). */
  completeIdempotency(namespace: string, key: string, resultId: string): Promise<void> {
    return idempotency.completeIdempotency(this.table, namespace, key, resultId)
  }
  abandonIdempotency(namespace: string, key: string): Promise<void> {
    return idempotency.abandonIdempotency(this.table, namespace, key)
  }

  appendEvent(event: DomainEvent): Promise<void> {
    return events.appendEvent(this.table, event)
  }
  listEvents(namespace: string, sinceNano?: string, untilNano?: string): Promise<DomainEvent[]> {
    return events.listEvents(this.table, namespace, sinceNano, untilNano)
  }

  putRecord<T extends object>(kind: string, namespace: string, id: string, value: T, options?: records.PutRecordOptions): Promise<void> {
    return records.putRecord(this.table, kind, namespace, id, value, options)
  }
  getRecord<T extends object>(kind: string, namespace: string, id: string): Promise<T | undefined> {
    return records.getRecord<T>(this.table, kind, namespace, id)
  }
  listRecords<T extends object>(kind: string, namespace: string): Promise<T[]> {
    return records.listRecords<T>(this.table, kind, namespace)
  }
  deleteRecord(kind: string, namespace: string, id: string): Promise<void> {
    return records.deleteRecord(this.table, kind, namespace, id)
  }
}
