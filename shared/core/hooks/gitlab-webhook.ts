/**
 * GitLab: the secret token arrives as is in `X-Gitlab-Token` and is compared in constant time
 * (by hash). The delivery id is `Idempotency-Key` or `X-Gitlab-Event-UUID` when present, else
 * the body hash; none of them is signed. A pipeline event with status success triggers.
 */
import { UnauthorizedError } from '../errors.js'
import { tokenMatches } from './hook-secrets.js'
import { obj, str, type HookScheme } from './delivery-types.js'
import { bodyHash, parseBody } from './parse-body.js'

export const gitlabScheme: HookScheme = {
  async verify(hook, delivery, now) {
    if (!tokenMatches(hook, delivery.headers['x-gitlab-token'], now)) {
      throw new UnauthorizedError('X-Gitlab-Token is missing or does not match the hook secret')
    }
    const payload = parseBody(delivery.body)
    const deliveryId = delivery.headers['idempotency-key'] ?? delivery.headers['x-gitlab-event-uuid'] ?? `body:${bodyHash(delivery.body)}`
    const event = delivery.headers['x-gitlab-event'] ?? str(obj(payload).object_kind) ?? 'unknown'
    return { deliveryId, idSigned: false, event, payload }
  },

  interpret({ event, payload }) {
    const p = obj(payload)
    if (str(p.object_kind) !== 'pipeline') return { kind: 'ignored', reason: `GitLab ${event} does not trigger hooks (only pipeline events do)` }
    const attrs = obj(p.object_attributes)
    const status = str(attrs.status)
    if (status !== 'success') return { kind: 'ignored', reason: `pipeline ${status ?? '?'}: only success triggers` }
    const ref = str(attrs.ref)
    const isTag = attrs.tag === true
    return {
      kind: 'trigger',
      trigger: { event: 'pipeline', repo: str(obj(p.project).path_with_namespace), branch: isTag ? undefined : ref, tag: isTag ? ref : undefined, sha: str(attrs.sha) },
    }
  },
}
