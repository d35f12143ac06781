import { setTimeout as sleep } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import { BackendError, ConflictError, NotFoundError } from '../../core/errors.js'
import type { StartRunInput, StartedRun } from '../../core/ports.js'
import { configHash, containerConfig } from './container-config.js'
import type { EngineContext } from './engine-context.js'
import { engineCall, engineMessage, engineStatus, translateEngineError } from './errors.js'
import { LABELS } from './labels.js'
import { observe } from './observation.js'
import type { PreparedRuns } from './prepared-runs.js'

/**
 * Starts a run as one engine container named `fargated-<shortId>-<runNumber>`. Idempotent: when
 * that container already exists with the same token it is returned (and started if it never
 * was); with another token it is a ConflictError.
 */
export async function startRun(ctx: EngineContext, input: StartRunInput, prepared?: PreparedRuns): Promise<StartedRun> {
  const config = containerConfig(input, ctx)
  const name = config.name!
  let container = await prepared?.take(input.token, config)
  for (let attempt = 0; !container; attempt++) {
    try {
      container = await ctx.docker.createContainer(config)
    } catch (error) {
      const e = translateEngineError(error)
      if (!(e instanceof ConflictError)) throw e
      const found = ctx.docker.getContainer(name)
      const info = await inspectCreated(found)
      // One created ahead and never started (by a process since gone, or for other settings)
      // is replaced; one that ran is another start's.
      if (info.State.Status === 'created' && attempt === 0 && !sameStart(info, input.token, config)) {
        await found.remove({ force: true }).catch(() => undefined)
        continue
      }
      if (info.Config.Labels?.[LABELS.token] !== input.token) {
        throw new ConflictError(`engine container ${name} already exists for another start of run ${input.runNumber} of ${input.container.id}`)
      }
      // Started already (a retry after a lost answer): the same run.
      if (info.State.Status !== 'created') return started(info)
      container = found
    }
  }
  try {
    await container.start()
  } catch (error) {
    if (engineStatus(error) !== 304) {
      const e = translateEngineError(error)
      if (e instanceof NotFoundError) throw e
      throw new BackendError(`failed to start ${input.container.name}: ${engineMessage(error)}`, { cause: error })
    }
  }
  return started(await engineCall(() => container.inspect()))
}

function started(info: Dockerode.ContainerInspectInfo): StartedRun {
  const obs = observe(info)
  return { ref: info.Id, lastStatus: obs.lastStatus, ...(obs.startedAt ? { startedAt: obs.startedAt } : {}), observation: obs }
}

function sameStart(info: Dockerode.ContainerInspectInfo, token: string, config: Dockerode.ContainerCreateOptions): boolean {
  const labels = info.Config.Labels ?? {}
  return labels[LABELS.token] === token && labels[LABELS.config] === configHash(config)
}

/**
 * Inspects a container that a concurrent create has named: the engine reserves the name (409)
 * before the container can be inspected, so a 404 is retried briefly.
 */
async function inspectCreated(container: Dockerode.Container): Promise<Dockerode.ContainerInspectInfo> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await container.inspect()
    } catch (error) {
      if (engineStatus(error) !== 404 || attempt >= 50) throw translateEngineError(error)
      await sleep(100)
    }
  }
}

/** Engine stop (SIGTERM, SIGKILL after `timeoutSeconds`); an already stopped container is a no-op. */
export async function stopRun(ctx: EngineContext, ref: string, timeoutSeconds: number): Promise<void> {
  try {
    await ctx.docker.getContainer(ref).stop({ t: Math.max(0, Math.round(timeoutSeconds)) })
  } catch (error) {
    if (engineStatus(error) === 304) return
    throw translateEngineError(error)
  }
}

/** Sends `signal` (name or number, passed through); a container that is not running → ConflictError. */
export async function killRun(ctx: EngineContext, ref: string, signal: string): Promise<void> {
  const container = ctx.docker.getContainer(ref)
  try {
    await container.kill({ signal })
  } catch (error) {
    const e = translateEngineError(error)
    if (!(e instanceof ConflictError)) throw e
    const info = await container.inspect().catch(() => undefined)
    const id = info?.Config.Labels?.[LABELS.container] ?? ref
    throw new ConflictError(`Container ${id} is not running`, { cause: error })
  }
}

/** Removes engine containers by reference (forced); already gone is fine. */
export async function removeContainers(ctx: EngineContext, refs: Iterable<string>): Promise<void> {
  await Promise.all(
    [...new Set(refs)].map(async (ref) => {
      try {
        await ctx.docker.getContainer(ref).remove({ force: true, v: true })
      } catch (error) {
        const status = engineStatus(error)
        // 404: gone; 409: removal already in progress.
        if (status !== 404 && status !== 409) throw translateEngineError(error)
      }
    }),
  )
}
