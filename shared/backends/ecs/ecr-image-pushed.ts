/**
 * The ECS deployment's side of "image pushed": an ECR Image Action event as the core's
 * ImagePushed (canonical `host/repository`, the namespace from the repository prefix), and
 * the naming that maps a container's image (`app:1`, a full ECR URI, an external image) to
 * the same canonical form.
 */
import { localRepositoryNaming, type ImagePushed, type RepositoryNaming } from '../../core/rollout/image-pushed.js'
import { parseEcrImagePush } from './ecr-image-event.js'
import { registryHost } from './ecs-config.js'
import { locateImage, type ImageLocationConfig } from './image-location.js'

/** A successful tagged push into a namespace repository, else undefined. */
export function imagePushedFromEcr(event: unknown, config: Pick<ImageLocationConfig, 'registry' | 'repositoryPrefix'>): ImagePushed | undefined {
  const push = parseEcrImagePush(event, { repositoryPrefix: config.repositoryPrefix })
  if (!push?.tag || !push.namespace) return undefined
  return { repository: `${registryHost(config.registry)}/${push.repository}`, tag: push.tag, digest: push.digest, namespace: push.namespace, source: 'ecr' }
}

export function ecrRepositoryNaming(config: ImageLocationConfig): RepositoryNaming {
  return {
    repositoryOf(namespace, image) {
      const location = locateImage(namespace, image, config)
      if (location.kind === 'namespace') return location.repositoryUri
      return localRepositoryNaming.repositoryOf(namespace, location.reference)
    },
  }
}
