import type { CoreDeps } from './core-deps.js'
import { ConflictError } from './errors.js'
import { recordContainerEvent } from './event-log.js'
import type { Container } from './model.js'
import { currentRun, markRunStopCause } from './container-stop.js'

/**
 * docker rm: a running container needs force, which stops it first (SIGKILL, no grace).
 * Order: stop → runtime cleanup → runs → container → name claim, so a failure part-way leaves
 * a container that a retried rm removes.
 */
export async function removeContainer(deps: CoreDeps, c: Container, options: { force?: boolean } = {}): Promise<void> {
  const { store, backend } = deps
  if (c.state.running && !options.force) {
    throw new ConflictError(
      `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`,
    )
  }
  if (c.state.running) {
    const run = await currentRun(deps, c)
    if (run?.ref) {
      await markRunStopCause(deps, run, 'user', 'Removed by user')
      await backend.stopRun(run.ref, { timeoutSeconds: 0, reason: 'Removed by user' })
    }
  }
  const runs = await store.listRuns(c.id)
  await backend.cleanup(c, runs)
  await store.deleteRuns(c.id)
  await store.deleteContainer(c.namespace, c.id)
  await store.releaseName(c.namespace, c.name, c.id)
  await recordContainerEvent(store, deps.clock, c, 'destroy')
}
