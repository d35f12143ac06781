import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { DockerBackend } from '../../../shared/backends/docker/docker-backend.js'
import { BackendError, NotFoundError } from '../../../shared/core/errors.js'
import { engineAvailable, suiteId, TEST_IMAGE } from '../../support/engine.js'

const suite = suiteId('docker-images')
const docker = new Dockerode()
const backend = new DockerBackend({ docker })
const repo = `fargated-test/tagged-${suite}`

describe.skipIf(!engineAvailable())('DockerBackend images on the engine', () => {
  afterAll(async () => {
    await docker.getImage(`${repo}:v1`).remove().catch(() => undefined)
  })

  it('lists engine images by repository', async () => {
    const list = await backend.listImages('any-namespace')
    const entry = list.find((i) => i.repository === 'fargated-test/busybox')
    expect(entry).toMatchObject({ tags: expect.arrayContaining(['1']) })
    expect(entry!.id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(entry!.sizeBytes).toBeGreaterThan(0)
  })

  it('tags, inspects and removes an image', async () => {
    await backend.tagImage(TEST_IMAGE, repo, 'v1')
    const tagged = await backend.inspectImage(`${repo}:v1`)
    expect(tagged.RepoTags).toEqual(expect.arrayContaining([TEST_IMAGE, `${repo}:v1`]))
    expect((await backend.listImages('ns')).some((i) => i.repository === repo && i.tags.includes('v1'))).toBe(true)
    expect(await backend.removeImage(`${repo}:v1`)).toEqual([{ Untagged: `${repo}:v1` }])
    await expect(backend.inspectImage(`${repo}:v1`)).rejects.toThrow(new NotFoundError(`No such image: ${repo}:v1`))
    await expect(backend.removeImage(`${repo}:v1`)).rejects.toBeInstanceOf(NotFoundError)
    await expect(backend.tagImage('fargated-test/absent:1', repo, 'v2')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('turns a pull the engine cannot complete into BackendError', async () => {
    // A registry on a closed loopback port: fails like an offline machine, without leaving it.
    const attempt = backend.pullImage('127.0.0.1:9/fargated-test/nothing:1')
    await expect(attempt).rejects.toBeInstanceOf(BackendError)
    await expect(attempt).rejects.toThrow(/^could not pull 127\.0\.0\.1:9\/fargated-test\/nothing:1: .*127\.0\.0\.1:9/)
  })
})
