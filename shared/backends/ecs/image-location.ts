/**
 * Where an image reference points, for a namespace. Pure: no ECR call.
 *
 * - A short name (no registry host: `app`, `app:1`, `team/app@sha256:…`) is the namespace's
 *   own ECR repository `<registry>/<repositoryPrefix>/<namespace>/<name>`.
 * - A full URI in fargated's registry is allowed only inside the namespace's repositories or
 *   the pull-through cache prefix; any other repository there → ForbiddenError.
 * - Docker Hub images (`docker.io/...`) go through the pull-through cache when
 *   `pullThroughPrefix` is configured (`<registry>/<prefix>/library/nginx:1`); any other
 *   registry is pulled as written, with no digest lookup.
 */
import { ForbiddenError } from '../../core/errors.js'
import { parseImageReference } from '../../core/image-reference.js'
import { namespaceRepositoryPrefix, registryHost, type EcsBackendConfig } from './ecs-config.js'

export type ImageLocation =
  | {
      kind: 'namespace'
      /** ECR repository name, e.g. `fargated/team-a/app`. */
      repositoryName: string
      repositoryUri: string
      tag: string
      digest?: string
    }
  | {
      kind: 'external'
      /** What the task pulls. */
      reference: string
      digest?: string
      viaPullThroughCache: boolean
    }

export type ImageLocationConfig = Pick<EcsBackendConfig, 'registry' | 'repositoryPrefix' | 'pullThroughPrefix'>

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

/** Every ECR registry host form: regular, FIPS, dual-stack, China, with an optional port. */
const ECR_HOST = /^(\d{12})\.dkr(?:\.ecr|-ecr)(?:-fips)?\.[a-z0-9-]+\.(?:amazonaws\.com(?:\.cn)?|on\.aws)(?::\d+)?$/

/** The 12-digit account of an ECR registry host, if it is one. */
export function ecrAccountOf(host: string): string | undefined {
  return ECR_HOST.exec(host.toLowerCase())?.[1]
}

export function locateImage(namespace: string, image: string, config: ImageLocationConfig): ImageLocation {
  const ref = parseImageReference(image)
  const host = registryHost(config.registry)
  const own = namespaceRepositoryPrefix(config, namespace)
  const suffix = `${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`
  const inNamespace = (repositoryName: string): ImageLocation => ({
    kind: 'namespace',
    repositoryName,
    repositoryUri: `${host}/${repositoryName}`,
    tag: ref.tag ?? 'latest',
    digest: ref.digest,
  })
  if (!ref.registry) return inNamespace(`${own}${ref.repository}`)
  const given = ref.registry.toLowerCase().replace(/:443$/, '')
  const ownAccount = ecrAccountOf(host)
  if (given !== host.toLowerCase() && ownAccount && ecrAccountOf(given) === ownAccount) {
    // Another host form of our own registry (FIPS, dual-stack, explicit port): the execution
    // role could pull any namespace's repository through it, so it is refused.
    throw new ForbiddenError(`image ${image} names this deployment's registry through another host; use ${host}/${own}<name>`)
  }
  if (given === host.toLowerCase()) {
    if (ref.repository.startsWith(own)) return inNamespace(ref.repository)
    if (config.pullThroughPrefix && ref.repository.startsWith(`${config.pullThroughPrefix}/`)) {
      return { kind: 'external', reference: image, digest: ref.digest, viaPullThroughCache: true }
    }
    throw new ForbiddenError(`image ${image} is not in this namespace's repositories (${host}/${own}*)`)
  }
  if (config.pullThroughPrefix && DOCKER_HUB.has(ref.registry.toLowerCase())) {
    const path = ref.repository.includes('/') ? ref.repository : `library/${ref.repository}`
    return {
      kind: 'external',
      reference: `${host}/${config.pullThroughPrefix}/${path}${suffix || ':latest'}`,
      digest: ref.digest,
      viaPullThroughCache: true,
    }
  }
  return { kind: 'external', reference: image, digest: ref.digest, viaPullThroughCache: false }
}

/** What a run pulls: the repository pinned to `digest` when known, else the tag or reference. */
export function runImage(location: ImageLocation, digest?: string): string {
  if (location.kind === 'external') return location.reference
  const d = digest ?? location.digest
  return d ? `${location.repositoryUri}@${d}` : `${location.repositoryUri}:${location.tag}`
}
