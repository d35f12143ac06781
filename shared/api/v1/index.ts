/**
 * The native REST API, mounted at /v1 by createApp. Order matters: the public document and
 * docs page come before the body limit and the key check; every other route needs a key and
 * a scope. One validation hook and one error handler shape every error as problem+json.
 */
import { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { requestId } from 'hono/request-id'
import { NotFoundError } from '../../core/errors.js'
import { authenticate } from '../auth.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { registerContainerActionRoutes } from './container-actions-routes.js'
import { registerContainerRoutes } from './containers-routes.js'
import { docsPage } from './docs-page.js'
import { registerEventRoutes } from './events-routes.js'
import { registerImageRoutes } from './images-routes.js'
import { registerKeyRoutes } from './keys-routes.js'
import { registerLogRoutes } from './logs-routes.js'
import { openApiDocument, registerSecurityScheme } from './openapi.js'
import { problemOnError, validationHook } from './problem.js'
import { scopeGuard } from './scopes.js'
import { registerUsageRoutes } from './usage-routes.js'
import { hooksRoutes } from './hooks-routes.js'
import { registryRoutes } from './registry-routes.js'
import { webhookReceiverRoutes } from './webhooks-routes.js'

/** Request bodies above this are refused with 413 unless ApiDeps.maxBodyBytes says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024

/** API Gateway's request id when running in Lambda (it is in the access logs), else a UUID. */
function requestIdOf(c: Context<AppEnv>): string {
  const env = c.env as { event?: { requestContext?: { requestId?: string } } } | undefined
  return env?.event?.requestContext?.requestId ?? crypto.randomUUID()
}

export function nativeRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  app.onError(problemOnError)
  app.use('*', requestId({ generator: requestIdOf }))

  registerSecurityScheme(app)
  const document = openApiDocument(app, deps.version)
  app.get('/openapi.json', (c) => c.json(document(c)))
  app.get('/docs', (c) => {
    const { html, csp } = docsPage()
    return c.html(html, 200, { 'content-security-policy': csp })
  })

  // Webhook deliveries authenticate by the sender's signature (no key) and cap their own body.
  app.route('/', webhookReceiverRoutes(deps))

  app.use(
    '*',
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new HTTPException(413, { message: `the request body is larger than ${maxBytes} bytes; send less` })
      },
    }),
  )
  app.use('*', authenticate(deps.keys))

  const scope = scopeGuard(deps.keys)
  registerContainerRoutes(app, deps, scope)
  registerContainerActionRoutes(app, deps, scope)
  registerLogRoutes(app, deps, scope)
  registerImageRoutes(app, deps, scope)
  registerEventRoutes(app, deps, scope)
  registerKeyRoutes(app, deps, scope)
  registerUsageRoutes(app, deps, scope)
  app.route('/', hooksRoutes(deps))
  app.route('/', registryRoutes(deps))

  app.all('*', (c) => {
    throw new NotFoundError(`no such endpoint: ${c.req.method} ${new URL(c.req.url).pathname}; the operations are listed at /v1/docs`)
  })
  return app
}
