/**
 * /v1/registry: push credentials (`docker login` for the namespace's repositories) and, in
 * local mode, the local registry's notification endpoint (pushes → redeploys of tracking
 * containers). Mount after the key check with `app.route('/', registryRoutes(deps))`. Needs
 * `deps.extras.registryCredentials` (a RegistryCredentialsProvider) for credentials and
 * `deps.extras.rollouts` (a RolloutService) for notifications; `deps.extras.registryHost`
 * names the local registry as containers write it (default: the notification's Host).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { ForbiddenError, UnsupportedError } from '../../core/errors.js'
import type { RegistryCredentialsProvider } from '../../core/images/registry-credentials.js'
import { ingestRegistryNotification } from '../../core/images/registry-notifications.js'
import { RolloutService } from '../../core/rollout/index.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { problemOnError, problemResponses, validationHook } from './problem.js'
import { scopeGuard } from './scopes.js'

const JSON_TYPE = 'application/json'

const CredentialsRequestSchema = z
  .strictObject({
    repositories: z
      .array(z.string().regex(/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/, 'repository names are lowercase letters, digits and . _ - separators, with / between parts'))
      .max(20)
      .optional()
      .openapi({ description: 'Repositories (inside the namespace) to create now if missing, so the push finds them', example: ['app'] }),
  })
  .openapi('RegistryCredentialsRequest')

const CredentialsSchema = z
  .object({
    serverAddress: z.string().openapi({ example: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' }),
    username: z.string().openapi({ example: 'AWS' }),
    password: z.string().openapi({ description: 'Short-lived; pipe it to `docker login --password-stdin`' }),
    expiresAt: z.string(),
    repositoryPrefix: z.string().openapi({ description: 'Tag images as <repositoryPrefix>/<name>:<tag>', example: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/fargated/team-a' }),
  })
  .openapi('RegistryCredentials')

const PushResultSchema = z.object({
  pushes: z.array(z.object({ repository: z.string(), tag: z.string(), digest: z.string() })),
  rollouts: z.array(z.object({ namespace: z.string(), containerId: z.string(), name: z.string(), outcome: z.string(), reason: z.string().optional() })),
})

function credentialsOf(deps: ApiDeps): RegistryCredentialsProvider {
  const provider = deps.extras?.registryCredentials as Partial<RegistryCredentialsProvider> | undefined
  if (typeof provider?.issue !== 'function') {
    throw new UnsupportedError('push credentials come from the AWS deployment (ECR); locally, push to the local registry with the docker CLI instead')
  }
  return provider as RegistryCredentialsProvider
}

function rolloutsOf(deps: ApiDeps): RolloutService {
  const service = deps.extras?.rollouts
  if (!(service instanceof RolloutService)) throw new UnsupportedError('registry notifications are not configured on this server')
  return service
}

export function registryRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.onError(problemOnError)
  const scope = scopeGuard(deps.keys)

  app.openapi(
    createRoute({
      method: 'post', path: '/registry/credentials', tags: ['registry'], operationId: 'createRegistryCredentials', summary: 'Get push credentials',
      description: "A short-lived `docker login` credential that can push and pull only the namespace's repositories (an STS session limited to them, then an ECR token). Scope: write.",
      ...scope('write'),
      request: { body: { required: false, content: { [JSON_TYPE]: { schema: CredentialsRequestSchema } } } },
      responses: { 200: { description: 'The credential', content: { [JSON_TYPE]: { schema: CredentialsSchema } } }, ...problemResponses(400, 401, 403, 429, 501, 502) },
    }),
    async (c) => {
      const provider = credentialsOf(deps)
      const body = /json/i.test(c.req.header('content-type') ?? '') ? c.req.valid('json') : {}
      return c.json(await provider.issue(c.get('auth').namespace, { repositories: body.repositories }), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/registry/notifications', tags: ['registry'], operationId: 'receiveRegistryNotifications', summary: 'Receive local registry notifications',
      description: 'The endpoint a local Docker registry (distribution) posts its notification envelopes to (v1 or v2 media type). Tagged manifest pushes become image-pushed events; tracking containers are redeployed. Local mode only; configure the registry to send `Authorization: Bearer <root key>`. Scope: write (root key).',
      ...scope('write'),
      responses: { 202: { description: 'Accepted', content: { [JSON_TYPE]: { schema: PushResultSchema } } }, ...problemResponses(400, 401, 403, 413, 501) },
    }),
    async (c) => {
      // A registry notification names no namespace: it can move every namespace's tracking
      // containers, so only local mode takes it, and only from the root key.
      if (deps.mode !== 'local') throw new UnsupportedError('registry notifications are for local mode; on AWS, ECR push events arrive through EventBridge')
      if (!c.get('auth').root) throw new ForbiddenError('registry notifications need the root admin key (the bootstrap key)')
      const rollouts = rolloutsOf(deps)
      const registryHost = typeof deps.extras?.registryHost === 'string' ? deps.extras.registryHost : undefined
      const { pushes, rollouts: results } = await ingestRegistryNotification(rollouts, await c.req.text(), { registryHost })
      return c.json({
        pushes: pushes.map(({ repository, tag, digest }) => ({ repository, tag, digest })),
        rollouts: results.map(({ namespace, containerId, name, outcome, reason }) => ({ namespace, containerId, name, outcome, ...(reason ? { reason } : {}) })),
      }, 202)
    },
  )
  return app
}
