import type { RunObservation } from '../../core/model.js'
import type { EngineContext } from './engine-context.js'
import { engineCall, engineStatus, translateEngineError } from './errors.js'
import { labelFilters } from './labels.js'
import { observe } from './observation.js'

/** Inspects one engine container; undefined when it does not exist. */
export async function inspectRun(ctx: EngineContext, ref: string): Promise<RunObservation | undefined> {
  try {
    return observe(await ctx.docker.getContainer(ref).inspect())
  } catch (error) {
    if (engineStatus(error) === 404) return undefined
    throw translateEngineError(error)
  }
}

/** Observations of the given runs; missing engine containers are left out. */
export async function describeRuns(ctx: EngineContext, refs: string[]): Promise<RunObservation[]> {
  const found = await Promise.all([...new Set(refs)].map((ref) => inspectRun(ctx, ref)))
  return found.filter((o): o is RunObservation => o !== undefined)
}

/** Engine containers of this backend (fargated label + extra labels), optionally of one fargated container. */
export async function listEngineContainers(ctx: EngineContext, containerId?: string): Promise<{ Id: string; State: string }[]> {
  return engineCall(() => ctx.docker.listContainers({ all: true, filters: { label: labelFilters(ctx.labels, containerId) } }))
}

/** Every run the engine has that is not stopped (created, running, restarting, removing). */
export async function listActiveRuns(ctx: EngineContext): Promise<RunObservation[]> {
  const listed = await listEngineContainers(ctx)
  // Created (never started) containers run nothing: a run prepared for `docker start` is not active.
  const candidates = listed.filter((c) => c.State !== 'exited' && c.State !== 'dead' && c.State !== 'created')
  const observed = await describeRuns(ctx, candidates.map((c) => c.Id))
  return observed.filter((o) => o.lastStatus !== 'STOPPED')
}
