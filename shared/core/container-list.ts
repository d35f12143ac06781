import type { CoreDeps } from './core-deps.js'
import { InvalidRequestError } from './errors.js'
import type { Container, DockerStatus } from './model.js'
import { parseImageReference } from './image-reference.js'
import { resolveContainer } from './container-resolver.js'

export interface ListFilters {
  status?: string[]
  /** `key` or `key=value`. */
  label?: string[]
  /** Substring, `^`/`$` anchors honoured (Docker takes a regular expression; plain text works the same). */
  name?: string[]
  /** Id prefix. */
  id?: string[]
  /** Image reference: repository, repository:tag or digest. */
  ancestor?: string[]
  /** A container id or name: only containers created before / after it. */
  before?: string[]
  since?: string[]
}

export interface ListOptions {
  /** Include stopped containers (docker ps -a). */
  all?: boolean
  /** The N most recently created (implies all). */
  limit?: number
  filters?: ListFilters
}

const STATUSES: DockerStatus[] = ['created', 'restarting', 'running', 'removing', 'exited', 'dead']

function matchesLabel(c: Container, filter: string): boolean {
  const eq = filter.indexOf('=')
  if (eq < 0) return filter in c.spec.labels
  return c.spec.labels[filter.slice(0, eq)] === filter.slice(eq + 1)
}

/**
 * Docker matches names as a regular expression; fargated matches a substring, with `^` and `$`
 * anchors honoured. A user-supplied RegExp could backtrack for seconds on one request.
 */
function matchesName(c: Container, filter: string): boolean {
  let f = filter.startsWith('/') ? filter.slice(1) : filter
  const start = f.startsWith('^')
  const end = f.endsWith('$') && f.length > (start ? 1 : 0)
  if (start) f = f.slice(1)
  if (end) f = f.slice(0, -1)
  if (f.startsWith('/')) f = f.slice(1)
  if (start && end) return c.name === f
  if (start) return c.name.startsWith(f)
  if (end) return c.name.endsWith(f)
  return c.name.includes(f)
}

function matchesAncestor(c: Container, filter: string): boolean {
  if (filter.startsWith('sha256:')) return c.imageDigest === filter
  const image = c.spec.image
  if (image === filter) return true
  try {
    const want = parseImageReference(filter)
    const have = parseImageReference(image)
    return want.repository === have.repository && (want.registry ?? '') === (have.registry ?? '') && (!want.tag || want.tag === (have.tag ?? 'latest'))
  } catch {
    return false
  }
}

/** docker ps semantics: running only unless `all`; newest first; filters ANDed across kinds, ORed within one. */
export async function listContainers(deps: CoreDeps, namespace: string, options: ListOptions = {}): Promise<Container[]> {
  const f = options.filters ?? {}
  for (const s of f.status ?? []) {
    if (!STATUSES.includes(s as DockerStatus) && s !== 'paused') {
      throw new InvalidRequestError(`invalid filter 'status=${s}': use one of ${STATUSES.join(', ')}`)
    }
  }
  let list = (await deps.store.listContainers(namespace)).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
  const all = options.all || (options.limit !== undefined && options.limit > 0) || (f.status?.length ?? 0) > 0
  if (!all) list = list.filter((c) => c.state.running || c.state.status === 'restarting')
  if (f.status?.length) list = list.filter((c) => f.status!.includes(c.state.status))
  if (f.label?.length) list = list.filter((c) => f.label!.every((l) => matchesLabel(c, l)))
  if (f.name?.length) list = list.filter((c) => f.name!.some((n) => matchesName(c, n)))
  if (f.id?.length) list = list.filter((c) => f.id!.some((p) => c.id.startsWith(p)))
  if (f.ancestor?.length) list = list.filter((c) => f.ancestor!.some((a) => matchesAncestor(c, a)))
  for (const ref of f.before ?? []) {
    const pivot = await resolveContainer(deps.store, namespace, ref)
    list = list.filter((c) => c.createdAt < pivot.createdAt)
  }
  for (const ref of f.since ?? []) {
    const pivot = await resolveContainer(deps.store, namespace, ref)
    list = list.filter((c) => c.createdAt > pivot.createdAt)
  }
  if (options.limit !== undefined && options.limit > 0) list = list.slice(0, options.limit)
  return list
}
