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
  /** Writes of one container, or of one container's runs, go one at a time. */
  private readonly locks = new Map<string, Promise<unknown>>()

  constructor(private readonly inner: Store) {}

  /**
   * Runs `write` after the earlier writes under `key` settle, so the cache takes each item's
   * writes in the order the store committed them and never runs ahead of it (the fail-fast
   * answers below rely on that).
   */
  private serialized<T>(key: string, write: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve()
    const result = previous.then(write, write)
    const tail = result.catch(() => undefined)
    this.locks.set(key, tail)
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key)
    })
    return result
  }

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

  createContainer(container: Container): Promise<void> {
    return this.serialized(`c:${container.id}`, async () => {
      const map = await this.namespace(container.namespace)
      await this.inner.createContainer(container)
      map.set(container.id, structuredClone({ ...container, version: 1 }))
      // A new container has no runs yet: nothing to load on its first start.
      if (!this.runs.has(container.id)) this.runs.set(container.id, Promise.resolve(new Map()))
    })
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

  updateContainer(next: Container, expectedVersion: number): Promise<Container> {
    return this.serialized(`c:${next.id}`, async () => {
      const map = await this.namespace(next.namespace)
      // A newer cached version means the store's condition fails too: answered without the round trip.
      const cached = map.get(next.id)
      if (cached && cached.version > expectedVersion) throw conflict(next.id, expectedVersion)
      try {
        const stored = await this.inner.updateContainer(next, expectedVersion)
        map.set(stored.id, structuredClone(stored))
        return stored
      } catch (err) {
        await this.reloadContainer(next.namespace, next.id, map)
        throw err
      }
    })
  }

  /** After a failed write: the item as stored, or (when even that read fails) a reload of the namespace on next use. */
  private async reloadContainer(ns: string, id: string, map: Map<string, Container>): Promise<void> {
    try {
      const fresh = await this.inner.getContainer(ns, id)
      if (fresh) map.set(fresh.id, fresh)
      else map.delete(id)
    } catch {
      this.containers.delete(ns)
    }
  }

  deleteContainer(ns: string, id: string): Promise<void> {
    return this.serialized(`c:${id}`, async () => {
      const map = await this.namespace(ns)
      await this.inner.deleteContainer(ns, id)
      map.delete(id)
    })
  }

  // runs ───────────────────
  putRun(run: Run): Promise<void> {
    return this.serialized(`r:${run.containerId}`, async () => {
      const map = await this.runsOf(run.containerId)
      await this.inner.putRun(run)
      this.keepRun(map, run)
    })
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
    // Loading the container's runs brings this one too (a read never overwrites a cached write).
    const map = await this.runsOf(run.containerId)
    if (!map.has(run.number)) await this.serialized(`r:${run.containerId}`, async () => void (map.has(run.number) || this.keepRun(map, run)))
    return this.getRun(run.containerId, run.number)
  }

  updateRunIfNewer(next: Run, allowEqual?: boolean): Promise<boolean> {
    return this.serialized(`r:${next.containerId}`, async () => {
      const map = await this.runsOf(next.containerId)
      const cached = map.get(next.number)
      if (cached && (allowEqual ? cached.eventVersion > next.eventVersion : cached.eventVersion >= next.eventVersion)) return false
      const written = await this.inner.updateRunIfNewer(next, allowEqual)
      if (written) this.keepRun(map, next)
      else {
        const fresh = await this.inner.getRun(next.containerId, next.number).catch(() => undefined)
        if (fresh) this.keepRun(map, fresh)
        else this.runs.delete(next.containerId)
      }
      return written
    })
  }

  deleteRuns(containerId: string): Promise<void> {
    return this.serialized(`r:${containerId}`, async () => {
      const map = await this.runsOf(containerId)
      await this.inner.deleteRuns(containerId)
      for (const r of map.values()) if (r.ref) this.refs.delete(r.ref)
      this.runs.delete(containerId)
    })
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
