/** Shared helpers for the /v1 suites: the API harness plus typed shortcuts. */
import { expect } from 'vitest'
import type { Scope } from '../../../shared/core/model.js'
import type { ContainerView } from '../../../shared/api/v1/container-view.js'
import type { Problem } from '../../../shared/api/v1/problem.js'
import { startApiHarness } from '../../support/api-harness.js'

export type V1Harness = Awaited<ReturnType<typeof startV1>>

export async function startV1(options: Parameters<typeof startApiHarness>[0] = {}) {
  const h = await startApiHarness(options)

  /** POST /v1/containers, expecting 201. */
  async function run(body: Record<string, unknown>, init: { key?: string; idempotencyKey?: string } = {}): Promise<ContainerView> {
    const headers: Record<string, string> = init.idempotencyKey ? { 'idempotency-key': init.idempotencyKey } : {}
    const res = await h.request('/v1/containers', { method: 'POST', json: body, key: init.key, headers })
    expect(res.status, await res.clone().text()).toBe(201)
    return (await res.json()) as ContainerView
  }

  /** A fresh key in `namespace` with `scopes`; returns its secret. */
  async function key(scopes: Scope[], namespace = 'default'): Promise<string> {
    return (await h.keys.create(namespace, scopes, 'test key')).secret
  }

  return { ...h, run, key }
}

/** Reads a problem+json response and checks its shape. */
export async function problem(res: Response, status: number, code?: string): Promise<Problem> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  const body = JSON.parse(text) as Problem
  expect(body.status).toBe(status)
  expect(body.type).toBe(`/v1/docs#error-${body.code}`)
  expect(body.detail.length).toBeGreaterThan(0)
  if (code) expect(body.code).toBe(code)
  return body
}

export async function json<T = Record<string, unknown>>(res: Response, status = 200): Promise<T> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  return JSON.parse(text) as T
}
