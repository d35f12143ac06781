/**
 * Docker Hub: no signature and no secret header; the hook URL carries an unguessable token
 * (`?token=`), compared in constant time by hash. Every delivery is a push; its id is the body
 * hash (the body holds pushed_at, so two pushes differ).
 */
import { UnauthorizedError } from '../errors.js'
import { tokenMatches } from './hook-secrets.js'
import { obj, str, type HookScheme } from './delivery-types.js'
import { bodyHash, parseBody } from './parse-body.js'

export const dockerhubScheme: HookScheme = {
  async verify(hook, delivery, now) {
    if (!tokenMatches(hook, delivery.query.token, now)) throw new UnauthorizedError('the URL token is missing or does not match the hook')
    return { deliveryId: `body:${bodyHash(delivery.body)}`, idSigned: false, event: 'push', payload: parseBody(delivery.body) }
  },

  interpret({ payload }) {
    const p = obj(payload)
    const repo = str(obj(p.repository).repo_name)
    const tag = str(obj(p.push_data).tag)
    if (!repo || !tag) return { kind: 'ignored', reason: 'a Docker Hub push names a repository and a tag' }
    return { kind: 'trigger', trigger: { event: 'push', repo, tag, image: `docker.io/${repo}:${tag}` } }
  },
}
