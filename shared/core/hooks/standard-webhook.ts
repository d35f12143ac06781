/**
 * Standard Webhooks (v1): `webhook-id`, `webhook-timestamp`, `webhook-signature` (space
 * separated `v1,<base64 HMAC-SHA256>` entries over `id.timestamp.body`, key = the base64 part
 * of `whsec_…`). The timestamp must be within ±5 minutes of our clock; the signature is
 * computed by the `standardwebhooks` library and compared in constant time. The id is signed,
 * so it alone dedupes. The payload is `{type, data}`; data may name repo, branch, tag,
 * workflow, sha, image and digest.
 */
import { timingSafeEqual } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { InvalidRequestError, UnauthorizedError } from '../errors.js'
import { hmacSecrets } from './hook-secrets.js'
import { obj, str, type HookScheme } from './delivery-types.js'
import { parseBody } from './parse-body.js'

export const TOLERANCE_S = 300

function signatureMatches(secret: string, id: string, timestamp: number, body: string, header: string): boolean {
  const expected = Buffer.from(new Webhook(secret).sign(id, new Date(timestamp * 1000), body).split(',')[1])
  let ok = false
  for (const entry of header.split(' ')) {
    const [version, sig] = entry.split(',')
    if (version !== 'v1' || !sig) continue
    const got = Buffer.from(sig)
    if (got.length === expected.length && timingSafeEqual(got, expected)) ok = true
  }
  return ok
}

export const standardScheme: HookScheme = {
  async verify(hook, delivery, now) {
    const id = delivery.headers['webhook-id']
    const ts = delivery.headers['webhook-timestamp']
    const signature = delivery.headers['webhook-signature']
    if (!id || !ts || !signature) throw new UnauthorizedError('missing webhook-id, webhook-timestamp or webhook-signature')
    const timestamp = /^\d{1,12}$/.test(ts) ? Number(ts) : NaN
    if (Number.isNaN(timestamp)) throw new UnauthorizedError('webhook-timestamp must be Unix seconds')
    const skew = now.getTime() / 1000 - timestamp
    if (Math.abs(skew) > TOLERANCE_S) {
      throw new UnauthorizedError(`webhook-timestamp is ${Math.round(Math.abs(skew))}s ${skew > 0 ? 'old' : 'in the future'}; at most ${TOLERANCE_S}s are accepted`)
    }
    if (!hmacSecrets(hook, now).some((s) => signatureMatches(s, id, timestamp, delivery.body, signature))) {
      throw new UnauthorizedError('webhook-signature does not match the hook secret')
    }
    if (!delivery.body) throw new InvalidRequestError('empty delivery body')
    const payload = parseBody(delivery.body)
    return { deliveryId: id, idSigned: true, event: str(obj(payload).type) ?? 'unknown', payload }
  },

  interpret({ event, payload }) {
    const d = obj(obj(payload).data)
    return {
      kind: 'trigger',
      trigger: {
        event,
        repo: str(d.repo) ?? str(d.repository),
        branch: str(d.branch),
        tag: str(d.tag),
        workflow: str(d.workflow),
        sha: str(d.sha),
        image: str(d.image),
        digest: str(d.digest),
      },
    }
  },
}
