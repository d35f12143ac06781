import type { Clock, ComputeBackend, Store } from './ports.js'

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
