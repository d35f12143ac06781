import { InvalidSpecError } from './errors.js'

/** A parsed image reference (distribution/reference grammar). */
export interface ImageReference {
  /** Registry host[:port], when the first path part looks like one. */
  readonly registry?: string
  /** Repository path without the registry, e.g. `library/busybox` or `app`. */
  readonly repository: string
  readonly tag?: string
  readonly digest?: string
}

const DOMAIN = /^(?:localhost|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))+|[a-zA-Z0-9-]+:\d+|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*:\d+)$/
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/
const TAG = /^[\w][\w.-]{0,127}$/
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$/

/** Parses `[registry/]repo[:tag][@digest]`; throws InvalidSpecError naming what is wrong. */
export function parseImageReference(ref: string): ImageReference {
  const bad = (why: string): never => {
    throw new InvalidSpecError(`invalid image reference "${ref}": ${why}`)
  }
  if (!ref || ref.length > 255 + 128 + 80) bad('it must be 1 to 463 characters')
  let rest = ref
  let digest: string | undefined
  const at = rest.indexOf('@')
  if (at >= 0) {
    digest = rest.slice(at + 1)
    rest = rest.slice(0, at)
    if (!DIGEST.test(digest)) bad('the digest must look like sha256:<64 hex>')
  }
  let tag: string | undefined
  const lastSlash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1)
    rest = rest.slice(0, colon)
    if (!TAG.test(tag)) bad('the tag must match [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}')
  }
  const parts = rest.split('/')
  let registry: string | undefined
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()
    if (!DOMAIN.test(registry!)) bad(`"${registry}" is not a valid registry host`)
  }
  if (parts.length === 0 || parts.some((p) => !PATH_COMPONENT.test(p))) {
    bad('repository names use lowercase letters, digits and single separators (. _ __ -) between them')
  }
  const repository = parts.join('/')
  if (repository.length > 255) bad('the repository name is longer than 255 characters')
  return { registry, repository, tag, digest }
}

/** Formats a reference back to text. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry ? `${ref.registry}/` : ''}${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`
}
