import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { DockerBackend } from '../../../shared/backends/docker/docker-backend.js'
import { InvalidRequestError, NotFoundError } from '../../../shared/core/errors.js'
import { engineAvailable, suiteId, TEST_IMAGE } from '../../support/engine.js'

const suite = suiteId('docker-image-writes')
const docker = new Dockerode()
const backend = new DockerBackend({ docker })
const copy = `fargated-test/busybox-${suite}`

describe.skipIf(!engineAvailable())('DockerBackend port image writes on the engine', () => {
  afterAll(async () => {
    for (const ref of [`${copy}:copy`, `${copy}:latest`]) await docker.getImage(ref).remove().catch(() => undefined)
  })

  it(`tags a copy of ${TEST_IMAGE} then deletes it, leaving the source`, async () => {
    await backend.addImageTag('ignored-namespace', TEST_IMAGE, `${copy}:copy`)
    await backend.addImageTag('ignored-namespace', TEST_IMAGE, copy)
    const tagged = await backend.inspectImage(`${copy}:copy`)
    expect(tagged.RepoTags).toEqual(expect.arrayContaining([TEST_IMAGE, `${copy}:copy`, `${copy}:latest`]))
    expect(await backend.deleteImage('ignored-namespace', `${copy}:copy`)).toEqual({ deleted: [`${copy}:copy`] })
    expect(await backend.deleteImage('ignored-namespace', copy)).toEqual({ deleted: [`${copy}:latest`] })
    await expect(backend.inspectImage(`${copy}:copy`)).rejects.toBeInstanceOf(NotFoundError)
    expect((await backend.inspectImage(TEST_IMAGE)).Id).toBe(tagged.Id)
    await expect(backend.deleteImage('ignored-namespace', `${copy}:copy`)).rejects.toBeInstanceOf(NotFoundError)
    await expect(backend.addImageTag('ignored-namespace', TEST_IMAGE, `${copy}@sha256:${'0'.repeat(64)}`)).rejects.toBeInstanceOf(InvalidRequestError)
  })
})
