/**
 * Review findings: one namespace reaching another's containers or images.
 * Each test states the secure behaviour; a failure is the bug.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { locateImage } from '../../shared/backends/ecs/image-location.js'
import { ForbiddenError } from '../../shared/core/errors.js'
import { startHooksHarness, type HooksHarness } from '../api/v1/hooks-harness.js'

let h: HooksHarness
beforeAll(async () => { h = await startHooksHarness() })
afterAll(async () => { await h.close() })

const digest = `sha256:${'d'.repeat(64)}`
const envelope = (repository: string, tag: string) => ({
  events: [{ id: 'e1', action: 'push', target: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest, size: 1, length: 1, repository, url: 'x', tag }, request: { host: '127.0.0.1:5000' } }],
})

describe('POST /v1/registry/notifications (mounted on AWS too: aws-runtime puts `rollouts` in extras)', () => {
  it("a write key of namespace A cannot redeploy namespace B's tracking containers", async () => {
    const victim = await h.containers.run('victim', { spec: { image: 'localhost:5000/web:latest', track: 'true' } })
    const attackerKey = await h.keyFor('attacker', ['write'])
    const res = await h.request('/v1/registry/notifications', {
      method: 'POST', key: attackerKey, body: JSON.stringify(envelope('web', 'latest')),
      headers: { 'content-type': 'application/vnd.docker.distribution.events.v2+json' },
    })
    // The route is root-key only (and local mode only): a tenant's write key is refused.
    expect(res.status).toBe(403)
    expect((await h.store.getContainer('victim', victim.id))?.runNumber).toBe(1)
  })
})

describe('locateImage: another namespace\'s ECR repository through another spelling of the registry host', () => {
  const config = { registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com', repositoryPrefix: 'fargated', pullThroughPrefix: undefined }
  // The execution role may pull every `fargated/*` repository (infra/constructs/compute.ts), and
  // the ECS agent treats `<acct>.dkr.ecr-fips.<region>.amazonaws.com` as ECR, so these must be refused too.
  for (const host of ['123456789012.dkr.ecr-fips.us-east-1.amazonaws.com', '123456789012.dkr-ecr.us-east-1.on.aws', '123456789012.dkr.ecr.us-east-1.amazonaws.com:443']) {
    it(`refuses ${host}/fargated/victim/app`, () => {
      expect(() => locateImage('attacker', `${host}/fargated/victim/app:1`, config)).toThrow(ForbiddenError)
    })
  }
})
