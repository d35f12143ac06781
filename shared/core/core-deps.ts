import type { Container } from './model.js'
import type { Clock, ComputeBackend, Store } from './ports.js'
import type { StartGate } from './start-gate.js'

/** What the core's services need; built once per process by the composition root. */
export interface CoreDeps {
  store: Store
  backend: ComputeBackend
  clock: Clock
  /** How often wait/follow poll the store, ms (local mode polls faster). */
  pollIntervalMs?: number
  /**
   * How long an exited `--rm` container stays before it is removed, so attached clients and
   * waiters read its output and exit code first. @default 2000
   */
  autoRemoveGraceMs?: number
  /** Starts in flight in this process; observations of those containers wait for them (local engine events). */
  starts?: StartGate
}

/** Retries an optimistic read-modify-write a few times on version conflicts. */
export async function withRetries<T>(attempts: number, fn: () => Promise<T>): Promise<T> {
  let last: unknown
  for (let i = 0; i < attempts; i++) {
    try {
      return await fn()
    } catch (err) {
      if (!(err instanceof Error) || (err as { code?: string }).code !== 'conflict') throw err
      last = err
    }
  }
  throw last
}

/**
 * Re-reads a container and stores `change(fresh)` under the version rule, retrying on a
 * conflict. A change that returns `fresh` itself writes nothing. A container that is gone is
 * changed from the copy the caller had (the write then fails as the store decides).
 */
export function updateFresh(deps: Pick<CoreDeps, 'store'>, c: Pick<Container, 'namespace' | 'id'> & Partial<Container>, change: (fresh: Container) => Container): Promise<Container> {
  return withRetries(5, async () => {
    const fresh = (await deps.store.getContainer(c.namespace, c.id)) ?? (c as Container)
    const next = change(fresh)
    return next === fresh ? fresh : deps.store.updateContainer(next, fresh.version)
  })
}
