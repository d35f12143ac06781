import type { ComputeBackend } from '../../shared/core/ports.js'
import { ThrottledError } from '../../shared/core/errors.js'

/**
 * Wraps a backend so that a start can "lose its answer": the run really starts in the runtime,
 * then the caller gets a ThrottledError (as when the SDK gives up after the call went through).
 * `beforeFailing` (given the run's ref) delays the failure, as the SDK's retries would.
 */
export function withLostStartResponses(inner: ComputeBackend): {
  backend: ComputeBackend
  loseNext(beforeFailing?: (ref: string) => Promise<void>): void
} {
  const pending: ((ref: string) => Promise<void>)[] = []
  let lose = 0
  const backend: ComputeBackend = {
    kind: inner.kind,
    describe: () => inner.describe(),
    resolveImage: (namespace, image, platform) => inner.resolveImage(namespace, image, platform),
    async startRun(input) {
      const started = await inner.startRun(input)
      if (lose > 0) {
        lose--
        await pending.shift()?.(started.ref)
        throw new ThrottledError('the runtime throttled the start after retries (answer lost)')
      }
      return started
    },
    stopRun: (ref, options) => inner.stopRun(ref, options),
    killRun: (ref, signal) => inner.killRun(ref, signal),
    describeRuns: (refs) => inner.describeRuns(refs),
    listActiveRuns: () => inner.listActiveRuns(),
    logs: (run, options) => inner.logs(run, options),
    cleanup: (container, runs) => inner.cleanup(container, runs),
    listImages: (namespace) => inner.listImages(namespace),
  }
  return {
    backend,
    loseNext(beforeFailing) {
      lose++
      pending.push(beforeFailing ?? (async () => undefined))
    },
  }
}
