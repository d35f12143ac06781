import { randomUUID } from 'node:crypto'
import { sign } from '@octokit/webhooks-methods'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ThrottledError } from '../../../shared/core/errors.js'
import { read, startHooksHarness, workflowSuccess, type HookBody, type HooksHarness, type Receipt } from './hooks-harness.js'

let h: HooksHarness
let keyA: string
let keyB: string

beforeAll(async () => {
  h = await startHooksHarness({ maxWebhookBytes: 64 * 1024 })
  keyA = await h.keyFor('team-a')
  keyB = await h.keyFor('team-b')
})
afterAll(async () => h.close())

const runHook = (filters: Record<string, unknown> = {}) => ({
  kind: 'github', action: { type: 'run', spec: { image: 'busybox', cmd: ['make', 'deploy'], env: { MODE: 'ci' } }, name: 'ci' }, filters,
})

async function containersOf(ns: string) {
  return h.store.listContainers(ns)
}

describe('GitHub deliveries', () => {
  it('a signed workflow_run success runs a one-off container once; its replay runs nothing', async () => {
    const hook = await h.createHook(keyA, runHook({ branch: 'main', workflow: 'build' }))
    const before = (await containersOf('team-a')).length
    const delivery = randomUUID()
    const res = await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess(), delivery)
    expect(res.status).toBe(202)
    const receipt = await read(res)
    expect(receipt).toMatchObject({ deliveryId: delivery, status: 'succeeded', containers: [expect.objectContaining({ outcome: 'started' })] })
    const created = (await containersOf('team-a')).filter((c) => c.id === receipt.containers[0].id)[0]
    expect(created.state.running).toBe(true)
    expect(created.name).toMatch(/^ci-[0-9a-f]{8}$/)
    expect(created.spec.env).toMatchObject({ MODE: 'ci', FARGATED_EVENT: 'workflow_run', FARGATED_REPO: 'acme/app', FARGATED_BRANCH: 'main', FARGATED_SHA: 'abc123', FARGATED_DELIVERY: delivery })

    const starts = h.backend.count('startRun')
    const replay = await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess(), delivery)
    expect(replay.status).toBe(409)
    // The same payload under a forged new delivery id is a replay too.
    const relabelled = await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess(), randomUUID())
    expect(relabelled.status).toBe(409)
    expect(h.backend.count('startRun')).toBe(starts)
    expect((await containersOf('team-a')).length).toBe(before + 1)
  })

  it('answers ping, and ignores events and branches the hook does not act on', async () => {
    const hook = await h.createHook(keyA, runHook({ branch: 'main' }))
    const ping = await h.github(hook.id, hook.secret, 'ping', { zen: 'Design for failure.' }, randomUUID())
    expect(ping.status).toBe(200)
    expect(await read(ping)).toMatchObject({ status: 'succeeded', outcome: 'pong' })
    const before = (await containersOf('team-a')).length
    const dev = await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess({ head_branch: 'dev' }), randomUUID())
    expect(await read(dev)).toMatchObject({ status: 'ignored', outcome: 'ignored: branch dev does not match main' })
    const failed = await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess({ conclusion: 'failure' }), randomUUID())
    expect((await read(failed)).status).toBe('ignored')
    const push = await h.github(hook.id, hook.secret, 'push', { ref: 'refs/heads/main' }, randomUUID())
    expect((await read(push)).status).toBe('ignored')
    expect((await containersOf('team-a')).length).toBe(before)
    const deliveries = await read<{ deliveries: Receipt[] }>(await h.request(`/v1/hooks/${hook.id}/deliveries`, { key: keyA }))
    expect(deliveries.deliveries.map((d: { status: string }) => d.status).sort()).toEqual(['ignored', 'ignored', 'ignored', 'succeeded'])
  })

  it('refuses forged and oversized deliveries with no side effect', async () => {
    const hook = await h.createHook(keyA, runHook())
    const starts = h.backend.count('startRun')
    const forged = await h.github(hook.id, 'not-the-secret', 'workflow_run', workflowSuccess(), randomUUID())
    expect(forged.status).toBe(401)
    const body = JSON.stringify(workflowSuccess())
    const tampered = await h.request(`/v1/webhooks/${hook.id}`, {
      method: 'POST',
      body: body.replace('main', 'prod'),
      headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await sign(hook.secret, body) },
    })
    expect(tampered.status).toBe(401)
    const unsigned = await h.request(`/v1/webhooks/${hook.id}`, { method: 'POST', body, headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': randomUUID() } })
    expect(unsigned.status).toBe(401)
    const huge = await h.github(hook.id, hook.secret, 'workflow_run', { ...workflowSuccess(), pad: 'x'.repeat(70 * 1024) }, randomUUID())
    expect(huge.status).toBe(413)
    const chunked = await h.request(`/v1/webhooks/${hook.id}`, {
      method: 'POST',
      body: new ReadableStream({ start(ctl) { for (let i = 0; i < 80; i++) ctl.enqueue(new TextEncoder().encode('x'.repeat(1024))); ctl.close() } }),
      headers: { 'x-github-event': 'workflow_run', 'x-github-delivery': randomUUID() },
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(h.backend.count('startRun')).toBe(starts)
    const deliveries = await read<{ deliveries: Receipt[] }>(await h.request(`/v1/hooks/${hook.id}/deliveries`, { key: keyA }))
    expect(deliveries.deliveries).toEqual([])
    expect((await h.request('/v1/webhooks/hk_00000000000000000000000000000000', { method: 'POST', body: '{}' })).status).toBe(404)
  })

  it('a retried delivery after a runtime failure runs once, with a token from the delivery id', async () => {
    const hook = await h.createHook(keyA, runHook())
    const delivery = randomUUID()
    h.backend.failNextStarts.push(new ThrottledError('Rate exceeded'))
    const first = await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess({ head_sha: 'retry1' }), delivery)
    expect(first.status).toBe(429)
    const second = await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess({ head_sha: 'retry1' }), delivery)
    expect(second.status).toBe(202)
    const tokens = h.backend.calls.filter((c) => c.op === 'startRun').slice(-2).map((c) => c.arg)
    expect(tokens[0]).toBe(tokens[1])
    expect((await h.github(hook.id, hook.secret, 'workflow_run', workflowSuccess({ head_sha: 'retry1' }), delivery)).status).toBe(409)
    const ran = (await containersOf('team-a')).filter((c) => c.spec.env.FARGATED_DELIVERY === delivery)
    expect(ran).toHaveLength(1)
  })

  it("a hook can't be triggered with another namespace's secret, nor seen or changed from it", async () => {
    const mine = await h.createHook(keyA, runHook())
    const theirs = await h.createHook(keyB, runHook())
    const cross = await h.github(theirs.id, mine.secret, 'workflow_run', workflowSuccess(), randomUUID())
    expect(cross.status).toBe(401)
    const listed = await read<{ hooks: HookBody[] }>(await h.request('/v1/hooks', { key: keyA }))
    expect(listed.hooks.map((x: { id: string }) => x.id)).toContain(mine.id)
    expect(listed.hooks.map((x: { id: string }) => x.id)).not.toContain(theirs.id)
    expect(JSON.stringify(listed)).not.toContain(mine.secret)
    for (const [method, path] of [['GET', ''], ['GET', '/deliveries'], ['POST', '/rotate'], ['DELETE', '']]) {
      expect((await h.request(`/v1/hooks/${theirs.id}${path}`, { method, key: keyA })).status).toBe(404)
    }
    expect((await h.request(`/v1/hooks/${theirs.id}`, { key: keyB })).status).toBe(200)
  })

  it('rotates: the old secret keeps working for the grace period, or stops at once', async () => {
    const hook = await h.createHook(keyA, runHook())
    const rotated = await read<HookBody>(await h.request(`/v1/hooks/${hook.id}/rotate`, { method: 'POST', key: keyA }))
    expect(rotated.secret).not.toBe(hook.secret)
    expect((await h.github(hook.id, hook.secret, 'ping', { zen: 'old' }, randomUUID())).status).toBe(200)
    expect((await h.github(hook.id, rotated.secret, 'ping', { zen: 'new' }, randomUUID())).status).toBe(200)
    const again = await read<HookBody>(await h.request(`/v1/hooks/${hook.id}/rotate?immediate=true`, { method: 'POST', key: keyA }))
    expect((await h.github(hook.id, rotated.secret, 'ping', { n: 1 }, randomUUID())).status).toBe(401)
    expect((await h.github(hook.id, again.secret, 'ping', { n: 1 }, randomUUID())).status).toBe(200)
  })

  it('registry_package published with a tag filter redeploys the selected containers on its digest', async () => {
    const c = await h.containers.run('team-a', { spec: { image: 'ghcr.io/acme/app:1.0.0', labels: { tier: 'web' } } })
    const hook = await h.createHook(keyA, { kind: 'github', action: { type: 'redeploy', selector: { label: { tier: 'web' } } }, filters: { tag: '^1' } })
    const digest = `sha256:${'f'.repeat(64)}`
    const pkg = (tag: string) => ({
      action: 'published',
      repository: { full_name: 'acme/app' },
      registry_package: { package_type: 'CONTAINER', package_version: { package_url: `ghcr.io/acme/app:${tag}`, container_metadata: { tag: { name: tag, digest }, manifest: { digest } } } },
    })
    const ignored = await h.github(hook.id, hook.secret, 'registry_package', pkg('2.0.0'), randomUUID())
    expect((await read(ignored)).outcome).toMatch(/tag 2.0.0 does not match \^1/)
    const res = await h.github(hook.id, hook.secret, 'registry_package', pkg('1.1.0'), randomUUID())
    expect(res.status).toBe(202)
    expect(await read(res)).toMatchObject({ status: 'succeeded', containers: [{ id: c.id, outcome: 'started' }] })
    expect(await h.rollouts.advanceAll()).toEqual([expect.objectContaining({ containerId: c.id, outcome: 'succeeded', digest })])
    expect(await h.store.getContainer('team-a', c.id)).toMatchObject({ runNumber: 2, imageDigest: digest, spec: { image: 'ghcr.io/acme/app:1.1.0' } })
  })
})

describe('GitLab, Standard Webhooks and Docker Hub deliveries', () => {
  const pipeline = (status: string, ref = 'main') => ({ object_kind: 'pipeline', object_attributes: { id: Math.random(), ref, tag: false, sha: 'def', status }, project: { path_with_namespace: 'grp/app' } })

  it('GitLab: the token authenticates; a successful pipeline runs, others are ignored', async () => {
    const hook = await h.createHook(keyA, { kind: 'gitlab', action: { type: 'run', spec: { image: 'busybox' } }, filters: { repo: 'grp/*' } })
    const post = (token: string, body: unknown, uuid = randomUUID()) =>
      h.request(`/v1/webhooks/${hook.id}`, { method: 'POST', body: JSON.stringify(body), headers: { 'x-gitlab-token': token, 'x-gitlab-event': 'Pipeline Hook', 'x-gitlab-event-uuid': uuid } })
    expect((await post('wrong', pipeline('success'))).status).toBe(401)
    expect((await post(hook.secret.slice(0, -1), pipeline('success'))).status).toBe(401)
    expect(await read(await post(hook.secret, pipeline('failed')))).toMatchObject({ status: 'ignored' })
    const ok = await post(hook.secret, pipeline('success'))
    expect(ok.status).toBe(202)
    const { containers } = await read(ok)
    expect((await h.store.getContainer('team-a', containers[0].id))!.spec.env).toMatchObject({ FARGATED_EVENT: 'pipeline', FARGATED_REPO: 'grp/app', FARGATED_BRANCH: 'main' })
  })

  it('Standard Webhooks: signed within ±5 min runs; stale, future, forged and replayed do not', async () => {
    const hook = await h.createHook(keyA, { kind: 'standard', action: { type: 'run', spec: { image: 'busybox' } }, filters: { event: 'build.succeeded' } })
    expect(hook.secret).toMatch(/^whsec_/)
    const wh = new Webhook(hook.secret)
    const post = (id: string, at: Date, body: string, signature = wh.sign(id, at, body)) =>
      h.request(`/v1/webhooks/${hook.id}`, { method: 'POST', body, headers: { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature } })
    const body = JSON.stringify({ type: 'build.succeeded', timestamp: new Date().toISOString(), data: { repo: 'acme/app', branch: 'main' } })
    const starts = h.backend.count('startRun')
    expect((await post('msg_stale', new Date(Date.now() - 6 * 60_000), body)).status).toBe(401)
    expect((await post('msg_future', new Date(Date.now() + 6 * 60_000), body)).status).toBe(401)
    expect((await post('msg_forged', new Date(), body, new Webhook(`whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`).sign('msg_forged', new Date(), body))).status).toBe(401)
    expect(h.backend.count('startRun')).toBe(starts)
    const ok = await post('msg_1', new Date(Date.now() - 4 * 60_000), body)
    expect(ok.status).toBe(202)
    expect((await post('msg_1', new Date(), body)).status).toBe(409)
    expect(h.backend.count('startRun')).toBe(starts + 1)
    const other = JSON.stringify({ type: 'build.failed', data: {} })
    expect(await read(await post('msg_2', new Date(), other))).toMatchObject({ status: 'ignored' })
  })

  it('Docker Hub: the URL token authenticates a push', async () => {
    const c = await h.containers.run('team-a', { spec: { image: 'acme/api:latest' }, name: 'hub-api' })
    const hook = await h.createHook(keyA, { kind: 'dockerhub', action: { type: 'redeploy', selector: { name: 'hub-*' } } })
    expect(hook.url).toMatch(new RegExp(`/v1/webhooks/${hook.id}\\?token=`))
    const body = JSON.stringify({ push_data: { pushed_at: 1700000000, tag: 'latest' }, repository: { repo_name: 'acme/api' } })
    const path = new URL(hook.url).pathname
    expect((await h.request(`${path}?token=nope`, { method: 'POST', body })).status).toBe(401)
    expect((await h.request(path, { method: 'POST', body })).status).toBe(401)
    const ok = await h.request(`${path}${new URL(hook.url).search}`, { method: 'POST', body })
    expect(ok.status).toBe(202)
    expect(await read(ok)).toMatchObject({ containers: [{ id: c.id, outcome: 'started' }] })
    expect((await h.request(`${path}${new URL(hook.url).search}`, { method: 'POST', body })).status).toBe(409)
  })
})
