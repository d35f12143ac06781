import { createHash } from 'node:crypto'
import type { CoreDeps } from './core-deps.js'
import { withRetries } from './core-deps.js'
import { BackendError, ConflictError, FargatedError, NotModifiedError } from './errors.js'
import { recordContainerEvent } from './event-log.js'
import type { Container, Run } from './model.js'
import type { StartRunInput } from './ports.js'
import { applySizing } from './policies/sizing-recommendation.js'
import { applyObservation, followStoredRun } from './run-observation.js'

export interface StartOptions {
  /** Seeds the runtime idempotency token (e.g. an Idempotency-Key or webhook delivery id). */
  tokenSeed?: string
  /** A restart made by the restart policy (keeps restartCount) rather than by the user. */
  byPolicy?: boolean
}

/** The runtime token for run `n`: the same container, run and seed always give the same token. */
export function runToken(containerId: string, runNumber: number, seed = ''): string {
  return createHash('sha256').update(`${containerId}:${runNumber}:${seed}`).digest('hex')
}


/** Errors after which no task can exist, so the run number may be consumed. */
function isDefinitive(err: unknown): boolean {
  return err instanceof FargatedError && ['invalid_spec', 'not_found', 'unsupported', 'forbidden', 'engine_unavailable', 'backend'].includes(err.code)
}

/**
 * Starts a new run of a container. Crash-safe ordering: the run number and a PROVISIONING run
 * record are written before the runtime call, so a retry after an unclear failure (throttle,
 * timeout) reuses the same run number and thus the same runtime token: the runtime never
 * starts a second task for one start.
 */
export function startContainer(deps: CoreDeps, container: Container, options: StartOptions = {}): Promise<Container> {
  return deps.starts ? deps.starts.track(container.id, () => start(deps, container, options)) : start(deps, container, options)
}

async function start(deps: CoreDeps, container: Container, options: StartOptions): Promise<Container> {
  const { store, backend, clock } = deps
  let c = container
  if (c.state.running) throw new NotModifiedError(`container ${c.name} is already running`)
  const last = c.runNumber > 0 ? await store.getRun(c.id, c.runNumber) : undefined
  const pending = last && !last.ref && last.lastStatus === 'PROVISIONING'
  const runNumber = pending ? last.number : c.runNumber + 1
  const size = applySizing(c.spec, c)
  const now = clock.now().toISOString()
  const previousState = c.state
  const previousDigest = c.imageDigest
  // The image first: its digest goes into the same write that claims the run number. Nothing is
  // claimed yet, so a failure is recorded only on the container as read (a concurrent start
  // that claimed meanwhile is left alone).
  const resolved = await backend.resolveImage(c.namespace, c.spec.image, c.spec.platform).catch(async (err: unknown) => {
    await store.updateContainer({ ...c, state: { ...c.state, error: err instanceof Error ? err.message : String(err) } }, c.version).catch(() => undefined)
    throw err
  })
  const run: Run = pending
    ? { ...last, size, image: resolved.image, imageDigest: resolved.digest }
    : {
        containerId: c.id,
        namespace: c.namespace,
        number: runNumber,
        backend: backend.kind,
        size,
        image: resolved.image,
        imageDigest: resolved.digest,
        capacity: c.spec.capacity === 'on-demand' ? 'on-demand' : 'spot',
        lastStatus: 'PROVISIONING',
        createdAt: now,
        eventVersion: 0,
      }
  // The runtime may prepare what it can without running anything (a local engine creates its
  // container while the claim and the run record are written).
  try {
    deps.backend.prepareRun?.(launchInput(c, run, options.tokenSeed))
  } catch {
    // Preparing is only an optimisation: the launch does the work and reports any error.
  }
  // Late observations of the previous run may still touch the container (local engines send
  // several per stop): re-read and retry while it is still the same stopped container.
  let attempt = 0
  c = await withRetries(5, async () => {
    const fresh = attempt++ === 0 ? c : ((await store.getContainer(c.namespace, c.id)) ?? c)
    if (fresh.state.running) throw new NotModifiedError(`container ${c.name} is already running`)
    if (fresh.runNumber !== c.runNumber) throw new ConflictError(`container ${c.name} was started by another request`)
    return store.updateContainer(
      {
        ...fresh,
        runNumber,
        size,
        stoppedByUser: false,
        stopRequest: undefined,
        restartAt: undefined,
        restartCount: options.byPolicy ? fresh.restartCount : 0,
        ...(resolved.digest ? { imageDigest: resolved.digest } : {}),
        state: { status: 'running', detail: 'Starting (PROVISIONING)', running: true, exitCode: null, oomKilled: false, startedAt: now },
      },
      fresh.version,
    )
  }).catch((err) => {
    if (err instanceof ConflictError) throw new ConflictError(`container ${c.name} changed while starting; retry`, { cause: err })
    throw err
  })
  // The run record, after the claim of its number and before the runtime call: a retry finds it
  // (PROVISIONING, no ref) and reuses its number and so its token.
  await store.putRun(run)

  async function revert(err: unknown): Promise<never> {
    const fresh = (await store.getContainer(c.namespace, c.id)) ?? c
    // The runtime's events already adopted this run (its answer was lost, its task runs): the
    // container follows that run; reverting would let a retry start a second task.
    if ((await store.getRun(c.id, runNumber))?.ref && fresh.runNumber === runNumber) {
      await followStoredRun(deps, c.id, runNumber).catch(() => undefined)
      throw err
    }
    await store
      .updateContainer({ ...fresh, imageDigest: previousDigest, state: { ...previousState, error: err instanceof Error ? err.message : String(err) } }, fresh.version)
      .catch(() => undefined)
    throw err
  }

  let started
  try {
    started = await launch(deps, c, run, options.tokenSeed)
  } catch (err) {
    if (isDefinitive(err)) {
      await store.putRun({ ...run, lastStatus: 'STOPPED', stopCause: 'failed-to-start', stoppedReason: (err as Error).message, stoppedAt: clock.now().toISOString() })
    }
    return revert(err)
  }
  // Store the runtime ref unless a runtime event already adopted the run (fast exits), then
  // apply what the runtime said with the start: the container follows its run from here. An
  // observation that names this run (engine labels) stores the ref itself, in one write.
  const obs = started.observation
  const namesRun = !!obs?.namespace && obs.containerId === c.id && obs.runNumber === runNumber && started.capacity === run.capacity
  if (!namesRun) await store.updateRunIfNewer({ ...run, ref: started.ref, capacity: started.capacity, eventVersion: 0 }, true)
  await Promise.all([
    applyObservation(deps, obs ?? { ref: started.ref, lastStatus: started.lastStatus, version: 1, startedAt: started.startedAt }),
    recordContainerEvent(store, clock, c, options.byPolicy ? 'restart' : 'start'),
  ])
  return (await store.getContainer(c.namespace, c.id)) ?? c
}

/**
 * After `docker create`: lets the runtime prepare the first run as a plain `docker start` will
 * launch it (a local engine creates its container, as Docker's own create does), so the start
 * does not wait for that. Best effort, in the background; the start checks it got the same.
 */
export function prepareFirstRun(deps: CoreDeps, c: Container): void {
  const { backend } = deps
  if (!backend.prepareRun) return
  void backend
    .resolveImage(c.namespace, c.spec.image, c.spec.platform)
    .then((resolved) => {
      const run = { number: 1, size: applySizing(c.spec, c), image: resolved.image, imageDigest: resolved.digest }
      backend.prepareRun?.(launchInput(c, run))
    })
    .catch(() => undefined)
}

/** What the runtime gets for run `run` of `c`: its first choice of capacity. */
function launchInput(c: Container, run: Pick<Run, 'number' | 'size' | 'image' | 'imageDigest'>, seed?: string): StartRunInput {
  return {
    container: c,
    runNumber: run.number,
    size: run.size,
    image: run.image,
    imageDigest: run.imageDigest,
    token: runToken(c.id, run.number, seed),
    capacity: c.spec.capacity === 'on-demand' ? 'on-demand' : 'spot',
  }
}

async function launch(deps: CoreDeps, c: Container, run: Run, seed?: string) {
  const input = launchInput(c, run, seed)
  if (input.capacity === 'on-demand') {
    return { ...(await deps.backend.startRun(input)), capacity: 'on-demand' as const }
  }
  try {
    return { ...(await deps.backend.startRun(input)), capacity: 'spot' as const }
  } catch (err) {
    const noCapacity = err instanceof BackendError && err.details?.capacityUnavailable === true
    if (!noCapacity || c.spec.capacity !== 'spot-with-fallback') throw err
    const fallback = runToken(c.id, run.number, `${seed ?? ''}:on-demand`)
    return { ...(await deps.backend.startRun({ ...input, token: fallback, capacity: 'on-demand' })), capacity: 'on-demand' as const }
  }
}
