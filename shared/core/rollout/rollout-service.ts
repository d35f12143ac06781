/**
 * Image pushed → redeploy. A push (from any source) is deduped, the containers that track its
 * repository and tag are found, and each gets a rollout (rollout-start.ts, rollout-advance.ts).
 * Rollouts are resumable: `begin` returns once the new run is started, and `advance` moves
 * them on, so a Lambda can start one and the reaper tick (advanceAll) or the run's own state
 * events (onObservation) finish it; `wait: true` drives them to the end in-process.
 */
import { ConflictError } from '../errors.js'
import type { Container, RunObservation } from '../model.js'
import { nextTimeNano } from '../event-log.js'
import { advanceRollout } from './rollout-advance.js'
import { beginRollout } from './rollout-start.js'
import { imageTag, pinnedImage, pushKey, retaggedImage, type ImagePushed } from './image-pushed.js'
import { listLeases, readLease } from './rollout-lease.js'
import { shouldFollow } from './tracking.js'
import type { RolloutDeps, RolloutRecord, RolloutResult, RolloutTarget } from './rollout-types.js'

/** Duplicates of one push (ECR retries, registry redelivery) within this window are one event. */
export const PUSH_DEDUPE_TTL_S = 600
export const PUSH_KIND = 'image-push'
const POLL_MS = 2000

export interface RolloutOptions {
  /** Drive every rollout to its end before returning (local mode, tests). */
  wait?: boolean
}

export class RolloutService {
  constructor(readonly deps: RolloutDeps) {}

  /**
   * Handles one image-pushed event; duplicates (same namespace, repository, tag, digest) within
   * PUSH_DEDUPE_TTL_S return [] and do nothing.
   */
  async imagePushed(push: ImagePushed, options: RolloutOptions = {}): Promise<RolloutResult[]> {
    const { store, clock } = this.deps
    const key = pushKey(push)
    const ns = push.namespace ?? '_'
    try {
      await store.putRecord(PUSH_KIND, ns, key, { ...push, at: clock.now().toISOString() }, { ifAbsent: true, ttlSeconds: PUSH_DEDUPE_TTL_S })
    } catch (err) {
      if (err instanceof ConflictError) return []
      throw err
    }
    try {
      const tracking = await this.tracking(push)
      const namespaces = push.namespace ? [push.namespace] : [...new Set(tracking.map((c) => c.namespace))]
      for (const n of namespaces) await this.recordPush(n, push)
      return await this.rollOut(
        tracking.map((c) => ({
          container: c,
          target: {
            image: pinnedImage(c.spec.image, push.digest),
            specImage: retaggedImage(c.spec.image, push.tag),
            digest: push.digest,
            tag: push.tag,
            cause: `push (${push.source})`,
            key,
          },
        })),
        options,
      )
    } catch (err) {
      // Let a retry of the same event do the work.
      await store.deleteRecord(PUSH_KIND, ns, key).catch(() => undefined)
      throw err
    }
  }

  /** Running containers whose `track` follows this push. */
  async tracking(push: ImagePushed): Promise<Container[]> {
    const active = await this.deps.store.listActiveContainers()
    return active.filter((c) => {
      if (push.namespace && c.namespace !== push.namespace) return false
      if (!c.spec.track || !c.state.running) return false
      let repository: string | undefined
      try {
        repository = this.deps.naming.repositoryOf(c.namespace, c.spec.image)
      } catch {
        return false
      }
      return repository === push.repository && shouldFollow(c.spec.track, c.spec.image, push.tag)
    })
  }

  /**
   * Redeploys given containers (a CI hook's `redeploy` action): each one on its own image
   * reference freshly resolved, or on `image` (tag and digest) when the delivery names one.
   */
  async redeploy(containers: Container[], key: string, cause: string, image: { tag?: string; digest?: string } = {}, options: RolloutOptions = {}): Promise<RolloutResult[]> {
    return this.rollOut(
      containers.map((c) => {
        const specImage = image.tag ? retaggedImage(c.spec.image, image.tag) : c.spec.image
        return {
          container: c,
          target: { image: image.digest ? pinnedImage(c.spec.image, image.digest) : specImage, specImage, digest: image.digest, tag: image.tag ?? imageTag(c.spec.image), cause, key },
        }
      }),
      options,
    )
  }

  /** Advances every rollout in progress (the reaper tick calls it). */
  async advanceAll(): Promise<RolloutResult[]> {
    const out: RolloutResult[] = []
    for (const record of await listLeases(this.deps.store)) {
      const step = await advanceRollout(this.deps, record)
      if (step.done) out.push(step.result)
    }
    return out
  }

  /** After a run's state change: advances the rollout that run belongs to, if any. */
  async onObservation(obs: RunObservation): Promise<RolloutResult | undefined> {
    const run = await this.deps.store.getRunByRef(obs.ref)
    if (!run) return undefined
    const record = await readLease(this.deps.store, run.namespace, run.containerId)
    if (!record || record.newRunNumber !== run.number) return undefined
    const step = await advanceRollout(this.deps, record)
    return step.done ? step.result : undefined
  }

  /** Advances a rollout until it ends (and the ones queued behind it). */
  async drive(record: RolloutRecord): Promise<RolloutResult> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    let current = record
    for (;;) {
      const step = await advanceRollout(this.deps, current)
      if (step.done) {
        if (!step.next) return step.result
        current = step.next
        continue
      }
      await sleep(this.deps.pollIntervalMs ?? POLL_MS)
    }
  }

  private async rollOut(items: { container: Container; target: RolloutTarget }[], options: RolloutOptions): Promise<RolloutResult[]> {
    return Promise.all(
      items.map(async ({ container, target }) => {
        const begun = await beginRollout(this.deps, container, target)
        if (!begun.record) return begun.result
        if (options.wait) return this.drive(begun.record)
        if (this.deps.background) {
          const record = begun.record
          void this.drive(record).catch((err) => console.error(JSON.stringify({ msg: 'rollout not finished', container: record.containerId, error: String(err) })))
        }
        return begun.result
      }),
    )
  }

  private async recordPush(namespace: string, push: ImagePushed): Promise<void> {
    await this.deps.store
      .appendEvent({
        namespace,
        timeNano: nextTimeNano(this.deps.clock),
        type: 'image',
        action: 'push',
        id: `${push.repository}:${push.tag}`,
        attributes: { name: `${push.repository}:${push.tag}`, repository: push.repository, tag: push.tag, digest: push.digest, source: push.source },
      })
      .catch((err) => console.error(JSON.stringify({ msg: 'event not recorded', action: 'push', error: String(err) })))
  }
}
