/**
 * /v1/hooks: CI hooks of the caller's namespace. The secret (or Docker Hub URL token) is in
 * the create and rotate responses only. Mount with `app.route('/', hooksRoutes(deps))` after
 * the key check; needs `deps.extras.hooks` (a HookService).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { UnsupportedError } from '../../core/errors.js'
import { CreateHookSchema, HOOK_KINDS, HookActionSchema, HookFiltersSchema, HookService, toHookView, type Hook } from '../../core/hooks/index.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { problemOnError, problemResponses, validationHook } from './problem.js'
import { scopeGuard } from './scopes.js'

const JSON_TYPE = 'application/json'

export const HookViewSchema = z
  .object({
    id: z.string().openapi({ example: 'hk_5b0c9e2f4a7d4c1e8f3a6b9d2c5e8f1a' }),
    namespace: z.string(),
    kind: z.enum(HOOK_KINDS),
    action: HookActionSchema,
    filters: HookFiltersSchema,
    description: z.string().optional(),
    createdAt: z.string(),
    rotatedAt: z.string().optional(),
    url: z.string().openapi({ description: 'Where the sender posts deliveries (no API key: the signature authenticates)' }),
  })
  .openapi('Hook')

const HookWithSecretSchema = HookViewSchema.extend({
  secret: z.string().openapi({ description: 'Shown once. GitHub: the webhook secret; GitLab: the secret token; Standard Webhooks: the whsec_ signing secret; Docker Hub: already in `url` as ?token=' }),
}).openapi('HookWithSecret')

const DeliverySchema = z
  .object({
    hookId: z.string(),
    deliveryId: z.string(),
    event: z.string(),
    receivedAt: z.string(),
    status: z.enum(['processing', 'succeeded', 'ignored', 'failed']),
    outcome: z.string().openapi({ example: 'ran container ci-1f3a9c2e' }),
    containers: z.array(z.object({ id: z.string(), name: z.string(), outcome: z.string() })).optional(),
  })
  .openapi('HookDelivery')

const HookParamsSchema = z.object({
  id: z.string().regex(/^hk_[0-9a-f]{32}$/, 'a hook id looks like hk_ followed by 32 hex characters').openapi({ param: { name: 'id', in: 'path' } }),
})

const RotateQuerySchema = z.object({
  immediate: z.enum(['true', 'false']).optional().openapi({ description: 'true: the old secret stops working now (default: it keeps working for 24 h)' }),
})

/** The HookService the composition root put in `extras.hooks`. */
export function hookServiceOf(deps: ApiDeps): HookService {
  const service = deps.extras?.hooks
  if (!(service instanceof HookService)) throw new UnsupportedError('CI hooks are not configured on this server')
  return service
}

/** The public receiver URL of a hook (Docker Hub's carries its token). */
export function hookUrl(c: Context<AppEnv>, deps: ApiDeps, hook: Hook, token?: string): string {
  const base = typeof deps.extras?.publicUrl === 'string' ? deps.extras.publicUrl.replace(/\/+$/, '') : new URL(c.req.url).origin
  return `${base}/v1/webhooks/${hook.id}${hook.kind === 'dockerhub' && token ? `?token=${encodeURIComponent(token)}` : ''}`
}

export function hooksRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.onError(problemOnError)
  const scope = scopeGuard(deps.keys)
  const ns = (c: Context<AppEnv>) => c.get('auth').namespace

  app.openapi(
    createRoute({
      method: 'post', path: '/hooks', tags: ['hooks'], operationId: 'createHook', summary: 'Create a CI hook',
      description: 'kind: github | gitlab | standard | dockerhub; action: `{type: run, spec}` (a one-off container per delivery) or `{type: redeploy, selector}` (roll out the selected running containers); filters: repo, branch, event, workflow, tag. The secret is in this response only. Scope: write.',
      ...scope('write'),
      request: { body: { required: true, content: { [JSON_TYPE]: { schema: CreateHookSchema.openapi('CreateHook') } } } },
      responses: { 201: { description: 'The hook and its secret', content: { [JSON_TYPE]: { schema: HookWithSecretSchema } } }, ...problemResponses(400, 401, 403, 409, 413, 415) },
    }),
    async (c) => {
      const { hook, secret } = await hookServiceOf(deps).create(ns(c), c.req.valid('json'))
      return c.json({ ...toHookView(hook), url: hookUrl(c, deps, hook, secret), secret }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/hooks', tags: ['hooks'], operationId: 'listHooks', summary: 'List CI hooks',
      description: "The namespace's hooks, without secrets. Scope: read.",
      ...scope('read'),
      responses: { 200: { description: 'The hooks', content: { [JSON_TYPE]: { schema: z.object({ hooks: z.array(HookViewSchema) }) } } }, ...problemResponses(401, 403) },
    }),
    async (c) => {
      const hooks = await hookServiceOf(deps).list(ns(c))
      return c.json({ hooks: hooks.map((h) => ({ ...toHookView(h), url: hookUrl(c, deps, h) })) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/hooks/{id}', tags: ['hooks'], operationId: 'getHook', summary: 'Inspect a CI hook',
      description: 'Without its secret. Scope: read.',
      ...scope('read'),
      request: { params: HookParamsSchema },
      responses: { 200: { description: 'The hook', content: { [JSON_TYPE]: { schema: HookViewSchema } } }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const hook = await hookServiceOf(deps).get(ns(c), c.req.valid('param').id)
      return c.json({ ...toHookView(hook), url: hookUrl(c, deps, hook) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete', path: '/hooks/{id}', tags: ['hooks'], operationId: 'deleteHook', summary: 'Delete a CI hook',
      description: 'Deliveries to it answer 404 from now on. Scope: write.',
      ...scope('write'),
      request: { params: HookParamsSchema },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      await hookServiceOf(deps).remove(ns(c), c.req.valid('param').id)
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/hooks/{id}/rotate', tags: ['hooks'], operationId: 'rotateHookSecret', summary: 'Rotate a hook secret',
      description: 'A new secret, shown once. The previous one keeps verifying for 24 h (unless immediate=true) so the sender can be updated. Scope: write.',
      ...scope('write'),
      request: { params: HookParamsSchema, query: RotateQuerySchema },
      responses: { 200: { description: 'The hook and its new secret', content: { [JSON_TYPE]: { schema: HookWithSecretSchema } } }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { hook, secret } = await hookServiceOf(deps).rotate(ns(c), c.req.valid('param').id, { immediate: c.req.valid('query').immediate === 'true' })
      return c.json({ ...toHookView(hook), url: hookUrl(c, deps, hook, secret), secret }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/hooks/{id}/deliveries', tags: ['hooks'], operationId: 'listHookDeliveries', summary: "A hook's deliveries",
      description: 'Each authenticated delivery of the last 7 days and what came of it, newest first. Deliveries that fail authentication are refused (401) and not recorded. Scope: read.',
      ...scope('read'),
      request: { params: HookParamsSchema },
      responses: { 200: { description: 'The deliveries', content: { [JSON_TYPE]: { schema: z.object({ deliveries: z.array(DeliverySchema) }) } } }, ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => c.json({ deliveries: await hookServiceOf(deps).deliveries(ns(c), c.req.valid('param').id) }, 200),
  )
  return app
}
