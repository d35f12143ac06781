/**
 * Starting a rollout: a second run of a running container, on the new image, next to the
 * current one. The container does not move: its runNumber stays on the old run (so the old
 * run's events still drive it) until the new run is running and the rollout commits
 * (rollout-advance.ts). The new run is recorded (PROVISIONING, then with its reference)
 * around the runtime call, as startContainer does, and its token is derived from the
 * rollout's key: the same push or delivery never starts a second task.
 */
import { BackendError, FargatedError, NotFoundError } from '../errors.js'
import { runToken } from '../container-start.js'
import { applySizing } from '../policies/sizing-recommendation.js'
import type { Container, Run } from '../model.js'
import type { ResolvedImage } from '../ports.js'
import { putNext, saveLease, takeLease, takeNext } from './rollout-lease.js'
import { recordRollout } from './rollout-events.js'
import { finishLease } from './rollout-finish.js'
import type { RolloutDeps, RolloutRecord, RolloutResult, RolloutTarget } from './rollout-types.js'

export const DEFAULT_ROLLOUT_TIMEOUT_S = 300

export interface BeginOutcome {
  result: RolloutResult
  /** The rollout to drive, when one started. */
  record?: RolloutRecord
}

function resultOf(c: Container, outcome: RolloutResult['outcome'], extra: Partial<RolloutResult> = {}): RolloutResult {
  return { namespace: c.namespace, containerId: c.id, name: c.name, outcome, ...extra }
}

/** Starts a rollout of `c` to `target`, or queues it behind the one in progress. */
export async function beginRollout(deps: RolloutDeps, c: Container, target: RolloutTarget): Promise<BeginOutcome> {
  if (!c.state.running) return { result: resultOf(c, 'skipped', { reason: 'the container is not running' }) }
  if (target.digest && c.imageDigest === target.digest) {
    return { result: resultOf(c, 'skipped', { reason: `the container already runs ${target.digest}`, digest: target.digest }) }
  }
  const timeout = deps.timeoutSeconds ?? DEFAULT_ROLLOUT_TIMEOUT_S
  const now = deps.clock.now()
  const record: RolloutRecord = {
    namespace: c.namespace,
    containerId: c.id,
    target,
    oldRunNumber: c.runNumber,
    newRunNumber: c.runNumber + 1,
    startedAt: now.toISOString(),
    deadline: new Date(now.getTime() + timeout * 1000).toISOString(),
  }
  if (!(await takeLease(deps.store, record, timeout))) {
    await putNext(deps.store, c.namespace, c.id, target, timeout)
    if (!(await takeLease(deps.store, record, timeout))) {
      return { result: resultOf(c, 'queued', { reason: 'another rollout of this container is in progress; this one follows it', digest: target.digest }) }
    }
    // The holder finished in between: run the newest queued target ourselves.
    record.target = (await takeNext(deps.store, c.namespace, c.id)) ?? target
    await saveLease(deps.store, record, timeout)
  }
  return launch(deps, c, record, timeout)
}

/** Resolves the target image: by digest, after preparing it (pull) when allowed, else by the spec image's tag. */
async function resolveTarget(deps: RolloutDeps, c: Container, target: RolloutTarget): Promise<ResolvedImage> {
  const resolve = (image: string) => deps.backend.resolveImage(c.namespace, image, c.spec.platform)
  try {
    return await resolve(target.image)
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err
    if (deps.prepareImage) {
      await deps.prepareImage(target.image)
      return resolve(target.image)
    }
    if (target.image === target.specImage) throw err
    // The runtime keeps images by tag (a local engine without the registry digest): run the tag.
    return resolve(target.specImage)
  }
}

async function launch(deps: RolloutDeps, c: Container, record: RolloutRecord, timeout: number): Promise<BeginOutcome> {
  const { store, backend, clock } = deps
  let run: Run | undefined
  try {
    const resolved = await resolveTarget(deps, c, record.target)
    record.digest = resolved.digest ?? record.target.digest
    const size = applySizing(c.spec, c)
    run = {
      containerId: c.id,
      namespace: c.namespace,
      number: record.newRunNumber,
      backend: backend.kind,
      size,
      image: resolved.image,
      imageDigest: record.digest,
      capacity: c.spec.capacity === 'on-demand' ? 'on-demand' : 'spot',
      lastStatus: 'PROVISIONING',
      createdAt: clock.now().toISOString(),
      eventVersion: 0,
    }
    const existing = await store.getRun(c.id, record.newRunNumber)
    if (existing?.ref) throw new BackendError(`run ${record.newRunNumber} of ${c.name} already exists (the container was restarted meanwhile)`)
    await store.putRun(run)
    await saveLease(store, record, timeout)
    const started = await startRun(deps, c, run, record.target.key)
    run = { ...run, ref: started.ref, capacity: started.capacity, lastStatus: started.lastStatus, startedAt: started.startedAt }
    await store.putRun(run)
    record.newRef = started.ref
    await saveLease(store, record, timeout)
    return { result: resultOf(c, 'started', { digest: record.digest, runNumber: record.newRunNumber }), record }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    if (run && !run.ref) {
      await store.putRun({ ...run, lastStatus: 'STOPPED', stopCause: 'failed-to-start', stoppedReason: reason, stoppedAt: clock.now().toISOString() }).catch(() => undefined)
    }
    await recordRollout(deps, c, record, 'failed', reason)
    const next = await finishLease(deps, c.namespace, c.id)
    if (!(err instanceof FargatedError)) console.error(JSON.stringify({ msg: 'rollout failed', container: c.id, error: reason }))
    return { result: resultOf(c, 'failed', { reason, digest: record.target.digest }), record: next }
  }
}

async function startRun(deps: RolloutDeps, c: Container, run: Run, key: string) {
  const token = runToken(c.id, run.number, `rollout:${key}`)
  const input = { container: c, runNumber: run.number, size: run.size, image: run.image, imageDigest: run.imageDigest, token }
  if (c.spec.capacity === 'on-demand') return { ...(await deps.backend.startRun({ ...input, capacity: 'on-demand' })), capacity: 'on-demand' as const }
  try {
    return { ...(await deps.backend.startRun({ ...input, capacity: 'spot' })), capacity: 'spot' as const }
  } catch (err) {
    const noCapacity = err instanceof BackendError && err.details?.capacityUnavailable === true
    if (!noCapacity || c.spec.capacity !== 'spot-with-fallback') throw err
    const fallback = runToken(c.id, run.number, `rollout:${key}:on-demand`)
    return { ...(await deps.backend.startRun({ ...input, token: fallback, capacity: 'on-demand' })), capacity: 'on-demand' as const }
  }
}
