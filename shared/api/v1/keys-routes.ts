/** /v1/keys: API keys of the caller's namespace (any namespace for the root key). Scope: admin. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { ConflictError, ForbiddenError } from '../../core/errors.js'
import { checkNamespace, SCOPES } from '../../core/key-service.js'
import type { ApiKey, Scope } from '../../core/model.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { problemResponses } from './problem.js'
import type { ScopeGuard } from './scopes.js'

const SCOPE_VALUES = SCOPES as unknown as readonly [Scope, ...Scope[]]

export const KeySchema = z
  .object({
    id: z.string().openapi({ example: 'key_3f9a1c0b2d4e' }),
    namespace: z.string(),
    scopes: z.array(z.enum(SCOPE_VALUES)),
    description: z.string().optional(),
    root: z.boolean().optional().openapi({ description: 'The bootstrap admin key (managed in Secrets Manager)' }),
    createdAt: z.string(),
    lastUsedAt: z.string().optional(),
  })
  .openapi('ApiKey')

const CreatedKeySchema = KeySchema.extend({
  key: z.string().openapi({ description: 'The secret: shown once, send it as `Authorization: Bearer <key>`', example: 'fgd_…' }),
}).openapi('CreatedApiKey')

const CreateKeySchema = z
  .strictObject({
    scopes: z.array(z.enum(SCOPE_VALUES, { error: 'scopes are read, write and admin' })).min(1, 'give at least one scope: read, write or admin'),
    description: z.string().max(256).optional(),
    namespace: z.string().optional().openapi({ description: "Default: the caller's namespace; another one needs the root key" }),
  })
  .openapi('CreateApiKey')

const NamespaceQuerySchema = z.object({
  namespace: z.string().optional().openapi({ description: "Default: the caller's namespace; another one needs the root key" }),
})

const KeyParamsSchema = z.object({
  id: z.string().regex(/^key_[0-9a-f]{12}$/, 'a key id looks like key_ followed by 12 hex characters').openapi({ param: { name: 'id', in: 'path' }, example: 'key_3f9a1c0b2d4e' }),
})

/** Never the hash, never the secret. */
export function toKeyView(k: ApiKey): z.infer<typeof KeySchema> {
  return { id: k.id, namespace: k.namespace, scopes: k.scopes, description: k.description, root: k.root, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt }
}

/** The namespace a key request acts on: the caller's, or any for the root key. */
function targetNamespace(caller: ApiKey, requested: string | undefined): string {
  if (requested === undefined || requested === caller.namespace) return caller.namespace
  if (!caller.root) throw new ForbiddenError(`this key belongs to namespace "${caller.namespace}"; only the root (bootstrap) key manages keys of other namespaces`)
  return checkNamespace(requested)
}

export function registerKeyRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, scope: ScopeGuard): void {
  const { keys } = deps

  app.openapi(
    createRoute({
      method: 'post', path: '/keys', tags: ['keys'], operationId: 'createKey', summary: 'Create an API key',
      description: 'The secret is in the response and nowhere else: store it now. Scope: admin.',
      ...scope('admin'),
      request: { body: { required: true, content: { 'application/json': { schema: CreateKeySchema } } } },
      responses: {
        201: { description: 'The key, with its secret', content: { 'application/json': { schema: CreatedKeySchema } } },
        ...problemResponses(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const namespace = targetNamespace(c.get('auth'), body.namespace)
      const { secret, key } = await keys.create(namespace, body.scopes, body.description)
      return c.json({ ...toKeyView(key), key: secret }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/keys', tags: ['keys'], operationId: 'listKeys', summary: 'List API keys',
      description: 'Ids, scopes and descriptions; never secrets or hashes. Scope: admin.',
      ...scope('admin'),
      request: { query: NamespaceQuerySchema },
      responses: {
        200: { description: 'The keys', content: { 'application/json': { schema: z.object({ keys: z.array(KeySchema) }) } } },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const namespace = targetNamespace(c.get('auth'), c.req.valid('query').namespace)
      return c.json({ keys: (await keys.list(namespace)).map(toKeyView) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete', path: '/keys/{id}', tags: ['keys'], operationId: 'deleteKey', summary: 'Revoke an API key',
      description: 'The root key is managed in Secrets Manager and cannot be revoked here (409). Scope: admin.',
      ...scope('admin'),
      request: { params: KeyParamsSchema, query: NamespaceQuerySchema },
      responses: { 204: { description: 'Revoked' }, ...problemResponses(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const namespace = targetNamespace(c.get('auth'), c.req.valid('query').namespace)
      const { id } = c.req.valid('param')
      const target = (await keys.list(namespace)).find((k) => k.id === id)
      if (target?.root) throw new ConflictError('the root key is the bootstrap admin key: rotate its secret in Secrets Manager instead')
      await keys.remove(namespace, id)
      return c.body(null, 204)
    },
  )
}
