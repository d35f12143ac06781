/**
 * POST /v1/webhooks/{hookId}: CI deliveries. No API key: the sender's signature (or token) is
 * the authentication, checked in the core (DeliveryService) before anything happens. The body
 * is read raw (signatures cover the exact bytes) and capped. Mount BEFORE the /v1 body limit
 * and key check: `app.route('/', webhookReceiverRoutes(deps))`. Needs `deps.extras.deliveries`.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { UnsupportedError } from '../../core/errors.js'
import { DeliveryService, MAX_WEBHOOK_BODY_BYTES } from '../../core/hooks/index.js'
import { readCappedBody } from '../capped-body.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { problemOnError, problemResponses, validationHook } from './problem.js'

const ReceiptSchema = z
  .object({
    deliveryId: z.string(),
    status: z.enum(['processing', 'succeeded', 'ignored', 'failed']),
    outcome: z.string().openapi({ example: 'ran container ci-1f3a9c2e' }),
    containers: z.array(z.object({ id: z.string(), name: z.string(), outcome: z.string() })).optional(),
  })
  .openapi('WebhookReceipt')

function deliveryServiceOf(deps: ApiDeps): DeliveryService {
  const service = deps.extras?.deliveries
  if (!(service instanceof DeliveryService)) throw new UnsupportedError('CI hooks are not configured on this server')
  return service
}

export function webhookReceiverRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.onError(problemOnError)
  const max = typeof deps.extras?.maxWebhookBytes === 'number' ? deps.extras.maxWebhookBytes : MAX_WEBHOOK_BODY_BYTES

  app.openapi(
    createRoute({
      method: 'post', path: '/webhooks/{hookId}', tags: ['hooks'], operationId: 'receiveWebhook', summary: 'Receive a CI delivery',
      description: 'For the sender, not for API clients: no API key. GitHub: X-Hub-Signature-256 (+ X-GitHub-Delivery, X-GitHub-Event); GitLab: X-Gitlab-Token; Standard Webhooks: webhook-id, webhook-timestamp (±5 min), webhook-signature; Docker Hub: ?token= in the URL. A replayed delivery answers 409 and does nothing; a forged or stale one 401; a body over 1 MiB 413.',
      security: [],
      request: { params: z.object({ hookId: z.string().max(64).openapi({ param: { name: 'hookId', in: 'path' } }) }) },
      responses: {
        200: { description: 'Received; nothing to do (ping, an event or filter that does not trigger)', content: { 'application/json': { schema: ReceiptSchema } } },
        202: { description: 'Received; the action started', content: { 'application/json': { schema: ReceiptSchema } } },
        ...problemResponses(400, 401, 404, 409, 413, 429, 502, 503),
      },
    }),
    async (c) => {
      const service = deliveryServiceOf(deps)
      const body = await readCappedBody(c.req.raw, max, 'the delivery')
      const headers: Record<string, string> = {}
      c.req.raw.headers.forEach((value, key) => {
        headers[key.toLowerCase()] = value
      })
      const record = await service.receive(c.req.valid('param').hookId, { headers, body, query: c.req.query() })
      const receipt = { deliveryId: record.deliveryId, status: record.status, outcome: record.outcome, ...(record.containers ? { containers: record.containers } : {}) }
      return c.json(receipt, record.status === 'succeeded' && record.containers ? 202 : 200)
    },
  )
  return app
}
