import { randomBytes } from 'node:crypto'
import { NotFoundError, ConflictError } from '../../shared/core/errors.js'
import type { Run, RunObservation, TaskStatus } from '../../shared/core/model.js'
import type { ComputeBackend, ImageInfo, LogLine, LogOptions, ResolvedImage, StartRunInput, StartedRun } from '../../shared/core/ports.js'

interface FakeTask {
  ref: string
  input: StartRunInput
  status: TaskStatus
  version: number
  exitCode?: number | null
  stopCode?: string
  stoppedReason?: string
  startedAt?: string
  stoppedAt?: string
  logs: LogLine[]
}

/**
 * An in-memory runtime for API and service tests (the real backends have their own suites).
 * Tasks start RUNNING; `finish()` ends one with an exit code, as a container exiting would.
 */
export class FakeBackend implements ComputeBackend {
  readonly kind = 'ecs' as const
  readonly tasks = new Map<string, FakeTask>()
  readonly calls: { op: string; arg?: unknown }[] = []
  readonly images = new Map<string, string>([['busybox:latest', 'sha256:' + 'b'.repeat(64)]])
  /** Make the next startRun calls fail with these errors, in order. */
  failNextStarts: Error[] = []

  async describe() {
    return { kind: 'fake', tasks: this.tasks.size }
  }

  async resolveImage(_ns: string, image: string): Promise<ResolvedImage> {
    this.calls.push({ op: 'resolveImage', arg: image })
    const key = image.includes(':') ? image : `${image}:latest`
    if (image.startsWith('missing')) throw new NotFoundError(`No such image: ${image}`)
    return { image, digest: this.images.get(key) }
  }

  async startRun(input: StartRunInput): Promise<StartedRun> {
    this.calls.push({ op: 'startRun', arg: input.token })
    const failure = this.failNextStarts.shift()
    if (failure) throw failure
    const existing = [...this.tasks.values()].find((t) => t.input.token === input.token)
    if (existing) return { ref: existing.ref, lastStatus: existing.status, startedAt: existing.startedAt }
    const ref = `arn:aws:ecs:us-east-1:123456789012:task/fargated/${randomBytes(16).toString('hex')}`
    const startedAt = new Date().toISOString()
    this.tasks.set(ref, { ref, input, status: 'RUNNING', version: 2, startedAt, logs: [] })
    return { ref, lastStatus: 'RUNNING', startedAt }
  }

  async stopRun(ref: string, options: { timeoutSeconds: number; reason: string }): Promise<void> {
    this.calls.push({ op: 'stopRun', arg: ref })
    const t = this.tasks.get(ref)
    if (!t || t.status === 'STOPPED') return
    this.end(t, 143, 'UserInitiated', options.reason)
  }

  async killRun(ref: string, signal: string): Promise<void> {
    this.calls.push({ op: 'killRun', arg: signal })
    const t = this.tasks.get(ref)
    if (!t || t.status === 'STOPPED') throw new ConflictError(`Container ${ref} is not running`)
    this.end(t, 137, 'UserInitiated', `killed with ${signal}`)
  }

  /** Ends a task as if its process exited. Returns the observation an event would carry. */
  finish(ref: string, exitCode: number, extra: Partial<FakeTask> = {}): RunObservation {
    const t = this.tasks.get(ref)
    if (!t) throw new Error(`no fake task ${ref}`)
    this.end(t, exitCode, extra.stopCode ?? 'EssentialContainerExited', extra.stoppedReason ?? 'Essential container in task exited')
    return this.observe(t)
  }

  private end(t: FakeTask, exitCode: number, stopCode: string, reason: string): void {
    t.status = 'STOPPED'
    t.version += 1
    t.exitCode = exitCode
    t.stopCode = stopCode
    t.stoppedReason = reason
    t.stoppedAt = new Date().toISOString()
  }

  observe(t: FakeTask): RunObservation {
    return {
      ref: t.ref,
      containerId: t.input.container.id,
      namespace: t.input.container.namespace,
      runNumber: t.input.runNumber,
      lastStatus: t.status,
      version: t.version,
      exitCode: t.exitCode,
      stopCode: t.stopCode,
      stoppedReason: t.stoppedReason,
      startedAt: t.startedAt,
      stoppedAt: t.stoppedAt,
    }
  }

  async describeRuns(refs: string[]): Promise<RunObservation[]> {
    this.calls.push({ op: 'describeRuns', arg: refs.length })
    return refs.flatMap((r) => (this.tasks.has(r) ? [this.observe(this.tasks.get(r)!)] : []))
  }

  async listActiveRuns(): Promise<RunObservation[]> {
    return [...this.tasks.values()].filter((t) => t.status !== 'STOPPED').map((t) => this.observe(t))
  }

  /** Adds log lines to a task. */
  addLogs(ref: string, lines: (string | Partial<LogLine>)[]): void {
    const t = this.tasks.get(ref)!
    for (const l of lines) {
      const line = typeof l === 'string' ? { message: l } : l
      t.logs.push({ stream: line.stream ?? 'stdout', time: line.time ?? new Date().toISOString(), message: line.message ?? '' })
    }
  }

  async *logs(run: Run, options: LogOptions): AsyncIterable<LogLine> {
    const t = run.ref ? this.tasks.get(run.ref) : undefined
    if (!t) return
    let lines = t.logs.filter((l) => (options.since === undefined || Date.parse(l.time) / 1000 >= options.since) && (options.until === undefined || Date.parse(l.time) / 1000 <= options.until))
    if (options.tail !== undefined) lines = options.tail === 0 ? [] : lines.slice(-options.tail)
    yield* lines
  }

  async cleanup(): Promise<void> {
    this.calls.push({ op: 'cleanup' })
  }

  async listImages(): Promise<ImageInfo[]> {
    return [...this.images.entries()].map(([ref, digest]) => ({
      id: digest,
      repository: ref.split(':')[0],
      tags: [ref.split(':')[1]],
      digest,
      sizeBytes: 1234,
      createdAt: '2026-01-01T00:00:00Z',
    }))
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length
  }
}
