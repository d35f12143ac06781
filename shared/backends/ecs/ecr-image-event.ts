/**
 * EventBridge "ECR Image Action" (aws-facts §3.2) → an image push. Only successful PUSH
 * actions count; deletes and failures are ignored. Events are best effort and may repeat:
 * dedupe on the digest.
 */
import { z } from 'zod'
import { InvalidRequestError } from '../../core/errors.js'

export const IMAGE_ACTION = 'ECR Image Action'

export interface EcrImagePush {
  /** ECR repository name, e.g. `fargated/team-a/app`. */
  repository: string
  tag?: string
  digest: string
  /** Set when the repository belongs to a namespace (`<repositoryPrefix>/<namespace>/<name>`). */
  namespace?: string
  /** The repository as the namespace names it (`app`). */
  name?: string
}

const EnvelopeSchema = z.object({ source: z.string(), 'detail-type': z.string(), detail: z.unknown() })

const DetailSchema = z.object({
  'action-type': z.string(),
  result: z.string(),
  'repository-name': z.string().min(1),
  'image-digest': z.string().min(1),
  'image-tag': z.string().optional(),
})

/**
 * Parses an ECR Image Action event; undefined for anything but a successful push.
 * With `repositoryPrefix`, a repository under `<prefix>/<namespace>/` also yields its namespace.
 */
export function parseEcrImagePush(event: unknown, options: { repositoryPrefix?: string } = {}): EcrImagePush | undefined {
  const envelope = EnvelopeSchema.safeParse(event)
  if (!envelope.success || envelope.data.source !== 'aws.ecr' || envelope.data['detail-type'] !== IMAGE_ACTION) return undefined
  const parsed = DetailSchema.safeParse(envelope.data.detail)
  if (!parsed.success) {
    throw new InvalidRequestError(`malformed ${IMAGE_ACTION} event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  }
  const d = parsed.data
  if (d['action-type'] !== 'PUSH' || d.result !== 'SUCCESS') return undefined
  const push: EcrImagePush = { repository: d['repository-name'], digest: d['image-digest'] }
  if (d['image-tag']) push.tag = d['image-tag']
  const prefix = options.repositoryPrefix ? `${options.repositoryPrefix}/` : undefined
  if (prefix && push.repository.startsWith(prefix)) {
    const rest = push.repository.slice(prefix.length)
    const slash = rest.indexOf('/')
    if (slash > 0 && slash < rest.length - 1) {
      push.namespace = rest.slice(0, slash)
      push.name = rest.slice(slash + 1)
    }
  }
  return push
}
