import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { read, startHooksHarness, workflowSuccess, type HookBody, type HooksHarness, type Receipt } from './hooks-harness.js'

let h: HooksHarness
let key: string

beforeAll(async () => {
  h = await startHooksHarness()
  key = await h.keyFor('team-h')
})
afterAll(async () => h.close())

describe('/v1/hooks', () => {
  it('creates a hook and shows its secret once; list and get never show it', async () => {
    const res = await h.request('/v1/hooks', {
      method: 'POST', key,
      json: { kind: 'github', description: 'deploy on main', action: { type: 'run', spec: { image: 'busybox', cmd: ['echo', 'hi'] } }, filters: { branch: 'main', event: ['workflow_run'] } },
    })
    expect(res.status).toBe(201)
    const created = await read<HookBody>(res)
    expect(created).toMatchObject({ id: expect.stringMatching(/^hk_[0-9a-f]{32}$/), kind: 'github', namespace: 'team-h', url: `http://localhost/v1/webhooks/${created.id}` })
    expect(created.secret.length).toBeGreaterThanOrEqual(40)
    const listed = await h.request('/v1/hooks', { key })
    const got = await h.request(`/v1/hooks/${created.id}`, { key })
    for (const r of [listed, got]) {
      const text = await r.text()
      expect(text).toContain(created.id)
      expect(text).not.toContain(created.secret)
      expect(text).not.toMatch(/secret/i)
    }
  })

  it('validates the body, with field errors', async () => {
    const bad = await h.request('/v1/hooks', { method: 'POST', key, json: { kind: 'bitbucket', action: { type: 'run', spec: { image: 'busybox' } } } })
    expect(bad.status).toBe(400)
    expect((await read<{ errors: { field: string }[] }>(bad)).errors[0].field).toBe('kind')
    const noSelector = await h.request('/v1/hooks', { method: 'POST', key, json: { kind: 'gitlab', action: { type: 'redeploy', selector: {} } } })
    expect(noSelector.status).toBe(400)
    const badSpec = await h.request('/v1/hooks', { method: 'POST', key, json: { kind: 'gitlab', action: { type: 'run', spec: { image: 'busybox', cpu: 99 } } } })
    expect(badSpec.status).toBe(400)
  })

  it('needs a write key to create, rotate and delete; read lists', async () => {
    const reader = await h.keyFor('team-h', ['read'])
    expect((await h.request('/v1/hooks', { method: 'POST', key: reader, json: { kind: 'gitlab', action: { type: 'redeploy', selector: { name: 'x' } } } })).status).toBe(403)
    expect((await h.request('/v1/hooks', { key: reader })).status).toBe(200)
    expect((await h.request('/v1/hooks', {})).status).toBe(401)
  })

  it('deletes: deliveries to a deleted hook answer 404', async () => {
    const hook = await h.createHook(key, { kind: 'github', action: { type: 'run', spec: { image: 'busybox' } } })
    expect((await h.request(`/v1/hooks/${hook.id}`, { method: 'DELETE', key })).status).toBe(204)
    expect((await h.request(`/v1/hooks/${hook.id}`, { key })).status).toBe(404)
    expect((await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess(), randomUUID())).status).toBe(404)
  })

  it('lists deliveries newest first with their outcomes', async () => {
    const hook = await h.createHook(key, { kind: 'github', action: { type: 'run', spec: { image: 'busybox' } }, filters: { branch: 'main' } })
    await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess(), 'd-1')
    await new Promise((r) => setTimeout(r, 5))
    await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess({ head_branch: 'dev' }), 'd-2')
    const { deliveries } = await read<{ deliveries: Receipt[] }>(await h.request(`/v1/hooks/${hook.id}/deliveries`, { key }))
    expect(deliveries).toEqual([
      expect.objectContaining({ deliveryId: 'd-2', event: 'workflow_run', status: 'ignored' }),
      expect.objectContaining({ deliveryId: 'd-1', status: 'succeeded', outcome: expect.stringMatching(/^ran container /), containers: [expect.objectContaining({ outcome: 'started' })] }),
    ])
  })
})
