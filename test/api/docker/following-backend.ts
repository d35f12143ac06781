import type { LogLine, LogOptions } from '../../../shared/core/ports.js'
import type { Run } from '../../../shared/core/model.js'
import { FakeBackend } from '../../support/fake-backend.js'

/** A FakeBackend whose follow mode waits for lines pushed later, until the task stops. */
export class FollowingBackend extends FakeBackend {
  private readonly waiters = new Set<() => void>()

  private wakeAll(): void {
    for (const wake of this.waiters) wake()
    this.waiters.clear()
  }

  push(ref: string, lines: Partial<LogLine>[]): void {
    this.addLogs(ref, lines)
    this.wakeAll()
  }

  /** Ends the task (as its process exiting would) and returns the observation to apply. */
  stop(ref: string, exitCode: number) {
    const obs = this.finish(ref, exitCode)
    this.wakeAll()
    return obs
  }

  override async *logs(run: Run, options: LogOptions): AsyncIterable<LogLine> {
    if (!options.follow) return yield* super.logs(run, options)
    const task = this.tasks.get(run.ref!)!
    let sent = 0
    for (;;) {
      while (sent < task.logs.length) yield task.logs[sent++]
      if (task.status === 'STOPPED' || options.signal?.aborted) return
      await new Promise<void>((resolve) => {
        this.waiters.add(resolve)
        options.signal?.addEventListener('abort', () => resolve(), { once: true })
      })
    }
  }
}

