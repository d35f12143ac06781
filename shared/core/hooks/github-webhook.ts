/**
 * GitHub: `X-Hub-Signature-256: sha256=<HMAC-SHA256(secret, raw body)>` checked with
 * @octokit/webhooks-methods (constant time); `X-GitHub-Delivery` is the delivery id (not
 * signed, so replays are caught by body hash as well). Events acted on: `workflow_run`
 * completed with conclusion success; `registry_package` / `package` published (a container
 * image with a tag); `ping` is answered. Everything else is ignored.
 */
import { verify } from '@octokit/webhooks-methods'
import { InvalidRequestError, UnauthorizedError } from '../errors.js'
import { hmacSecrets } from './hook-secrets.js'
import { obj, str, type HookScheme, type Interpretation, type Trigger } from './delivery-types.js'
import { parseBody } from './parse-body.js'

export const githubScheme: HookScheme = {
  async verify(hook, delivery, now) {
    const signature = delivery.headers['x-hub-signature-256']
    if (!signature) throw new UnauthorizedError('missing X-Hub-Signature-256: set a secret on the GitHub webhook')
    if (!delivery.body) throw new InvalidRequestError('empty delivery body')
    let ok = false
    for (const secret of hmacSecrets(hook, now)) if (await verify(secret, delivery.body, signature)) ok = true
    if (!ok) throw new UnauthorizedError('X-Hub-Signature-256 does not match the hook secret')
    const deliveryId = delivery.headers['x-github-delivery']
    const event = delivery.headers['x-github-event']
    if (!deliveryId || !event) throw new InvalidRequestError('missing X-GitHub-Delivery or X-GitHub-Event')
    return { deliveryId, idSigned: false, event, payload: parseBody(delivery.body, delivery.headers['content-type']) }
  },

  interpret({ event, payload }): Interpretation {
    const p = obj(payload)
    const action = str(p.action)
    const repo = str(obj(p.repository).full_name)
    if (event === 'ping') return { kind: 'ping' }
    if (event === 'workflow_run') {
      const run = obj(p.workflow_run)
      const conclusion = str(run.conclusion)
      if (action !== 'completed' || conclusion !== 'success') {
        return { kind: 'ignored', reason: `workflow_run ${action ?? '?'}${conclusion ? ` (${conclusion})` : ''}: only completed with success triggers` }
      }
      const trigger: Trigger = { event, repo, branch: str(run.head_branch), workflow: str(run.name), sha: str(run.head_sha) }
      return { kind: 'trigger', trigger }
    }
    if (event === 'registry_package' || event === 'package') {
      if (action !== 'published') return { kind: 'ignored', reason: `${event} ${action ?? '?'}: only published triggers` }
      const pkg = obj(event === 'package' ? p.package : p.registry_package)
      const version = obj(pkg.package_version)
      const container = obj(version.container_metadata)
      const tag = str(obj(container.tag).name)
      if (!tag) return { kind: 'ignored', reason: `${event} published without a container tag` }
      const digest = str(obj(container.tag).digest) ?? str(obj(container.manifest).digest)
      const url = str(version.package_url)
      const image = url && url.includes(':') ? url : undefined
      return { kind: 'trigger', trigger: { event, repo, tag, digest, image } }
    }
    return { kind: 'ignored', reason: `GitHub event ${event} does not trigger hooks` }
  },
}
