/**
 * Image shapes for `docker images` (Created and Size are int64) and `docker image inspect`
 * (Created is an RFC 3339 string), built from the port's ImageInfo; plus reference matching.
 */
import type { ImageInfo } from '../../core/ports.js'
import { ZERO_TIME } from './containers-json.js'

/** An ImageInfo merged per image id (a backend lists one entry per repository). */
export interface ImageView {
  id: string
  repoTags: string[]
  repoDigests: string[]
  sizeBytes: number
  createdAt?: string
  pushedAt?: string
  architecture?: string
  os?: string
}

function withPrefix(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? `sha256:${id}` : id
}

/** Groups ImageInfo entries by id. */
export function imageViews(infos: ImageInfo[]): ImageView[] {
  const byId = new Map<string, ImageView>()
  for (const i of infos) {
    const id = withPrefix(i.id)
    const view = byId.get(id) ?? { id, repoTags: [], repoDigests: [], sizeBytes: i.sizeBytes, createdAt: i.createdAt, pushedAt: i.pushedAt, architecture: i.architecture, os: i.os }
    if (i.repository !== '<none>') {
      for (const t of i.tags) view.repoTags.push(`${i.repository}:${t}`)
      if (i.digest) view.repoDigests.push(`${i.repository}@${i.digest}`)
    }
    byId.set(id, view)
  }
  return [...byId.values()]
}

/** One `GET /images/json` item. */
export function imageSummary(v: ImageView): Record<string, unknown> {
  const created = Date.parse(v.createdAt ?? v.pushedAt ?? '')
  return {
    Id: v.id,
    ParentId: '',
    RepoTags: v.repoTags,
    RepoDigests: v.repoDigests,
    Created: Number.isNaN(created) ? 0 : Math.floor(created / 1000),
    Size: v.sizeBytes,
    SharedSize: -1,
    Labels: null,
    Containers: -1,
  }
}

/** `GET /images/{name}/json` from what the port knows. */
export function imageInspect(v: ImageView): Record<string, unknown> {
  return {
    Id: v.id,
    RepoTags: v.repoTags,
    RepoDigests: v.repoDigests,
    Parent: '',
    Comment: '',
    Created: v.createdAt ?? v.pushedAt ?? ZERO_TIME,
    DockerVersion: '',
    Author: '',
    Config: { Env: null, Cmd: null, Entrypoint: null, WorkingDir: '', Labels: null },
    Architecture: v.architecture ?? 'amd64',
    Os: v.os ?? 'linux',
    Size: v.sizeBytes,
    GraphDriver: { Data: null, Name: '' },
    RootFS: { Type: 'layers' },
    Metadata: { LastTagTime: v.pushedAt ?? ZERO_TIME },
  }
}

/** Docker Hub names as the CLI may normalize them (`docker.io/library/x` → `x`). */
export function familiar(ref: string): string {
  return ref.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '')
}

function splitTag(ref: string): { name: string; tag?: string } {
  const colon = ref.lastIndexOf(':')
  return colon > ref.lastIndexOf('/') ? { name: ref.slice(0, colon), tag: ref.slice(colon + 1) } : { name: ref }
}

/** Finds an image by id (or id prefix), `repo@digest`, or `repo[:tag]` (tag defaults to latest). */
export function findImage(views: ImageView[], ref: string): ImageView | undefined {
  const hex = ref.replace(/^sha256:/, '')
  if (/^[0-9a-f]{4,64}$/.test(hex)) {
    const byId = views.filter((v) => v.id.replace(/^sha256:/, '').startsWith(hex))
    if (byId.length === 1) return byId[0]
  }
  const want = familiar(ref)
  if (want.includes('@')) return views.find((v) => v.repoDigests.some((d) => familiar(d) === want))
  const { name, tag } = splitTag(want)
  const full = `${name}:${tag ?? 'latest'}`
  return views.find((v) => v.repoTags.some((t) => familiar(t) === full))
}

function globRegex(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')
  return new RegExp(`^${body}$`)
}

/** `docker images <pattern>` (filters.reference): a glob on the familiar `repo` or `repo:tag`. */
export function matchesReference(v: ImageView, pattern: string): boolean {
  const p = familiar(pattern)
  const re = globRegex(p)
  const hasTag = splitTag(p).tag !== undefined
  return v.repoTags.some((t) => {
    const f = familiar(t)
    return hasTag ? re.test(f) : re.test(splitTag(f).name)
  })
}
