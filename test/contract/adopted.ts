import type { Store } from '../../shared/core/ports.js'
import { waitFor } from '../support/engine.js'

/**
 * Waits until runtime events have adopted the run `ref` (stored with its ref), brought it to
 * RUNNING (no further events until it stops) and moved its container.
 */
export async function waitUntilAdopted(store: Store, ref: string): Promise<void> {
  await waitFor(async () => {
    const run = await store.getRunByRef(ref)
    const container = run && (await store.getContainer(run.namespace, run.containerId))
    return run?.lastStatus === 'RUNNING' && container?.runNumber === run.number && container.state.running && !container.state.detail ? true : undefined
  }, `run ${ref} adopted from runtime events`, 10_000, 20)
}
