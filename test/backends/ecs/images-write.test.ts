import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockClient } from 'aws-sdk-client-mock'
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  ImageAlreadyExistsException,
  ImageTagAlreadyExistsException,
  PutImageCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr'
import { ConflictError, ForbiddenError, InvalidRequestError, NotFoundError, UnsupportedError } from '../../../shared/core/errors.js'
import { DIGEST, REGISTRY, sdkBackend } from './support.js'

const ecr = mockClient(ECRClient)
beforeEach(() => ecr.reset())
afterEach(() => ecr.reset())

const REPO = 'fargated/team-a/app'
const MANIFEST = '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","layers":[]}'
const OCI = 'application/vnd.oci.image.manifest.v1+json'

describe('deleteImage', () => {
  it('untags by tag in the namespace repository', async () => {
    ecr.on(BatchDeleteImageCommand).resolves({ imageIds: [{ imageDigest: DIGEST, imageTag: '1' }], failures: [] })
    expect(await sdkBackend().backend.deleteImage('team-a', 'app:1')).toEqual({ deleted: ['app:1'] })
    expect(ecr.commandCalls(BatchDeleteImageCommand)[0].args[0].input).toEqual({ repositoryName: REPO, imageIds: [{ imageTag: '1' }] })
  })

  it('deletes by digest, reporting the digest and the tags that went with it', async () => {
    ecr.on(BatchDeleteImageCommand).resolves({ imageIds: [{ imageDigest: DIGEST, imageTag: '1' }, { imageDigest: DIGEST, imageTag: '2' }] })
    const out = await sdkBackend().backend.deleteImage('team-a', `tools/app@${DIGEST}`)
    expect(out.deleted.sort()).toEqual([`tools/app:1`, `tools/app:2`, `tools/app@${DIGEST}`].sort())
    expect(ecr.commandCalls(BatchDeleteImageCommand)[0].args[0].input).toEqual({
      repositoryName: 'fargated/team-a/tools/app',
      imageIds: [{ imageDigest: DIGEST }],
    })
  })

  it('answers NotFoundError with the name the user gave (failure entry or missing repository)', async () => {
    ecr.on(BatchDeleteImageCommand).resolves({ imageIds: [], failures: [{ imageId: { imageTag: '9' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }] })
    await expect(sdkBackend().backend.deleteImage('team-a', 'app:9')).rejects.toThrow(new NotFoundError('No such image: app:9'))
    ecr.on(BatchDeleteImageCommand).rejects(new RepositoryNotFoundException({ message: 'no repo', $metadata: {} }))
    await expect(sdkBackend().backend.deleteImage('team-a', 'nope')).rejects.toThrow(new NotFoundError('No such image: nope:latest'))
  })

  it('refuses another namespace\'s repository and external registries without calling ECR', async () => {
    const { backend } = sdkBackend()
    await expect(backend.deleteImage('team-a', `${REGISTRY}/fargated/team-b/app:1`)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(backend.deleteImage('team-a', 'ghcr.io/acme/tool:3')).rejects.toBeInstanceOf(UnsupportedError)
    expect(ecr.calls()).toHaveLength(0)
  })
})

describe('addImageTag', () => {
  beforeEach(() => {
    ecr.on(BatchGetImageCommand).resolves({ images: [{ imageId: { imageDigest: DIGEST, imageTag: '1' }, imageManifest: MANIFEST, imageManifestMediaType: OCI }] })
    ecr.on(PutImageCommand).resolves({ image: { imageId: { imageDigest: DIGEST, imageTag: 'stable' } } })
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ imageDigest: DIGEST, imageTags: ['1', 'stable'], imageSizeInBytes: 1234, imagePushedAt: new Date('2025-01-02T03:04:05Z') }],
    })
  })

  it('copies the source manifest, with its media type, under the new tag', async () => {
    const image = await sdkBackend().backend.addImageTag('team-a', 'app:1', 'app:stable')
    expect(ecr.commandCalls(BatchGetImageCommand)[0].args[0].input).toMatchObject({ repositoryName: REPO, imageIds: [{ imageTag: '1' }] })
    expect(ecr.commandCalls(PutImageCommand)[0].args[0].input).toEqual({
      repositoryName: REPO,
      imageManifest: MANIFEST,
      imageManifestMediaType: OCI,
      imageDigest: DIGEST,
      imageTag: 'stable',
    })
    expect(image).toEqual({
      id: DIGEST,
      repository: 'app',
      tags: ['1', 'stable'],
      digest: DIGEST,
      sizeBytes: 1234,
      createdAt: '2025-01-02T03:04:05.000Z',
      pushedAt: '2025-01-02T03:04:05.000Z',
    })
  })

  it('tags a source given by digest', async () => {
    await sdkBackend().backend.addImageTag('team-a', `app@${DIGEST}`, 'app:2')
    expect(ecr.commandCalls(BatchGetImageCommand)[0].args[0].input.imageIds).toEqual([{ imageDigest: DIGEST }])
  })

  it('is idempotent when the tag already points at the manifest', async () => {
    ecr.on(PutImageCommand).rejects(new ImageAlreadyExistsException({ message: 'already exists', $metadata: {} }))
    expect((await sdkBackend().backend.addImageTag('team-a', 'app:1', 'app:stable')).digest).toBe(DIGEST)
  })

  it('answers ConflictError when an immutable repository already has the tag', async () => {
    ecr.on(PutImageCommand).rejects(new ImageTagAlreadyExistsException({ message: 'tag exists, IMMUTABLE', $metadata: {} }))
    await expect(sdkBackend().backend.addImageTag('team-a', 'app:1', 'app:stable')).rejects.toBeInstanceOf(ConflictError)
  })

  it('answers NotFoundError when the source is absent', async () => {
    ecr.on(BatchGetImageCommand).resolves({ images: [], failures: [{ imageId: { imageTag: '9' }, failureCode: 'ImageNotFound' }] })
    await expect(sdkBackend().backend.addImageTag('team-a', 'app:9', 'app:stable')).rejects.toThrow(new NotFoundError('No such image: app:9'))
    expect(ecr.commandCalls(PutImageCommand)).toHaveLength(0)
  })

  it('refuses cross-repository tags, foreign namespaces and digest targets before calling ECR', async () => {
    const { backend } = sdkBackend()
    await expect(backend.addImageTag('team-a', 'app:1', 'other:1')).rejects.toThrow(UnsupportedError)
    await expect(backend.addImageTag('team-a', 'app:1', 'other:1')).rejects.toThrow(/same repository/)
    await expect(backend.addImageTag('team-a', `${REGISTRY}/fargated/team-b/app:1`, 'app:2')).rejects.toBeInstanceOf(ForbiddenError)
    await expect(backend.addImageTag('team-a', 'app:1', `${REGISTRY}/fargated/team-b/app:2`)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(backend.addImageTag('team-a', 'app:1', `app@${DIGEST}`)).rejects.toBeInstanceOf(InvalidRequestError)
    expect(ecr.calls()).toHaveLength(0)
  })
})
