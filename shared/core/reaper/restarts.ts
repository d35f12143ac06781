/**
 * Due restart-policy restarts. run-observation sets `restartAt` (with Docker's backoff) when a
 * run stops and the policy wants it back; this starts the container once that time has come.
 *
 * restartCount: startContainer({ byPolicy: true }) keeps the count and nothing else increments
 * it, so decideRestart would never see a retry limit. The count is incremented here, in its
 * own conditional write before the start: it counts restart attempts, so a crash between the
 * two writes retries with the count already taken (never more restarts than on-failure:N allows).
 */
import type { CoreDeps } from '../core-deps.js'
import { startContainer } from '../container-start.js'
import type { Container } from '../model.js'
import { decideRestart } from '../restart-policy.js'
import { settleEach } from './concurrency.js'
import type { ContainerView, TickContext } from './reaper-types.js'
import { viewError } from './reaper-types.js'

/** Is the container waiting for a policy restart whose time has come? */
export function isRestartDue(c: Container, now: number): boolean {
  return !c.state.running && c.restartAt !== undefined && Date.parse(c.restartAt) / 1000 <= now
}

/**
 * Starts a container whose policy restart is due (re-read consistently first; undefined when
 * it is no longer due). On failure the restart is rescheduled with backoff while the policy
 * allows it, so a transient error does not drop the container off the schedule.
 */
export async function startDueRestart(deps: CoreDeps, c: Container, now: number): Promise<Container | undefined> {
  const { store, clock } = deps
  const fresh = await store.getContainer(c.namespace, c.id)
  if (!fresh || !isRestartDue(fresh, now) || fresh.stoppedByUser) return undefined
  const counted = await store.updateContainer({ ...fresh, restartCount: fresh.restartCount + 1 }, fresh.version)
  try {
    return await startContainer(deps, counted, { byPolicy: true })
  } catch (err) {
    await reschedule(deps, counted, clock.now()).catch(() => undefined)
    throw err
  }
}

async function reschedule(deps: CoreDeps, counted: Container, at: Date): Promise<void> {
  const c = await deps.store.getContainer(counted.namespace, counted.id)
  if (!c || c.state.running || c.restartAt || c.stoppedByUser) return
  const decision = decideRestart({
    policy: c.spec.restartPolicy,
    exitCode: c.state.exitCode,
    cause: c.state.stopCause ?? 'exited',
    restartCount: c.restartCount,
    stoppedByUser: false,
  })
  const next: Container = decision.restart
    ? { ...c, restartAt: new Date(at.getTime() + decision.delaySeconds * 1000).toISOString(), state: { ...c.state, status: 'restarting' } }
    : { ...c, state: { ...c.state, status: c.state.status === 'restarting' ? 'exited' : c.state.status } }
  await deps.store.updateContainer(next, c.version)
}

export async function runDueRestarts(ctx: TickContext, views: readonly ContainerView[]): Promise<void> {
  const due = views.filter((v) => isRestartDue(v.container, ctx.now))
  const settled = await settleEach(due, ctx.settings.concurrency, (v) => startDueRestart(ctx.deps, v.container, ctx.now))
  for (const s of settled) {
    if (!s.ok) ctx.result.errors.push(viewError('restart', s.item, s.error))
    else if (s.value) {
      ctx.result.restarted.push({ namespace: s.value.namespace, containerId: s.value.id, runNumber: s.value.runNumber, restartCount: s.value.restartCount })
    }
  }
}

/**
 * Called right after a run stopped: a policy restart due within `maxWaitSeconds` is waited for
 * and started now (Docker restarts within seconds); a later one is left to the reaper.
 */
export async function restartWhenDue(deps: CoreDeps, namespace: string, containerId: string, maxWaitSeconds: number): Promise<Container | undefined> {
  const c = await deps.store.getContainer(namespace, containerId)
  if (!c?.restartAt || c.state.running) return undefined
  const waitMs = Date.parse(c.restartAt) - deps.clock.now().getTime()
  if (waitMs > maxWaitSeconds * 1000) return undefined
  if (waitMs > 0) await new Promise((r) => setTimeout(r, waitMs))
  return startDueRestart(deps, c, deps.clock.now().getTime() / 1000)
}
