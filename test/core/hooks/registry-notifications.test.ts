import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../../shared/core/errors.js'
import { parseRegistryNotification } from '../../../shared/core/images/registry-notifications.js'

const digest = `sha256:${'a'.repeat(64)}`
const event = (action: string, target: Record<string, unknown>, host = '127.0.0.1:5000') => ({
  id: 'e1', timestamp: '2026-01-01T00:00:00Z', action, target, request: { id: 'r', addr: '1.2.3.4', host, method: 'PUT', useragent: 'docker' }, actor: {}, source: { addr: 'reg:5000', instanceID: 'i' },
})
const manifest = { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest, size: 528, length: 528, repository: 'team/app', url: `http://127.0.0.1:5000/v2/team/app/manifests/${digest}`, tag: '1.2.0' }

describe('registry notifications', () => {
  it('turns a tagged manifest push into one image-pushed event (v1 and v2 envelopes parse alike)', () => {
    const body = { events: [
      event('push', { mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', digest, size: 1, repository: 'team/app', url: 'x' }),
      event('push', manifest),
      event('push', manifest),
      event('pull', manifest),
      event('push', { ...manifest, tag: undefined }),
      event('push', { ...manifest, mediaType: 'application/vnd.oci.image.index.v1+json', tag: 'latest' }),
    ] }
    expect(parseRegistryNotification(JSON.stringify(body))).toEqual([
      { repository: 'localhost:5000/team/app', tag: '1.2.0', digest, source: 'registry' },
      { repository: 'localhost:5000/team/app', tag: 'latest', digest, source: 'registry' },
    ])
    expect(parseRegistryNotification(body, { registryHost: 'registry.local:5000' })[0].repository).toBe('registry.local:5000/team/app')
  })

  it('refuses what is not an envelope', () => {
    expect(() => parseRegistryNotification('nope')).toThrow(InvalidRequestError)
    expect(() => parseRegistryNotification({ event: [] })).toThrow(InvalidRequestError)
    expect(parseRegistryNotification({ events: [] })).toEqual([])
  })
})
