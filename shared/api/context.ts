import type { ApiKey } from '../core/model.js'
import type { ContainerService } from '../core/container-service.js'
import type { KeyService } from '../core/key-service.js'
import type { Clock, ComputeBackend, Store } from '../core/ports.js'

/** Everything the HTTP layer needs, built by the composition root (Lambda or local mode). */
export interface ApiDeps {
  containers: ContainerService
  keys: KeyService
  store: Store
  backend: ComputeBackend
  clock: Clock
  /** Where this API runs, for /healthz, docker version and info. */
  mode: 'aws' | 'local'
  version: string
  /** The host address published ports bind to (local mode); Docker's `0.0.0.0` when unset. */
  publishHost?: string
  /** Request bodies above this many bytes are refused with 413. */
  maxBodyBytes?: number
  /** Optional services other features add (registry credentials, hooks, usage, …). */
  extras?: Record<string, unknown>
}

/** Typed context variables set by the auth middleware. */
export type AppEnv = {
  Variables: {
    auth: ApiKey
  }
}
