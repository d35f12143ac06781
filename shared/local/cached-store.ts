import type { ApiKey, Container, DomainEvent, Run } from '../core/model.js'
import type { IdempotencyRecord, Store, TaskDefinitionRecord } from '../core/ports.js'
import { ConflictError } from '../core/errors.js'

function conflict(id: string, expectedVersion: number): ConflictError {
  return new ConflictError(`container ${id} was changed concurrently or removed (expected version ${expectedVersion})`)
}

/**
 * Local mode's read model: a write-through cache of containers and runs in front of the
 * embedded store. Local mode is the only writer of its store (one process owns the embedded
 * server), so every write passes here and the cache stays exact; reads of containers and runs
 * cost no store call. A failed conditional write reloads the item from the store. Everything
 * else passes through.
 */
export class CachedStore implements Store {
  private readonly containers = new Map<string, Promise<Map<string, Container>>>()
  private readonly runs = new Map<string, Promise<Map<number, Run>>>()
  private readonly refs = new Map<string, { containerId: string; number: number }>()

  constructor(private readonly inner: Store) {}

  private namespace(ns: string): Promise<Map<string, Container>> {
    let loaded = this.containers.get(ns)
    if (!loaded) {
      loaded = this.inner.listContainers(ns).then((list) => new Map(list.map((c) => [c.id, c])))
      loaded.catch(() => this.containers.delete(ns))
      this.containers.set(ns, loaded)
    }
    return loaded
  }

  private runsOf(containerId: string): Promise<Map<number, Run>> {
    let loaded = this.runs.get(containerId)
    if (!loaded) {
      loaded = this.inner.listRuns(containerId).then((list) => {
        for (const r of list) if (r.ref) this.refs.set(r.ref, { containerId, number: r.number })
        return new Map(list.map((r) => [r.number, r]))
      })
      loaded.catch(() => this.runs.delete(containerId))
      this.runs.set(containerId, loaded)
    }
    return loaded
  }

  private keepRun(map: Map<number, Run>, run: Run): void {
    map.set(run.number, structuredClone(run))
    if (run.ref) this.refs.set(run.ref, { containerId: run.containerId, number: run.number })
  }

  // containers ───────────────────
  claimName(ns: string, name: string, id: string): Promise<void> { return this.inner.claimName(ns, name, id) }
  releaseName(ns: string, name: string, id: string): Promise<void> { return this.inner.releaseName(ns, name, id) }

  async nameOwner(ns: string, name: string): Promise<string | undefined> {
    for (const c of (await this.namespace(ns)).values()) if (c.name === name) return c.id
    return this.inner.nameOwner(ns, name)
  }

  async createContainer(container: Container): Promise<void> {
    const map = await this.namespace(container.namespace)
    await this.inner.createContainer(container)
    map.set(container.id, structuredClone({ ...container, version: 1 }))
    // A new container has no runs yet: nothing to load on its first start.
    if (!this.runs.has(container.id)) this.runs.set(container.id, Promise.resolve(new Map()))
  }

  async getContainer(ns: string, id: string): Promise<Container | undefined> {
    const c = (await this.namespace(ns)).get(id)
    return c && structuredClone(c)
  }

  async findByIdPrefix(ns: string, prefix: string, limit = 2): Promise<Container[]> {
    return [...(await this.namespace(ns)).values()].filter((c) => c.id.startsWith(prefix)).slice(0, limit).map((c) => structuredClone(c))
  }

  async listContainers(ns: string): Promise<Container[]> {
    return [...(await this.namespace(ns)).values()].map((c) => structuredClone(c))
  }

  listActiveContainers(): Promise<Container[]> { return this.inner.listActiveContainers() }

  async updateContainer(next: Container, expectedVersion: number): Promise<Container> {
    const map = await this.namespace(next.namespace)
    // The cache never runs ahead of the store: a newer cached version means the store's
    // condition would fail too, so the conflict is answered without the round trip.
    const cached = map.get(next.id)
    if (cached && cached.version > expectedVersion) throw conflict(next.id, expectedVersion)
    try {
      const stored = await this.inner.updateContainer(next, expectedVersion)
      map.set(stored.id, structuredClone(stored))
      return stored
    } catch (err) {
      const fresh = await this.inner.getContainer(next.namespace, next.id).catch(() => undefined)
      if (fresh) map.set(fresh.id, fresh)
      else map.delete(next.id)
      throw err
    }
  }

  async deleteContainer(ns: string, id: string): Promise<void> {
    const map = await this.namespace(ns)
    await this.inner.deleteContainer(ns, id)
    map.delete(id)
  }

  // runs ───────────────────
  async putRun(run: Run): Promise<void> {
    const map = await this.runsOf(run.containerId)
    await this.inner.putRun(run)
    this.keepRun(map, run)
  }

  async getRun(containerId: string, number: number): Promise<Run | undefined> {
    const run = (await this.runsOf(containerId)).get(number)
    return run && structuredClone(run)
  }

  async listRuns(containerId: string): Promise<Run[]> {
    return [...(await this.runsOf(containerId)).values()].sort((a, b) => a.number - b.number).map((r) => structuredClone(r))
  }

  async getRunByRef(ref: string): Promise<Run | undefined> {
    const known = this.refs.get(ref)
    if (known) return this.getRun(known.containerId, known.number)
    const run = await this.inner.getRunByRef(ref)
    if (!run) return undefined
    this.keepRun(await this.runsOf(run.containerId), run)
    return this.getRun(run.containerId, run.number)
  }

  async updateRunIfNewer(next: Run, allowEqual?: boolean): Promise<boolean> {
    const map = await this.runsOf(next.containerId)
    const cached = map.get(next.number)
    if (cached && (allowEqual ? cached.eventVersion > next.eventVersion : cached.eventVersion >= next.eventVersion)) return false
    const written = await this.inner.updateRunIfNewer(next, allowEqual)
    if (written) this.keepRun(map, next)
    else {
      const fresh = await this.inner.getRun(next.containerId, next.number)
      if (fresh) this.keepRun(map, fresh)
    }
    return written
  }

  async deleteRuns(containerId: string): Promise<void> {
    const map = await this.runsOf(containerId)
    await this.inner.deleteRuns(containerId)
    for (const r of map.values()) if (r.ref) this.refs.delete(r.ref)
    this.runs.delete(containerId)
  }

  // everything else passes through ───────────────────
  getTaskDefinition(ns: string, hash: string): Promise<TaskDefinitionRecord | undefined> { return this.inner.getTaskDefinition(ns, hash) }
  putTaskDefinition(record: TaskDefinitionRecord): Promise<void> { return this.inner.putTaskDefinition(record) }
  deleteTaskDefinition(ns: string, hash: string): Promise<void> { return this.inner.deleteTaskDefinition(ns, hash) }
  putKey(key: ApiKey): Promise<void> { return this.inner.putKey(key) }
  getKeyByHash(hash: string): Promise<ApiKey | undefined> { return this.inner.getKeyByHash(hash) }
  listKeys(ns: string): Promise<ApiKey[]> { return this.inner.listKeys(ns) }
  deleteKey(ns: string, id: string): Promise<void> { return this.inner.deleteKey(ns, id) }
  claimIdempotency(record: IdempotencyRecord) { return this.inner.claimIdempotency(record) }
  completeIdempotency(ns: string, key: string, resultId: string): Promise<void> { return this.inner.completeIdempotency(ns, key, resultId) }
  abandonIdempotency(ns: string, key: string): Promise<void> { return this.inner.abandonIdempotency(ns, key) }
  appendEvent(event: DomainEvent): Promise<void> { return this.inner.appendEvent(event) }
  listEvents(ns: string, since?: string, until?: string): Promise<DomainEvent[]> { return this.inner.listEvents(ns, since, until) }
  putRecord<T extends object>(kind: string, ns: string, id: string, value: T, options?: { ifAbsent?: boolean; ttlSeconds?: number }): Promise<void> {
    return this.inner.putRecord(kind, ns, id, value, options)
  }
  getRecord<T extends object>(kind: string, ns: string, id: string): Promise<T | undefined> { return this.inner.getRecord<T>(kind, ns, id) }
  listRecords<T extends object>(kind: string, ns: string): Promise<T[]> { return this.inner.listRecords<T>(kind, ns) }
  deleteRecord(kind: string, ns: string, id: string): Promise<void> { return this.inner.deleteRecord(kind, ns, id) }
}
