/**
 * Review findings: bad input that yields a 5xx (or escapes the app) instead of a 4xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planTaskDefinition } from '../../shared/backends/ecs/task-definition.js'
import { parseSpec } from '../../shared/core/spec.js'
import { startApiHarness } from '../support/api-harness.js'

let h: Awaited<ReturnType<typeof startApiHarness>>
beforeAll(async () => { h = await startApiHarness() })
afterAll(async () => { await h.close() })

/** The status, or 0 when the request rejected (the error escaped Hono: 500 on node, 503 via functions/api.ts). */
async function statusOf(path: string, init: RequestInit & { json?: unknown; key?: string | null } = {}): Promise<number> {
  try {
    const res = await h.request(path, init)
    await res.body?.cancel().catch(() => undefined)
    return res.status
  } catch {
    return 0
  }
}

describe('malformed percent-encoding in the path (app.ts stripDockerVersion calls decodeURI unguarded)', () => {
  it('Docker surface: 400, not an exception out of app.fetch', async () => {
    expect(await statusOf('/containers/%E0%A4%A/json')).toBe(400)
  })
  it('native surface, no key needed to trigger it: 4xx', async () => {
    const s = await statusOf('/v1/containers/%E0%A4%A', { key: null })
    expect(s).toBeGreaterThanOrEqual(400)
    expect(s).toBeLessThan(500)
  })
})

describe('out-of-range numbers reach DynamoDB and come back as 502', () => {
  it('POST /v1/containers maxLifetime: 1e308 → 400', async () => {
    expect(await statusOf('/v1/containers', { method: 'POST', json: { image: 'busybox', maxLifetime: 1e308 } })).toBe(400)
  })
  it('POST /v1/containers idle.after: 1e308 → 400', async () => {
    expect(await statusOf('/v1/containers', { method: 'POST', json: { image: 'busybox', idle: { after: 1e308 } } })).toBe(400)
  })
  it('docker create Healthcheck.Interval 1e30 ns → 400', async () => {
    const body = { Image: 'busybox', Healthcheck: { Test: ['CMD', 'true'], Interval: 1e30 } }
    expect(await statusOf('/containers/create', { method: 'POST', json: body })).toBe(400)
  })
})

describe('GET /events?since=<huge>: 400 before the 200 goes out', () => {
  it('since=1e23 (digits) is refused, not a stream that errors after the headers', async () => {
    const res = await h.request('/events?since=99999999999999999999999')
    expect(res.status).toBe(400)
    await res.body?.cancel().catch(() => undefined)
  })
})

describe('create validates what start will refuse', () => {
  it('a healthcheck Fargate refuses is refused at create, not at start (no container left behind)', () => {
    expect(() => parseSpec({ image: 'busybox', healthcheck: { test: ['CMD', 'true'], interval: '1h' } })).toThrow(/5-300 seconds/)
    expect(() => parseSpec({ image: 'busybox', healthcheck: { test: ['CMD'] } })).toThrow(/CMD-SHELL/)
  })

  it('every healthcheck parseSpec accepts, planTaskDefinition accepts', () => {
    const config = { region: 'us-east-1', logGroup: 'g', executionRoleArn: 'arn:aws:iam::1:role/e', taskRoleArn: 'arn:aws:iam::1:role/t', taskFamilyPrefix: 'fargated' }
    for (const [interval, timeout, startPeriod] of [[5, 2, 0], [300, 60, 300], [30, 5, 10]]) {
      const spec = parseSpec({ image: 'busybox', healthcheck: { test: ['CMD-SHELL', 'true'], interval, timeout, startPeriod } })
      expect(() => planTaskDefinition({ namespace: 'ns', spec, size: { cpu: 256, memory: 512 }, image: 'busybox', config })).not.toThrow()
    }
  })
})
