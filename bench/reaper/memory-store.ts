/**
 * An in-memory Store for the reaper benchmark with DynamoDB-like latency per call (a sleep of
 * `latencyMs` per operation, like a single-digit-millisecond GetItem/PutItem/Query) and a
 * count of operations. Same conditional-write semantics as the DynamoDB store for what the
 * reaper uses (version-checked updates, ifAbsent records with TTL, newer-only run updates).
 */
import { ConflictError } from '../../shared/core/errors.js'
import type { ApiKey, Container, DomainEvent, Run } from '../../shared/core/model.js'
import type { Clock, Store, TaskDefinitionRecord } from '../../shared/core/ports.js'

const copy = <T>(v: T): T => structuredClone(v)

export class MemoryStore implements Store {
  readonly ops = new Map<string, number>()
  private readonly containers = new Map<string, Container>()
  private readonly runs = new Map<string, Run>()
  private readonly refs = new Map<string, string>()
  private readonly records = new Map<string, { value: object; expires?: number }>()
  private readonly events: DomainEvent[] = []

  /** Milliseconds each operation sleeps (0: none, e.g. while seeding). */
  latency: () => number = () => 0

  constructor(private readonly clock: Clock) {}

  totalOps(): number {
    return [...this.ops.values()].reduce((a, b) => a + b, 0)
  }

  resetOps(): void {
    this.ops.clear()
  }

  private async op(name: string): Promise<void> {
    this.ops.set(name, (this.ops.get(name) ?? 0) + 1)
    const ms = this.latency()
    if (ms > 0) await new Promise((r) => setTimeout(r, ms))
  }

  private now(): number {
    return this.clock.now().getTime() / 1000
  }

  /** Seeds without latency or counting. */
  seedContainer(c: Container): void {
    this.containers.set(`${c.namespace}/${c.id}`, copy(c))
  }

  seedRun(r: Run): void {
    this.runs.set(`${r.containerId}/${r.number}`, copy(r))
    if (r.ref) this.refs.set(r.ref, `${r.containerId}/${r.number}`)
  }

  async claimName(): Promise<void> {
    await this.op('claimName')
  }
  async releaseName(): Promise<void> {
    await this.op('releaseName')
  }
  async nameOwner(): Promise<string | undefined> {
    await this.op('nameOwner')
    return undefined
  }
  async createContainer(c: Container): Promise<void> {
    await this.op('createContainer')
    this.seedContainer({ ...c, version: 1 })
  }
  async getContainer(namespace: string, id: string): Promise<Container | undefined> {
    await this.op('getContainer')
    const c = this.containers.get(`${namespace}/${id}`)
    return c && copy(c)
  }
  async findByIdPrefix(namespace: string, prefix: string): Promise<Container[]> {
    await this.op('findByIdPrefix')
    return [...this.containers.values()].filter((c) => c.namespace === namespace && c.id.startsWith(prefix)).map(copy)
  }
  async listContainers(namespace: string): Promise<Container[]> {
    await this.op('listContainers')
    return [...this.containers.values()].filter((c) => c.namespace === namespace).map(copy)
  }
  async listActiveContainers(): Promise<Container[]> {
    // One Query per 1 MB page: about 2 KB per container item.
    const pages = Math.max(1, Math.ceil(this.containers.size / 500))
    for (let i = 0; i < pages; i++) await this.op('listActiveContainers')
    return [...this.containers.values()].filter((c) => c.state.running || c.restartAt !== undefined).map(copy)
  }
  async updateContainer(next: Container, expectedVersion: number): Promise<Container> {
    await this.op('updateContainer')
    const key = `${next.namespace}/${next.id}`
    const cur = this.containers.get(key)
    if (!cur || cur.version !== expectedVersion) throw new ConflictError(`container ${next.id} changed (expected version ${expectedVersion})`)
    const stored = { ...copy(next), version: expectedVersion + 1 }
    this.containers.set(key, stored)
    return copy(stored)
  }
  async deleteContainer(namespace: string, id: string): Promise<void> {
    await this.op('deleteContainer')
    this.containers.delete(`${namespace}/${id}`)
  }

  async putRun(run: Run): Promise<void> {
    await this.op('putRun')
    this.seedRun(run)
  }
  async getRun(containerId: string, number: number): Promise<Run | undefined> {
    await this.op('getRun')
    const r = this.runs.get(`${containerId}/${number}`)
    return r && copy(r)
  }
  async listRuns(containerId: string): Promise<Run[]> {
    await this.op('listRuns')
    return [...this.runs.values()].filter((r) => r.containerId === containerId).map(copy)
  }
  async getRunByRef(ref: string): Promise<Run | undefined> {
    await this.op('getRunByRef')
    const key = this.refs.get(ref)
    const r = key ? this.runs.get(key) : undefined
    return r && copy(r)
  }
  async updateRunIfNewer(next: Run, allowEqual?: boolean): Promise<boolean> {
    await this.op('updateRunIfNewer')
    const cur = this.runs.get(`${next.containerId}/${next.number}`)
    if (cur && (allowEqual ? cur.eventVersion > next.eventVersion : cur.eventVersion >= next.eventVersion)) return false
    this.seedRun(next)
    return true
  }
  async deleteRuns(containerId: string): Promise<void> {
    await this.op('deleteRuns')
    for (const k of [...this.runs.keys()]) if (k.startsWith(`${containerId}/`)) this.runs.delete(k)
  }

  async getTaskDefinition(): Promise<TaskDefinitionRecord | undefined> {
    await this.op('getTaskDefinition')
    return undefined
  }
  async putTaskDefinition(): Promise<void> {
    await this.op('putTaskDefinition')
  }
  async deleteTaskDefinition(): Promise<void> {
    await this.op('deleteTaskDefinition')
  }

  async putKey(): Promise<void> {
    await this.op('putKey')
  }
  async getKeyByHash(): Promise<ApiKey | undefined> {
    await this.op('getKeyByHash')
    return undefined
  }
  async listKeys(): Promise<ApiKey[]> {
    await this.op('listKeys')
    return []
  }
  async deleteKey(): Promise<void> {
    await this.op('deleteKey')
  }

  async claimIdempotency(): Promise<{ claimed: true }> {
    await this.op('claimIdempotency')
    return { claimed: true }
  }
  async completeIdempotency(): Promise<void> {
    await this.op('completeIdempotency')
  }
  async abandonIdempotency(): Promise<void> {
    await this.op('abandonIdempotency')
  }

  async appendEvent(event: DomainEvent): Promise<void> {
    await this.op('appendEvent')
    this.events.push(copy(event))
  }
  async listEvents(namespace: string): Promise<DomainEvent[]> {
    await this.op('listEvents')
    return this.events.filter((e) => e.namespace === namespace).map(copy)
  }

  private live(key: string): { value: object; expires?: number } | undefined {
    const rec = this.records.get(key)
    return rec && (rec.expires === undefined || rec.expires > this.now()) ? rec : undefined
  }

  async putRecord<T extends object>(kind: string, namespace: string, id: string, value: T, options: { ifAbsent?: boolean; ttlSeconds?: number } = {}): Promise<void> {
    await this.op('putRecord')
    const key = `${kind}/${namespace}/${id}`
    if (options.ifAbsent && this.live(key)) throw new ConflictError(`${kind} "${id}" already exists`)
    this.records.set(key, { value: copy(value), expires: options.ttlSeconds === undefined ? undefined : this.now() + options.ttlSeconds })
  }
  async getRecord<T extends object>(kind: string, namespace: string, id: string): Promise<T | undefined> {
    await this.op('getRecord')
    const rec = this.live(`${kind}/${namespace}/${id}`)
    return rec && (copy(rec.value) as T)
  }
  async listRecords<T extends object>(kind: string, namespace: string): Promise<T[]> {
    await this.op('listRecords')
    const prefix = `${kind}/${namespace}/`
    return [...this.records.keys()].filter((k) => k.startsWith(prefix) && this.live(k)).sort().map((k) => copy(this.records.get(k)!.value) as T)
  }
  async deleteRecord(kind: string, namespace: string, id: string): Promise<void> {
    await this.op('deleteRecord')
    this.records.delete(`${kind}/${namespace}/${id}`)
  }
}
