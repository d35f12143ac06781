import { OpenAPIHono } from '@hono/zod-openapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { z } from '@hono/zod-openapi'
import { usageRoutes, type RecommendationViewSchema } from '../../../shared/api/v1/usage-routes.js'
import type { NamespaceUsage } from '../../../shared/core/usage/usage-summary.js'
import type { AppEnv } from '../../../shared/api/context.js'
import { monthlyCost } from '../../../shared/core/policies/cost.js'
import { ROOT_KEY, startApiHarness } from '../../support/api-harness.js'

let h: Awaited<ReturnType<typeof startApiHarness>>
let app: OpenAPIHono<AppEnv>

beforeAll(async () => {
  h = await startApiHarness()
  app = new OpenAPIHono<AppEnv>().route('/v1', usageRoutes(h.deps))
})
afterAll(async () => h.close())

const get = (path: string, key: string | null = ROOT_KEY) =>
  app.request(`http://localhost${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} })

type Recommendation = z.infer<typeof RecommendationViewSchema>
const json = async <T = Recommendation>(res: Response): Promise<T> => (await res.json()) as T

describe('GET /v1/containers/{id}/recommendation', () => {
  it('shows the current size and no recommendation before the reaper made one', async () => {
    const c = await h.containers.run('default', { spec: { image: 'busybox', cpu: 1, memory: 2048 }, name: 'fresh' })
    const res = await get(`/v1/containers/fresh/recommendation`)
    expect(res.status).toBe(200)
    const body = await json(res)
    expect(body).toMatchObject({
      id: c.id,
      sizing: 'recommend',
      current: { cpu: 1024, memory: 2048, vcpu: 1 },
      recommended: null,
      monthlyDifference: null,
      appliesAtNextStart: false,
    })
    expect(body.current.monthlyCost).toBeCloseTo(monthlyCost({ cpu: 1024, memory: 2048 }, 'linux/amd64', 'on-demand'), 2)
  })

  it('shows the recommendation and the monthly difference', async () => {
    const c = await h.containers.run('default', { spec: { image: 'busybox', cpu: 1, memory: 2048, sizing: 'auto' }, name: 'sized' })
    const fresh = (await h.store.getContainer('default', c.id))!
    await h.store.updateContainer(
      {
        ...fresh,
        recommendation: {
          size: { cpu: 256, memory: 512 },
          current: { cpu: 1024, memory: 2048 },
          basis: { samples: 60, p95CpuUnits: 40, peakMemoryMiB: 180, lookbackSeconds: 86400 },
          monthlyCostCurrent: 0,
          monthlyCostRecommended: 0,
          updatedAt: '2026-03-02T10:00:00.000Z',
          reason: 'p95 CPU low',
        },
      },
      fresh.version,
    )
    const body = await json(await get(`/v1/containers/${c.id.slice(0, 12)}/recommendation`))
    expect(body).toMatchObject({ recommended: { cpu: 256, memory: 512 }, appliesAtNextStart: true, reason: 'p95 CPU low', basis: { samples: 60 } })
    expect(body.monthlyDifference).toBeCloseTo(body.recommended!.monthlyCost - body.current.monthlyCost, 2)
    expect(body.monthlyDifference).toBeLessThan(0)
  })

  it('answers 404 for an unknown container and 401 without a key', async () => {
    expect((await get('/v1/containers/nope/recommendation')).status).toBe(404)
    expect((await get('/v1/containers/fresh/recommendation', null)).status).toBe(401)
  })
})

describe('GET /v1/usage', () => {
  it('lists spend and savings of the namespace', async () => {
    const res = await get('/v1/usage')
    expect(res.status).toBe(200)
    const body = await json<NamespaceUsage>(res)
    expect(body).toMatchObject({ namespace: 'default', currency: 'USD', savings: { total: expect.any(Number) } })
    expect(body.containers.map((c) => c.name).sort()).toEqual(['fresh', 'sized'])
    expect(body.spend).toBeGreaterThanOrEqual(0)
    expect(body.assumptions.length).toBeGreaterThan(0)
  })

  it('does not show another namespace', async () => {
    const { secret } = await h.keys.create('other', ['read'])
    const body = await json<NamespaceUsage>(await get('/v1/usage', secret))
    expect(body).toMatchObject({ namespace: 'other', containers: [], spend: 0 })
  })
})
