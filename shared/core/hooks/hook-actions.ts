/**
 * What a triggered hook does.
 * - run: creates and starts a one-off container from the hook's spec, with the delivery's
 *   facts as FARGATED_* environment variables (the spec's own env wins). The idempotency key
 *   is `hook:<hookId>:<deliveryId>`, so a retried delivery returns the same container and its
 *   runtime token (RunTask clientToken) is derived from the delivery id.
 * - redeploy: rolls out the running containers the selector picks (rollouts are started here
 *   and finished by the rollout service), on the delivery's image tag and digest when the
 *   delivery names an image of the container's own repository, else on the container's
 *   image reference resolved afresh.
 */
import { createHash } from 'node:crypto'
import type { ContainerService } from '../container-service.js'
import type { Container } from '../model.js'
import type { Store } from '../ports.js'
import type { RolloutService } from '../rollout/rollout-service.js'
import { globMatch } from '../rollout/track-match.js'
import type { Trigger } from './delivery-types.js'
import type { ContainerSelector, DeliveryRecord, Hook } from './hook-model.js'

export interface ActionDeps {
  store: Store
  containers: ContainerService
  rollouts: RolloutService
}

export interface ActionResult {
  outcome: string
  containers: NonNullable<DeliveryRecord['containers']>
}

export function triggerEnv(t: Trigger, deliveryId: string): Record<string, string> {
  const env: Record<string, string | undefined> = {
    FARGATED_EVENT: t.event, FARGATED_REPO: t.repo, FARGATED_BRANCH: t.branch, FARGATED_TAG: t.tag,
    FARGATED_WORKFLOW: t.workflow, FARGATED_SHA: t.sha, FARGATED_IMAGE: t.image, FARGATED_DIGEST: t.digest, FARGATED_DELIVERY: deliveryId,
  }
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined).map(([k, v]) => [k, v.slice(0, 512)]))
}

export async function actOn(deps: ActionDeps, hook: Hook, deliveryId: string, t: Trigger): Promise<ActionResult> {
  const key = `hook:${hook.id}:${deliveryId}`
  if (hook.action.type === 'run') {
    const spec = hook.action.spec as Record<string, unknown>
    const env = { ...triggerEnv(t, deliveryId), ...((spec.env as Record<string, string> | undefined) ?? {}) }
    const suffix = createHash('sha256').update(deliveryId).digest('hex').slice(0, 8)
    const request = { spec: { ...spec, env }, ...(hook.action.name ? { name: `${hook.action.name}-${suffix}` } : {}) }
    const c = await deps.containers.run(hook.namespace, request, { key, body: { hook: hook.id, ...request } })
    return { outcome: `ran container ${c.name}`, containers: [{ id: c.id, name: c.name, outcome: 'started' }] }
  }
  const selected = select(await deps.containers.list(hook.namespace, { all: true }), hook.action.selector)
  const running = selected.filter((c) => c.state.running)
  if (running.length === 0) return { outcome: `no running container matches the selector (${selected.length} stopped)`, containers: [] }
  const byRepo = new Map<string, Container[]>()
  for (const c of running) {
    const same = t.image !== undefined && sameRepository(deps.rollouts, c, t.image)
    const group = same ? 'image' : 'own'
    byRepo.set(group, [...(byRepo.get(group) ?? []), c])
  }
  const cause = `hook ${hook.id}`
  const results = [
    ...(await deps.rollouts.redeploy(byRepo.get('image') ?? [], key, cause, { tag: t.tag, digest: t.digest })),
    ...(await deps.rollouts.redeploy(byRepo.get('own') ?? [], key, cause)),
  ]
  const started = results.filter((r) => r.outcome === 'started' || r.outcome === 'queued').length
  return {
    outcome: `redeploying ${started} of ${running.length} container${running.length === 1 ? '' : 's'}`,
    containers: results.map((r) => ({ id: r.containerId, name: r.name, outcome: r.reason ? `${r.outcome}: ${r.reason}` : r.outcome })),
  }
}

function select(all: Container[], selector: ContainerSelector): Container[] {
  return all.filter((c) => {
    if (selector.name !== undefined && !globMatch(selector.name, c.name)) return false
    for (const [k, v] of Object.entries(selector.label ?? {})) if (c.spec.labels[k] !== v) return false
    return true
  })
}

function sameRepository(rollouts: RolloutService, c: Container, image: string): boolean {
  try {
    const naming = rollouts.deps.naming
    return naming.repositoryOf(c.namespace, c.spec.image) === naming.repositoryOf(c.namespace, image)
  } catch {
    return false
  }
}
