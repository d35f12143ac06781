import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockClient } from 'aws-sdk-client-mock'
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ImageNotFoundException, RepositoryNotFoundException } from '@aws-sdk/client-ecr'
import { ForbiddenError, InvalidSpecError, NotFoundError } from '../../../shared/core/errors.js'
import { locateImage } from '../../../shared/backends/ecs/image-location.js'
import { EcsBackend } from '../../../shared/backends/ecs/ecs-backend.js'
import { DIGEST, MemoryStore, REGISTRY, config, sdkBackend } from './support.js'

const ecr = mockClient(ECRClient)
beforeEach(() => ecr.reset())
afterEach(() => ecr.reset())

const resolve = (image: string, backend: EcsBackend = sdkBackend().backend) => backend.resolveImage('team-a', image, 'linux/amd64')

describe('resolveImage', () => {
  it('maps a short name to the namespace repository and pins the tag to its digest', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST, imageTags: ['1'] }] })
    expect(await resolve('app:1')).toEqual({ image: `${REGISTRY}/fargated/team-a/app@${DIGEST}`, digest: DIGEST })
    expect(ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({ repositoryName: 'fargated/team-a/app', imageIds: [{ imageTag: '1' }] })
  })

  it('uses tag latest when none is given, and a digest as given', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] })
    await resolve('tools/app')
    await resolve(`app@${DIGEST}`)
    const ids = ecr.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input)
    expect(ids[0]).toEqual({ repositoryName: 'fargated/team-a/tools/app', imageIds: [{ imageTag: 'latest' }] })
    expect(ids[1]).toEqual({ repositoryName: 'fargated/team-a/app', imageIds: [{ imageDigest: DIGEST }] })
  })

  it('accepts the full URI of a repository of its own namespace', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] })
    expect((await resolve(`${REGISTRY}/fargated/team-a/app:2`)).image).toBe(`${REGISTRY}/fargated/team-a/app@${DIGEST}`)
  })

  it('refuses another namespace\'s repository, or any other repository in the registry', async () => {
    await expect(resolve(`${REGISTRY}/fargated/team-b/app:1`)).rejects.toBeInstanceOf(ForbiddenError)
    await expect(resolve(`${REGISTRY}/infra/secret-tool:1`)).rejects.toBeInstanceOf(ForbiddenError)
    expect(ecr.calls()).toHaveLength(0)
  })

  it('answers "No such image" with the name the user gave', async () => {
    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'not found', $metadata: {} }))
    await expect(resolve('app:9')).rejects.toThrow(new NotFoundError('No such image: app:9'))
    ecr.on(DescribeImagesCommand).rejects(new RepositoryNotFoundException({ message: 'not found', $metadata: {} }))
    await expect(resolve('nope')).rejects.toThrow('No such image: nope:latest')
  })

  it('runs a foreign image as written, with no ECR call and only a digest it already has', async () => {
    expect(await resolve('ghcr.io/acme/tool:3')).toEqual({ image: 'ghcr.io/acme/tool:3' })
    expect(await resolve(`docker.io/library/nginx@${DIGEST}`)).toEqual({ image: `docker.io/library/nginx@${DIGEST}`, digest: DIGEST })
    expect(ecr.calls()).toHaveLength(0)
  })

  it('sends Docker Hub images through the pull-through cache when one is configured', async () => {
    const backend = new EcsBackend({ gateway: sdkBackend().gateway, store: new MemoryStore(), config: { ...config, pullThroughPrefix: 'docker-hub' } })
    expect(await resolve('docker.io/nginx:1.27', backend)).toEqual({ image: `${REGISTRY}/docker-hub/library/nginx:1.27` })
    expect(await resolve('docker.io/grafana/grafana', backend)).toEqual({ image: `${REGISTRY}/docker-hub/grafana/grafana:latest` })
    expect(await resolve(`${REGISTRY}/docker-hub/library/redis:7`, backend)).toEqual({ image: `${REGISTRY}/docker-hub/library/redis:7` })
    expect(await resolve('quay.io/coreos/etcd:v3', backend)).toEqual({ image: 'quay.io/coreos/etcd:v3' })
    expect(ecr.calls()).toHaveLength(0)
  })

  it('rejects an invalid reference as a spec error', () => {
    expect(() => locateImage('team-a', 'App:1', config)).toThrow(InvalidSpecError)
  })
})

describe('listImages', () => {
  it('lists the namespace repositories\' images under the names the namespace uses', async () => {
    const pushed = new Date('2026-03-01T12:00:00Z')
    ecr.on(DescribeRepositoriesCommand).resolves({
      repositories: [
        { repositoryName: 'fargated/team-a/app', repositoryUri: `${REGISTRY}/fargated/team-a/app` },
        { repositoryName: 'fargated/team-b/app', repositoryUri: `${REGISTRY}/fargated/team-b/app` },
      ],
    })
    ecr.on(DescribeImagesCommand, { repositoryName: 'fargated/team-a/app' }).resolves({
      imageDetails: [{ imageDigest: DIGEST, imageTags: ['1', 'latest'], imageSizeInBytes: 1234, imagePushedAt: pushed }],
    })
    const images = await sdkBackend().backend.listImages('team-a')
    expect(images).toEqual([
      { id: DIGEST, repository: 'app', tags: ['1', 'latest'], digest: DIGEST, sizeBytes: 1234, createdAt: pushed.toISOString(), pushedAt: pushed.toISOString() },
    ])
    expect(ecr.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input.repositoryName)).toEqual(['fargated/team-a/app'])
  })
})
