/**
 * GET /v1/usage (estimated spend and savings of the caller's namespace) and
 * GET /v1/containers/{id}/recommendation (current vs recommended size, monthly difference).
 * Both read the store only. registerUsageRoutes fits nativeRoutes' register* pattern;
 * usageRoutes(deps) is the same as a standalone sub-app (it authenticates when mounted
 * without the /v1 key check in front of it).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { FargateSize } from '../../core/fargate-sizes.js'
import type { Container } from '../../core/model.js'
import { monthlyCost } from '../../core/policies/cost.js'
import { namespaceUsage } from '../../core/usage/usage-summary.js'
import { authenticate } from '../auth.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { SizeSchema } from './container-view.js'
import { ContainerParamsSchema } from './params.js'
import { problemOnError, problemResponses, validationHook } from './problem.js'
import { scopeGuard, type ScopeGuard } from './scopes.js'

const JSON_TYPE = 'application/json'
const money = (v: number) => Math.round(v * 100) / 100

const SavingsSchema = z
  .object({
    idle: z.number().openapi({ description: 'Dollars saved by idle stops' }),
    lifetime: z.number().openapi({ description: 'Dollars saved by max-lifetime stops' }),
    resize: z.number().openapi({ description: 'Dollars saved by running recommended sizes (negative after an upsize)' }),
    total: z.number(),
  })
  .openapi('Savings')

const PairSchema = z.object({ cpu: z.number().int(), memory: z.number().int() })

export const UsageSchema = z
  .object({
    namespace: z.string(),
    asOf: z.string(),
    currency: z.literal('USD'),
    spend: z.number().openapi({ description: 'Estimated dollars spent by the containers that exist now, running runs included' }),
    savings: SavingsSchema,
    containers: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        status: z.string(),
        sizing: z.enum(['fixed', 'recommend', 'auto']),
        size: PairSchema,
        hourlyCost: z.number().openapi({ description: 'Dollars per hour at `size`' }),
        spend: z.number(),
        savings: SavingsSchema,
      }),
    ),
    assumptions: z.array(z.string()).openapi({ description: 'How the estimates are made' }),
  })
  .openapi('Usage')

const PricedSizeSchema = SizeSchema.extend({ monthlyCost: z.number().openapi({ description: 'Dollars per month (730 h) running without a stop' }) })

export const RecommendationViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    sizing: z.enum(['fixed', 'recommend', 'auto']),
    current: PricedSizeSchema,
    recommended: PricedSizeSchema.nullable().openapi({ description: 'null until the reaper has enough usage (about 30 minutes of running)' }),
    monthlyDifference: z.number().nullable().openapi({ description: 'recommended − current, dollars per month; negative saves' }),
    appliesAtNextStart: z.boolean().openapi({ description: 'true with sizing=auto when the recommendation differs from the current size' }),
    basis: z
      .object({ samples: z.number().int(), p95CpuUnits: z.number(), peakMemoryMiB: z.number(), lookbackSeconds: z.number() })
      .nullable(),
    reason: z.string().nullable(),
    updatedAt: z.string().nullable(),
  })
  .openapi('SizeRecommendation')

function priced(size: FargateSize, c: Container) {
  return { cpu: size.cpu, memory: size.memory, vcpu: size.cpu / 1024, monthlyCost: money(monthlyCost(size, c.spec.platform, c.spec.capacity)) }
}

/** The recommendation view of a container (pure). */
export function toRecommendationView(c: Container): z.infer<typeof RecommendationViewSchema> {
  const current = priced(c.size, c)
  const rec = c.recommendation
  const recommended = rec ? priced(rec.size, c) : null
  const differs = !!rec && (rec.size.cpu !== c.size.cpu || rec.size.memory !== c.size.memory)
  return {
    id: c.id,
    name: c.name,
    sizing: c.spec.sizing,
    current,
    recommended,
    monthlyDifference: recommended ? money(recommended.monthlyCost - current.monthlyCost) : null,
    appliesAtNextStart: c.spec.sizing === 'auto' && differs,
    basis: rec?.basis ?? null,
    reason: rec?.reason ?? (c.spec.sizing === 'fixed' ? 'sizing is fixed: no recommendation is made' : null),
    updatedAt: rec?.updatedAt ?? null,
  }
}

export function registerUsageRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, scope: ScopeGuard): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/usage',
      operationId: 'getUsage',
      tags: ['usage'],
      summary: 'Estimated spend and savings of the namespace',
      description: 'Spend per container (finished runs plus the running run so far) and what idle stops, max-lifetime stops and resizes saved. Estimates from list prices. Scope: read.',
      ...scope('read'),
      responses: { 200: { description: 'Spend and savings', content: { [JSON_TYPE]: { schema: UsageSchema } } }, ...problemResponses(401, 403) },
    }),
    async (c) => c.json(await namespaceUsage(deps, c.get('auth').namespace), 200),
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/containers/{id}/recommendation',
      operationId: 'getRecommendation',
      tags: ['usage'],
      summary: 'Size recommendation of a container',
      description: 'Current vs recommended Fargate size and the monthly cost difference. The reaper refreshes it hourly from p95 CPU and peak memory; with sizing=auto the next start uses it. Scope: read.',
      ...scope('read'),
      request: { params: ContainerParamsSchema },
      responses: {
        200: { description: 'The recommendation', content: { [JSON_TYPE]: { schema: RecommendationViewSchema } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const container = await deps.containers.resolve(c.get('auth').namespace, c.req.valid('param').id)
      return c.json(toRecommendationView(container), 200)
    },
  )
}

/** The usage routes as their own sub-app (mount under /v1). */
export function usageRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.onError(problemOnError)
  const auth = authenticate(deps.keys)
  app.use('*', async (c, next) => (c.get('auth') ? next() : auth(c, next)))
  registerUsageRoutes(app, deps, scopeGuard(deps.keys))
  return app
}
