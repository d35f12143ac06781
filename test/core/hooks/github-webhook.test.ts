import { describe, expect, it } from 'vitest'
import { InvalidRequestError, UnauthorizedError } from '../../../shared/core/errors.js'
import { githubScheme } from '../../../shared/core/hooks/github-webhook.js'
import type { Hook } from '../../../shared/core/hooks/index.js'

const hook = (secret: string, previous?: Hook['previous']): Hook => ({
  id: 'hk_0', namespace: 'ns', kind: 'github', action: { type: 'redeploy', selector: { name: 'x' } }, filters: {}, secret, previous, createdAt: '',
})
const VECTOR_SIG = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'
const now = new Date()

describe('GitHub signature', () => {
  it("accepts GitHub's published test vector (the body is not JSON, so it stops after the signature)", async () => {
    const delivery = { headers: { 'x-hub-signature-256': VECTOR_SIG, 'x-github-delivery': 'd', 'x-github-event': 'ping' }, body: 'Hello, World!', query: {} }
    await expect(githubScheme.verify(hook("It's a Secret to Everybody"), delivery, now)).rejects.toBeInstanceOf(InvalidRequestError)
  })

  it('rejects the vector with another secret, another body or a changed signature', async () => {
    const headers = { 'x-github-delivery': 'd', 'x-github-event': 'ping' }
    const cases = [
      { secret: "It's a secret to everybody", body: 'Hello, World!', sig: VECTOR_SIG },
      { secret: "It's a Secret to Everybody", body: 'Hello, World?', sig: VECTOR_SIG },
      { secret: "It's a Secret to Everybody", body: 'Hello, World!', sig: VECTOR_SIG.replace(/7$/, '8') },
      { secret: "It's a Secret to Everybody", body: 'Hello, World!', sig: VECTOR_SIG.slice(0, -2) },
      { secret: "It's a Secret to Everybody", body: 'Hello, World!', sig: VECTOR_SIG.replace('sha256=', 'sha1=') },
    ]
    for (const c of cases) {
      await expect(githubScheme.verify(hook(c.secret), { headers: { ...headers, 'x-hub-signature-256': c.sig }, body: c.body, query: {} }, now)).rejects.toBeInstanceOf(UnauthorizedError)
    }
  })

  it('accepts a previous secret only during its grace period', async () => {
    const body = JSON.stringify({ zen: 'x' })
    const headers = { 'x-hub-signature-256': VECTOR_SIG, 'x-github-delivery': 'd', 'x-github-event': 'ping' }
    const { sign } = await import('@octokit/webhooks-methods')
    headers['x-hub-signature-256'] = await sign('old', body)
    const live = hook('new', { secret: 'old', until: new Date(now.getTime() + 1000).toISOString() })
    const lapsed = hook('new', { secret: 'old', until: new Date(now.getTime() - 1000).toISOString() })
    await expect(githubScheme.verify(live, { headers, body, query: {} }, now)).resolves.toMatchObject({ event: 'ping', deliveryId: 'd' })
    await expect(githubScheme.verify(lapsed, { headers, body, query: {} }, now)).rejects.toBeInstanceOf(UnauthorizedError)
  })

  it('interprets workflow_run, package events and ping', () => {
    const interpret = (event: string, payload: unknown) => githubScheme.interpret({ deliveryId: 'd', idSigned: false, event, payload })
    expect(interpret('ping', {})).toEqual({ kind: 'ping' })
    expect(interpret('workflow_run', { action: 'in_progress', workflow_run: {} })).toMatchObject({ kind: 'ignored' })
    expect(interpret('package', { action: 'published', repository: { full_name: 'o/r' }, package: { package_version: { package_url: 'ghcr.io/o/r:2', container_metadata: { tag: { name: '2', digest: 'sha256:1' } } } } }))
      .toEqual({ kind: 'trigger', trigger: { event: 'package', repo: 'o/r', tag: '2', digest: 'sha256:1', image: 'ghcr.io/o/r:2' } })
    expect(interpret('registry_package', { action: 'published', registry_package: { package_version: { container_metadata: { tag: { name: '' } } } } })).toMatchObject({ kind: 'ignored' })
  })
})
