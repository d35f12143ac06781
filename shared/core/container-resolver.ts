import { InvalidRequestError, NotFoundError } from './errors.js'
import { isFullId, isIdPrefix } from './ids.js'
import type { Container } from './model.js'
import type { Store } from './ports.js'

/**
 * Finds a container the way Docker does: full id, then exact name (with or without a leading
 * `/`), then a unique id prefix. Anything in another namespace is invisible (404).
 */
export async function resolveContainer(store: Store, namespace: string, ref: string): Promise<Container> {
  const raw = decodeURIComponent(ref)
  const name = raw.startsWith('/') ? raw.slice(1) : raw
  if (!name) throw new NotFoundError(`No such container: ${raw}`)
  if (isFullId(name)) {
    const byId = await store.getContainer(namespace, name)
    if (byId) return byId
  }
  const owner = await store.nameOwner(namespace, name)
  if (owner) {
    const byName = await store.getContainer(namespace, owner)
    if (byName) return byName
  }
  if (isIdPrefix(name)) {
    const matches = await store.findByIdPrefix(namespace, name, 2)
    if (matches.length > 1) throw new InvalidRequestError(`multiple IDs found with provided prefix: ${name}`)
    if (matches.length === 1) return matches[0]
  }
  throw new NotFoundError(`No such container: ${raw}`)
}
