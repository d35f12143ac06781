/**
 * Docker Registry (distribution) notifications → image-pushed events (aws-facts §8). The
 * envelope is `{events: [...]}` with content type `…events.v1+json` (registry 2.x) or
 * `…events.v2+json` (distribution 3); both parse the same. Only `push` events of a manifest
 * (not blobs) that carry a tag count; pushes by digest only, pulls, mounts and deletes do not.
 */
import { InvalidRequestError } from '../errors.js'
import { canonicalHost, type ImagePushed } from '../rollout/image-pushed.js'
import type { RolloutService } from '../rollout/rollout-service.js'
import type { RolloutResult } from '../rollout/rollout-types.js'

export const NOTIFICATION_MEDIA_TYPES = [
  'application/vnd.docker.distribution.events.v1+json',
  'application/vnd.docker.distribution.events.v2+json',
]

export const MANIFEST_MEDIA_TYPES = new Set([
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v1+prettyjws',
  'application/vnd.docker.distribution.manifest.v1+json',
])

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    return new URL(url).host || undefined
  } catch {
    return undefined
  }
}

export interface NotificationOptions {
  /** The registry's host as containers name it (`localhost:5000`); default: the request's Host. */
  registryHost?: string
}

/**
 * Parses a notification body (text or parsed JSON). Throws InvalidRequestError when it is not
 * an envelope; returns one event per tagged manifest push, duplicates within the body removed.
 */
export function parseRegistryNotification(body: unknown, options: NotificationOptions = {}): ImagePushed[] {
  let parsed = body
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body)
    } catch {
      throw new InvalidRequestError('a registry notification is a JSON envelope {"events": [...]}')
    }
  }
  const events = record(parsed).events
  if (!Array.isArray(events)) throw new InvalidRequestError('a registry notification is a JSON envelope {"events": [...]}')
  const out = new Map<string, ImagePushed>()
  for (const raw of events) {
    const event = record(raw)
    const target = record(event.target)
    if (event.action !== 'push' || !MANIFEST_MEDIA_TYPES.has(text(target.mediaType) ?? '')) continue
    const tag = text(target.tag)
    const digest = text(target.digest)
    const repository = text(target.repository)
    if (!tag || !digest || !DIGEST.test(digest) || !repository) continue
    const host = options.registryHost ?? text(record(event.request).host) ?? hostOf(text(target.url))
    if (!host) continue
    const push: ImagePushed = { repository: `${canonicalHost(host)}/${repository}`, tag, digest, source: 'registry' }
    out.set(`${push.repository}:${tag}@${digest}`, push)
  }
  return [...out.values()]
}

/** What one notification did: the pushes it carried and the rollouts they started. */
export interface NotificationOutcome {
  pushes: ImagePushed[]
  rollouts: RolloutResult[]
}

/**
 * Ingests a registry notification body (local mode): parses it and hands each push to the
 * rollout service (deduped there). Returns quickly: rollouts are started, not awaited (unless
 * `wait`), and finished in the background or by advanceAll.
 */
export async function ingestRegistryNotification(
  rollouts: Pick<RolloutService, 'imagePushed'>,
  body: unknown,
  options: NotificationOptions & { wait?: boolean } = {},
): Promise<NotificationOutcome> {
  const pushes = parseRegistryNotification(body, options)
  const results: RolloutResult[] = []
  for (const push of pushes) results.push(...(await rollouts.imagePushed(push, { wait: options.wait })))
  return { pushes, rollouts: results }
}
