/**
 * Image writes of the ECS backend, on the namespace's ECR repositories only (locateImage):
 * delete by tag or digest (BatchDeleteImage) and tag by manifest copy (BatchGetImage, PutImage).
 */
import { InvalidRequestError, NotFoundError, UnsupportedError } from '../../core/errors.js'
import type { ImageInfo } from '../../core/ports.js'
import type { AwsGateway, ImageIdRef } from './aws-gateway.js'
import { namespaceRepositoryPrefix } from './ecs-config.js'
import { locateImage, type ImageLocation, type ImageLocationConfig } from './image-location.js'

type NamespaceLocation = Extract<ImageLocation, { kind: 'namespace' }>

function ownImage(namespace: string, image: string, config: ImageLocationConfig, verb: string): NamespaceLocation {
  const location = locateImage(namespace, image, config)
  if (location.kind === 'external') {
    throw new UnsupportedError(`cannot ${verb} ${image}: only images in this namespace's repositories can be changed (short names like app:1)`)
  }
  return location
}

function idOf(location: NamespaceLocation): ImageIdRef {
  return location.digest ? { digest: location.digest } : { tag: location.tag }
}

/** `app:1` as the user wrote it, with `:latest` when no tag or digest was given. */
function shown(image: string): string {
  return /[:@][^/]*$/.test(image) ? image : `${image}:latest`
}

async function asUserNotFound<T>(image: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    if (e instanceof NotFoundError) throw new NotFoundError(`No such image: ${shown(image)}`, { cause: e })
    throw e
  }
}

/**
 * Deletes `ref` of the namespace: a tag untags (the image stays while other tags or digests
 * reference it); a digest deletes the image with all its tags. Returns what went, named as the
 * namespace sees it (`app:1`, `app@sha256:…`).
 */
export async function deleteImage(gateway: AwsGateway, config: ImageLocationConfig, namespace: string, ref: string): Promise<{ deleted: string[] }> {
  const location = ownImage(namespace, ref, config, 'delete')
  const name = location.repositoryName.slice(namespaceRepositoryPrefix(config, namespace).length)
  const ids = await asUserNotFound(ref, () => gateway.batchDeleteImage(location.repositoryName, idOf(location)))
  const deleted = new Set<string>()
  for (const id of ids) {
    if (id.tag) deleted.add(`${name}:${id.tag}`)
    if (id.digest && (location.digest || !id.tag)) deleted.add(`${name}@${id.digest}`)
  }
  return { deleted: [...deleted] }
}

/**
 * Tags `source` as `target` by copying its manifest (with its media type) under the new tag.
 * ECR only accepts a manifest whose layers are in the repository, so both must name the same
 * repository (UnsupportedError otherwise). Returns the image as listImages would show it.
 */
export async function addImageTag(
  gateway: AwsGateway,
  config: ImageLocationConfig,
  namespace: string,
  source: string,
  target: string,
): Promise<ImageInfo> {
  const from = ownImage(namespace, source, config, 'tag')
  const to = ownImage(namespace, target, config, 'tag')
  if (to.digest) throw new InvalidRequestError(`the target ${target} must be a tag (repo:tag), not a digest`)
  if (to.repositoryName !== from.repositoryName) {
    throw new UnsupportedError(
      `cannot tag ${source} as ${target}: ECR tags by manifest copy, which needs the layers in the target repository; ` +
        'tag within the same repository, or push the image to the other one',
    )
  }
  const manifest = await asUserNotFound(source, () => gateway.batchGetImage(from.repositoryName, idOf(from)))
  const digest = await gateway.putImage(to.repositoryName, manifest, to.tag)
  const detail = await gateway.describeImage(to.repositoryName, { digest })
  const pushedAt = detail.imagePushedAt?.toISOString()
  return {
    id: digest,
    repository: to.repositoryName.slice(namespaceRepositoryPrefix(config, namespace).length),
    tags: detail.imageTags ?? [to.tag],
    digest,
    sizeBytes: detail.imageSizeInBytes ?? 0,
    createdAt: pushedAt,
    pushedAt,
  }
}
