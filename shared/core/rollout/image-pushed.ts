/**
 * The one domain event every push source becomes (ECR Image Action, registry notification,
 * a CI webhook that names an image): "image pushed (repository, tag, digest)". Repositories
 * are compared as canonical `host/path` names, which a RepositoryNaming gives for a
 * container's image in its namespace.
 */
import { createHash } from 'node:crypto'
import { parseImageReference } from '../image-reference.js'

export interface ImagePushed {
  /** Canonical repository, `host/path` (e.g. `123.dkr.ecr.eu-west-1.amazonaws.com/fargated/team/app`, `localhost:5000/app`). */
  repository: string
  tag: string
  digest: string
  /** Set when the repository belongs to one namespace (ECR); unset for local registries (every namespace). */
  namespace?: string
  /** Where the event came from: `ecr`, `registry`, `hook:<id>`. */
  source: string
}

/** How a container's image names a repository, as the canonical `host/path`. */
export interface RepositoryNaming {
  /** Undefined when the image is not in a registry pushes can come from. */
  repositoryOf(namespace: string, image: string): string | undefined
}

const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/i

/** Lowercases the host and spells every loopback address `localhost`. */
export function canonicalHost(host: string): string {
  const h = host.toLowerCase()
  const m = LOOPBACK.exec(h)
  return m ? `localhost${m[2] ?? ''}` : h
}

/**
 * Local naming: an image with a registry host is `host/path`; a Docker Hub name is
 * `docker.io/library/x` or `docker.io/ns/x`. Used with a local registry, where the image a
 * container runs is written the way it was pushed (`localhost:5000/app:1`).
 */
export const localRepositoryNaming: RepositoryNaming = {
  repositoryOf(_namespace, image) {
    const ref = parseImageReference(image)
    if (!ref.registry) return `docker.io/${ref.repository.includes('/') ? ref.repository : `library/${ref.repository}`}`
    return `${canonicalHost(ref.registry)}/${ref.repository}`
  },
}

/** The key that makes duplicates of one push one event. */
export function pushKey(push: Pick<ImagePushed, 'repository' | 'tag' | 'digest' | 'namespace'>): string {
  return createHash('sha256').update(`${push.namespace ?? '*'}|${push.repository}|${push.tag}|${push.digest}`).digest('hex').slice(0, 40)
}

/** The image reference to run for a push: the container's own repository text pinned to the digest. */
export function pinnedImage(specImage: string, digest: string): string {
  const ref = parseImageReference(specImage)
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}@${digest}`
}

/** The spec image after a rollout to `tag`: the same repository text with the new tag. */
export function retaggedImage(specImage: string, tag: string): string {
  const ref = parseImageReference(specImage)
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}:${tag}`
}

/** The tag a spec image names (`latest` when none and no digest). */
export function imageTag(specImage: string): string | undefined {
  const ref = parseImageReference(specImage)
  return ref.tag ?? (ref.digest ? undefined : 'latest')
}
