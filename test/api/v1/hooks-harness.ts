/**
 * The API harness with the hook, receiver and registry sub-apps mounted the way /v1 mounts
 * them: the receiver before the key check, the others after it.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import { sign } from '@octokit/webhooks-methods'
import { authenticate } from '../../../shared/api/auth.js'
import type { AppEnv } from '../../../shared/api/context.js'
import { problemOnError } from '../../../shared/api/v1/problem.js'
import { hooksRoutes } from '../../../shared/api/v1/hooks-routes.js'
import { registryRoutes } from '../../../shared/api/v1/registry-routes.js'
import { webhookReceiverRoutes } from '../../../shared/api/v1/webhooks-routes.js'
import { DeliveryService, HookService } from '../../../shared/core/hooks/index.js'
import type { RegistryCredentialsProvider } from '../../../shared/core/images/registry-credentials.js'
import { localRepositoryNaming, RolloutService } from '../../../shared/core/rollout/index.js'
import { startApiHarness } from '../../support/api-harness.js'
import { FakeBackend } from '../../support/fake-backend.js'

export async function startHooksHarness(options: { registryCredentials?: RegistryCredentialsProvider; maxWebhookBytes?: number } = {}) {
  const backend = new FakeBackend()
  const base = await startApiHarness({ backend })
  const { deps, store } = base
  const hooks = new HookService(store, deps.clock)
  const rollouts = new RolloutService({ store, backend, clock: deps.clock, naming: localRepositoryNaming, pollIntervalMs: 1, sleep: async () => undefined })
  const deliveries = new DeliveryService({ store, clock: deps.clock, hooks, containers: deps.containers, rollouts })
  deps.extras = { hooks, deliveries, rollouts, registryCredentials: options.registryCredentials, maxWebhookBytes: options.maxWebhookBytes }
  const v1 = new OpenAPIHono<AppEnv>()
  v1.onError(problemOnError)
  v1.route('/', webhookReceiverRoutes(deps))
  v1.use('*', authenticate(deps.keys))
  v1.route('/', hooksRoutes(deps))
  v1.route('/', registryRoutes(deps))
  const app = new OpenAPIHono<AppEnv>()
  app.route('/v1', v1)

  const request = (path: string, init: RequestInit & { json?: unknown; key?: string | null } = {}) => {
    const headers = new Headers(init.headers)
    if (init.key !== null && init.key !== undefined) headers.set('authorization', `Bearer ${init.key}`)
    let body = init.body
    if (init.json !== undefined) {
      body = JSON.stringify(init.json)
      headers.set('content-type', 'application/json')
    }
    return app.request(`http://localhost${path}`, { ...init, headers, body })
  }
  /** An API key of a namespace. */
  const keyFor = async (namespace: string, scopes: ('read' | 'write' | 'admin')[] = ['write']) => (await base.keys.create(namespace, scopes)).secret
  /** Creates a hook through the API; returns its id, secret and url. */
  const createHook = async (key: string, body: unknown) => {
    const res = await request('/v1/hooks', { method: 'POST', key, json: body })
    if (res.status !== 201) throw new Error(`create hook: ${res.status} ${await res.text()}`)
    return (await res.json()) as { id: string; secret: string; url: string }
  }
  /** Posts a GitHub delivery signed with `secret`. */
  const github = async (hookId: string, secret: string, event: string, payload: unknown, delivery: string, extra: Record<string, string> = {}) => {
    const body = JSON.stringify(payload)
    return request(`/v1/webhooks/${hookId}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': await sign(secret, body), ...extra },
    })
  }
  return { ...base, backend, hooks, rollouts, deliveries, app, request, keyFor, createHook, github }
}

export type HooksHarness = Awaited<ReturnType<typeof startHooksHarness>>

export const workflowSuccess = (extra: Record<string, unknown> = {}) => ({
  action: 'completed',
  workflow_run: { name: 'build', head_branch: 'main', head_sha: 'abc123', conclusion: 'success', ...extra },
  repository: { full_name: 'acme/app' },
})

export interface Receipt {
  deliveryId: string
  status: string
  outcome: string
  containers: { id: string; name: string; outcome: string }[]
}

export interface HookBody {
  id: string
  secret: string
  url: string
  kind: string
  namespace: string
}

/** A response body read as T (the tests check its shape). */
export async function read<T = Receipt>(res: Response): Promise<T> {
  return (await res.json()) as T
}
