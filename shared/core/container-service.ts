import { createHash } from 'node:crypto'
import type { CoreDeps } from './core-deps.js'
import { updateFresh } from './core-deps.js'
import { createContainer, type CreateInput } from './container-create.js'
import { containerLogs } from './container-logs.js'
import { listContainers, type ListOptions } from './container-list.js'
import { removeContainer } from './container-remove.js'
import { resolveContainer } from './container-resolver.js'
import { prepareFirstRun, startContainer } from './container-start.js'
import { currentRun, killContainer, stopContainer, type StopOptions } from './container-stop.js'
import { waitContainer, type WaitOptions, type WaitResult } from './container-wait.js'
import { ConflictError, NotModifiedError } from './errors.js'
import { recordContainerEvent } from './event-log.js'
import type { Container, Run, RunObservation } from './model.js'
import { normalizeName } from './names.js'
import type { LogLine, LogOptions } from './ports.js'
import { patchSpec, sizeOf } from './spec.js'
import { applyObservation, type ObservationOutcome } from './run-observation.js'
import { canonicalJson } from './canonical-json.js'
import { StartGate } from './start-gate.js'

/** How long a duplicate request waits for the first one (same Idempotency-Key) to finish. */
const IDEMPOTENCY_WAIT_MS = 20_000
const IDEMPOTENCY_TTL_S = 24 * 3600
/**
 * A claim still in progress after this long belongs to a request that died (Lambda timeout,
 * crash) between claim and create: a retry takes it over. A run request does its work (create,
 * RunTask with SDK retries) in seconds, far below this.
 */
const IDEMPOTENCY_STALE_S = 300

export interface RunRequest extends CreateInput {
  /** false: create only (docker create). */
  start?: boolean
}

export interface IdempotencyOptions {
  key: string
  /** The request body, hashed to detect reuse of a key with another body. */
  body: unknown
}


/**
 * The container operations both front doors call. Every method takes the caller's namespace;
 * references (`ref`) are ids, unique id prefixes or names, resolved the Docker way.
 */
export class ContainerService {
  readonly deps: CoreDeps

  constructor(deps: CoreDeps) {
    this.deps = deps.starts ? deps : { ...deps, starts: new StartGate() }
  }

  resolve(namespace: string, ref: string): Promise<Container> {
    return resolveContainer(this.deps.store, namespace, ref)
  }

  /** docker create: the container, and (where the runtime can) its first run prepared for `docker start`. */
  async create(namespace: string, input: CreateInput): Promise<Container> {
    const c = await createContainer(this.deps, namespace, input)
    prepareFirstRun(this.deps, c)
    return c
  }

  /**
   * docker start. A container whose stop was asked for but whose run is still stopping (Fargate
   * stops asynchronously, so `docker stop; docker start` meets it) starts a new run now, as
   * restart does, instead of answering "already running".
   */
  async start(namespace: string, ref: string, options: { tokenSeed?: string } = {}): Promise<Container> {
    let c = await this.resolve(namespace, ref)
    if (c.state.running && c.stoppedByUser) c = await this.releaseStoppingRun(c)
    return startContainer(this.deps, c, options)
  }

  /** The container stops following a run that is still stopping; its late events no longer move it. */
  private releaseStoppingRun(c: Container): Promise<Container> {
    return updateFresh(this.deps, c, (fresh) => (fresh.state.running ? { ...fresh, state: { ...fresh.state, running: false, status: 'exited' } } : fresh))
  }

  /**
   * Create and (unless start=false) start. With an idempotency key the same key and body give
   * the same container and never a second task; the same key with another body is a conflict.
   */
  async run(namespace: string, request: RunRequest, idempotency?: IdempotencyOptions): Promise<Container> {
    if (!idempotency) {
      if (request.start === false) return this.create(namespace, request)
      return startContainer(this.deps, await createContainer(this.deps, namespace, request))
    }
    const { store, clock } = this.deps
    const requestHash = createHash('sha256').update(canonicalJson(idempotency.body)).digest('hex')
    const claim = await store.claimIdempotency({
      namespace,
      key: idempotency.key,
      requestHash,
      status: 'in-progress',
      createdAt: clock.now().toISOString(),
      expiresAt: Math.floor(clock.now().getTime() / 1000) + IDEMPOTENCY_TTL_S,
    })
    if (!claim.claimed) return this.replay(namespace, idempotency.key, requestHash, claim.existing, request)
    return this.runClaimed(namespace, request, idempotency.key)
  }

  /** The request that holds the idempotency claim creates the container, records it, starts it. */
  private async runClaimed(namespace: string, request: RunRequest, key: string): Promise<Container> {
    const { store } = this.deps
    let c: Container
    try {
      c = await createContainer(this.deps, namespace, request)
    } catch (err) {
      await store.abandonIdempotency(namespace, key).catch(() => undefined)
      throw err
    }
    await store.completeIdempotency(namespace, key, c.id)
    if (request.start === false) return c
    try {
      return await startContainer(this.deps, c, { tokenSeed: key })
    } catch (err) {
      // A duplicate request started it first (same key, same token): that is success.
      if (!(err instanceof ConflictError) && !(err instanceof NotModifiedError)) throw err
      return (await store.getContainer(namespace, c.id)) ?? c
    }
  }

  private async replay(
    namespace: string,
    key: string,
    requestHash: string,
    existing: { requestHash: string; status: string; resultId?: string; createdAt: string },
    request: RunRequest,
  ): Promise<Container> {
    if (existing.requestHash !== requestHash) {
      throw new ConflictError(`Idempotency-Key "${key}" was already used with a different request body; use a new key`)
    }
    const deadline = Date.now() + IDEMPOTENCY_WAIT_MS
    let record = existing
    const age = (this.deps.clock.now().getTime() - Date.parse(existing.createdAt)) / 1000
    if (!record.resultId && age > IDEMPOTENCY_STALE_S) {
      await this.deps.store.abandonIdempotency(namespace, key)
      const now = this.deps.clock.now()
      const retaken = await this.deps.store.claimIdempotency({
        namespace, key, requestHash, status: 'in-progress', createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_S,
      })
      if (retaken.claimed) return this.runClaimed(namespace, request, key)
      record = retaken.existing
    }
    while (!record.resultId) {
      if (Date.now() > deadline) throw new ConflictError(`a request with Idempotency-Key "${key}" is still in progress; retry later`)
      await new Promise((r) => setTimeout(r, this.deps.pollIntervalMs ?? 250))
      const now = this.deps.clock.now()
      const again = await this.deps.store.claimIdempotency({
        namespace, key, requestHash, status: 'in-progress', createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_S,
      })
      // The first request failed and released the key: this one runs it.
      if (again.claimed) return this.runClaimed(namespace, request, key)
      record = again.existing
    }
    let c = await this.deps.store.getContainer(namespace, record.resultId)
    if (!c) throw new ConflictError(`the container created with Idempotency-Key "${key}" was removed; use a new key`)
    // The first request created it but its start may not have gone through (never tried, or
    // failed unclearly, e.g. throttled, leaving a run without a runtime ref): start it now
    // with the same seed, which reuses the same run number and thus the same runtime token.
    const pending = c.runNumber > 0 ? await this.deps.store.getRun(c.id, c.runNumber) : undefined
    const neverStarted = c.runNumber === 0 || (pending !== undefined && !pending.ref && pending.lastStatus === 'PROVISIONING')
    if (request.start !== false && neverStarted && !c.state.running) {
      try {
        c = await startContainer(this.deps, c, { tokenSeed: key })
      } catch (err) {
        if (!(err instanceof NotModifiedError) && !(err instanceof ConflictError)) throw err
        c = (await this.deps.store.getContainer(namespace, c.id)) ?? c
      }
    }
    return c
  }

  async stop(namespace: string, ref: string, options: StopOptions = {}): Promise<Container> {
    return stopContainer(this.deps, await this.resolve(namespace, ref), options)
  }

  async kill(namespace: string, ref: string, signal?: string): Promise<Container> {
    return killContainer(this.deps, await this.resolve(namespace, ref), signal)
  }

  /** docker restart: stop (if running) then a new run. */
  async restart(namespace: string, ref: string, options: { timeoutSeconds?: number } = {}): Promise<Container> {
    let c = await this.resolve(namespace, ref)
    if (c.state.running) c = await stopContainer(this.deps, c, { timeoutSeconds: options.timeoutSeconds })
    c = (await this.deps.store.getContainer(namespace, c.id)) ?? c
    // The runtime may still be stopping the old run (Fargate stops asynchronously): start the
    // new run anyway.
    if (c.state.running) c = await this.releaseStoppingRun(c)
    return startContainer(this.deps, c)
  }

  async remove(namespace: string, ref: string, options: { force?: boolean } = {}): Promise<void> {
    return removeContainer(this.deps, await this.resolve(namespace, ref), options)
  }

  list(namespace: string, options?: ListOptions): Promise<Container[]> {
    return listContainers(this.deps, namespace, options)
  }

  /** The container and its current run (0 AWS calls: the store is the source). */
  async inspect(namespace: string, ref: string): Promise<{ container: Container; run?: Run }> {
    const container = await this.resolve(namespace, ref)
    return { container, run: await currentRun(this.deps, container) }
  }

  async rename(namespace: string, ref: string, newName: string): Promise<Container> {
    const c = await this.resolve(namespace, ref)
    const name = normalizeName(newName)
    if (name === c.name) return c
    await this.deps.store.claimName(namespace, name, c.id)
    let renamed: Container
    try {
      renamed = await updateFresh(this.deps, c, (fresh) => ({ ...fresh, name }))
    } catch (err) {
      await this.deps.store.releaseName(namespace, name, c.id).catch(() => undefined)
      throw err
    }
    await this.deps.store.releaseName(namespace, c.name, c.id)
    await recordContainerEvent(this.deps.store, this.deps.clock, renamed, 'rename', { oldName: `/${c.name}` })
    return renamed
  }

  /** PATCH: resources and policies, applied at the next start. */
  async update(namespace: string, ref: string, patch: unknown): Promise<Container> {
    const c = await this.resolve(namespace, ref)
    const spec = patchSpec(c.spec, patch)
    const updated = await updateFresh(this.deps, c, (fresh) => ({ ...fresh, spec, size: fresh.state.running ? fresh.size : sizeOf(spec) }))
    await recordContainerEvent(this.deps.store, this.deps.clock, updated, 'update')
    return updated
  }

  async logs(namespace: string, ref: string, options: LogOptions): Promise<AsyncGenerator<LogLine>> {
    return containerLogs(this.deps, await this.resolve(namespace, ref), options)
  }

  async wait(namespace: string, ref: string, options: WaitOptions = {}): Promise<WaitResult> {
    return waitContainer(this.deps, await this.resolve(namespace, ref), options)
  }

  /**
   * Applies a runtime observation (events function, engine events, reconcile), after any start
   * of its container still in flight in this process.
   */
  async observe(observation: RunObservation): Promise<ObservationOutcome> {
    if (observation.containerId) await this.deps.starts?.settled(observation.containerId)
    return applyObservation(this.deps, observation)
  }
}
