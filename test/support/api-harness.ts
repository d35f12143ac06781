import { ContainerService } from '../../shared/core/container-service.js'
import { KeyService } from '../../shared/core/key-service.js'
import type { Clock, ComputeBackend } from '../../shared/core/ports.js'
import { systemClock } from '../../shared/core/ports.js'
import { createApp } from '../../shared/api/app.js'
import type { ApiDeps } from '../../shared/api/context.js'
import { startTestStore } from './dynalite.js'
import { FakeBackend } from './fake-backend.js'

export const ROOT_KEY = 'fgd_test-root-admin-key'

/**
 * The real app on a real (in-process dynalite) store and a given backend (FakeBackend by
 * default). `request(path, init)` calls the app in-process with the root admin key unless
 * the init sets its own Authorization header.
 */
export async function startApiHarness(options: { backend?: ComputeBackend; clock?: Clock; pollIntervalMs?: number } = {}) {
  const { store, close } = await startTestStore()
  const backend = options.backend ?? new FakeBackend()
  const clock = options.clock ?? systemClock
  const containers = new ContainerService({ store, backend, clock, pollIntervalMs: options.pollIntervalMs ?? 20 })
  const keys = new KeyService(store, clock)
  await keys.ensure(ROOT_KEY, 'default', 'test root key')
  const deps: ApiDeps = { containers, keys, store, backend, clock, mode: 'local', version: 'test' }
  const app = createApp(deps)
  const request = (path: string, init: RequestInit & { json?: unknown; key?: string | null } = {}) => {
    const headers = new Headers(init.headers)
    if (init.key !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${init.key ?? ROOT_KEY}`)
    let body = init.body
    if (init.json !== undefined) {
      body = JSON.stringify(init.json)
      headers.set('content-type', 'application/json')
    }
    return app.request(`http://localhost${path}`, { ...init, headers, body })
  }
  return { app, deps, store, backend, containers, keys, request, close }
}
