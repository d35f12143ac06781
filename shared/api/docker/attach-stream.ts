import { UnsupportedError } from '../../core/errors.js'
import type { Container, Run } from '../../core/model.js'
import type { ApiDeps } from '../context.js'
import { encodeLogLine, encodeStreamError } from './log-frames.js'
import { sleep } from '../../core/sleep.js'

/** Why attach is refused on ECS; `docker run` shows it as a create warning (create-checks.ts). */
export const ATTACH_ECS_HINT =
  'docker run without -d and docker attach are not supported on ECS Fargate: containers run detached and fargated cannot hijack the connection. Use docker run -d, then docker logs -f <name> for the output and docker wait <name> for the exit code'

export interface AttachOptions {
  stdout: boolean
  stderr: boolean
  /** Replay the current run's earlier output first (`logs=1`). */
  logs: boolean
}

export function refuseOnEcs(deps: ApiDeps): void {
  if (deps.backend.kind === 'ecs') throw new UnsupportedError(ATTACH_ECS_HINT)
}

/** The run to attach to: the current one if running, else the next one once `start` made it. */
async function runToFollow(deps: ApiDeps, initial: Container, signal: AbortSignal): Promise<{ run: Run; fresh: boolean } | undefined> {
  const poll = deps.containers.deps.pollIntervalMs ?? 1000
  for (;;) {
    const c = await deps.store.getContainer(initial.namespace, initial.id)
    if (!c) return undefined
    const fresh = c.runNumber > initial.runNumber
    if (c.runNumber > 0 && (fresh || initial.state.running)) {
      const run = await deps.store.getRun(c.id, c.runNumber)
      if (run?.ref) return { run, fresh }
      if (run?.lastStatus === 'STOPPED') return undefined
    }
    if (signal.aborted) return undefined
    await sleep(poll, signal)
    if (signal.aborted) return undefined
  }
}

/**
 * What an attached client sees: the output of the container's current run, or of its next run
 * when it is not running yet (`docker run` attaches before `start`), framed unless it has a
 * TTY, until that run ends. Output comes from the backend's logs (follow), so stdin is not
 * forwarded (create refuses -i).
 */
export async function* attachStream(deps: ApiDeps, container: Container, options: AttachOptions, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const tty = container.spec.tty
  const attachedAt = deps.clock.now().getTime() / 1000
  try {
    const target = await runToFollow(deps, container, signal)
    if (!target || signal.aborted) return
    const since = target.fresh || options.logs ? undefined : attachedAt
    const lines = deps.backend.logs(target.run, { stdout: options.stdout, stderr: options.stderr, follow: true, since, signal })
    for await (const line of lines) {
      if (signal.aborted) return
      if (line.stream === 'stdout' ? !options.stdout : !options.stderr) continue
      yield encodeLogLine(line, { tty, timestamps: false })
    }
  } catch (err) {
    if (signal.aborted) return
    yield encodeStreamError(`attach: ${err instanceof Error ? err.message : String(err)}`, tty)
  }
}
