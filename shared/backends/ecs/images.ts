/** Image verbs of the ECS backend: resolve a reference for a run, list a namespace's images. */
import { NotFoundError } from '../../core/errors.js'
import type { ImageInfo, ResolvedImage } from '../../core/ports.js'
import type { AwsGateway } from './aws-gateway.js'
import { namespaceRepositoryPrefix } from './ecs-config.js'
import { locateImage, runImage, type ImageLocationConfig } from './image-location.js'

/**
 * Resolves an image for a namespace (rules in image-location.ts). Images in the namespace's
 * repositories are looked up in ECR (one DescribeImages call) and pinned to their digest;
 * external images are returned as written (with the digest only when the reference has one).
 * NotFoundError "No such image: app:1" when the repository or tag does not exist.
 */
export async function resolveImage(gateway: AwsGateway, config: ImageLocationConfig, namespace: string, image: string): Promise<ResolvedImage> {
  const location = locateImage(namespace, image, config)
  if (location.kind === 'external') return { image: location.reference, digest: location.digest }
  try {
    const id = location.digest ? { digest: location.digest } : { tag: location.tag }
    const detail = await gateway.describeImage(location.repositoryName, id)
    const digest = detail.imageDigest ?? location.digest
    return { image: runImage(location, digest), digest }
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e
    const shown = /[:@][^/]*$/.test(image) ? image : `${image}:latest`
    throw new NotFoundError(`No such image: ${shown}`, { cause: e })
  }
}

/** Every image in the namespace's ECR repositories, named as the namespace sees them (`app`). */
export async function listImages(gateway: AwsGateway, config: ImageLocationConfig, namespace: string): Promise<ImageInfo[]> {
  const prefix = namespaceRepositoryPrefix(config, namespace)
  const out: ImageInfo[] = []
  for (const repo of await gateway.listRepositories(prefix)) {
    for (const d of await gateway.listImages(repo.name)) {
      if (!d.imageDigest) continue
      const pushedAt = d.imagePushedAt?.toISOString()
      out.push({
        id: d.imageDigest,
        repository: repo.name.slice(prefix.length),
        tags: d.imageTags ?? [],
        digest: d.imageDigest,
        sizeBytes: d.imageSizeInBytes ?? 0,
        createdAt: pushedAt,
        pushedAt,
      })
    }
  }
  return out
}
