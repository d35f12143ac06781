/**
 * `docker logs` on ECS: GetLogEvents on the run's computed awslogs stream
 * `<namespace>/main/<taskId>` (no DescribeLogStreams call).
 */
import type { RunObservation, Run } from '../../core/model.js'
import type { LogLine, LogOptions } from '../../core/ports.js'
import type { AwsGateway, LogReadInput } from './aws-gateway.js'
import { logStreamName, type EcsBackendConfig } from './ecs-config.js'
import { sleep } from '../../core/sleep.js'

/** GetLogEvents returns at most 10,000 events per call. */
export const MAX_TAIL = 10_000

export interface LogsDeps {
  gateway: AwsGateway
  config: Pick<EcsBackendConfig, 'logGroup' | 'logPollIntervalMs'>
  /** The run's current observation; undefined when ECS no longer knows it. */
  describe(ref: string): Promise<RunObservation | undefined>
}


function toLine(ev: { timestamp: number; message: string }): LogLine {
  return { stream: 'stdout', time: new Date(ev.timestamp).toISOString(), message: ev.message.replace(/\r?\n$/, '') }
}

/**
 * Log lines of a run, oldest first.
 *
 * - awslogs does not keep stdout and stderr apart: every line is reported as `stdout`, and a
 *   request with `stdout: false` gets nothing.
 * - `tail: N` reads one page of the newest N events (at most 10,000); `since`/`until` become
 *   startTime/endTime.
 * - `follow` polls every `logPollIntervalMs` (1 s) and ends when the run is STOPPED and a poll
 *   after that finds no new events (awslogs may flush the last lines just after the stop), or
 *   when `signal` aborts. A stream that does not exist yet (task still starting) has no lines.
 */
export async function* runLogs(deps: LogsDeps, run: Pick<Run, 'ref' | 'namespace' | 'lastStatus'>, options: LogOptions): AsyncGenerator<LogLine> {
  if (options.stdout === false || !run.ref) return
  const { signal } = options
  const base: Omit<LogReadInput, 'startFromHead'> = {
    group: deps.config.logGroup,
    stream: logStreamName(run.namespace, run.ref),
    ...(options.since !== undefined ? { startTime: Math.floor(options.since * 1000) } : {}),
    ...(options.until !== undefined ? { endTime: Math.floor(options.until * 1000) } : {}),
    signal,
  }
  let token: string | undefined
  async function* read(input: LogReadInput): AsyncGenerator<LogLine, number> {
    let count = 0
    for await (const page of deps.gateway.readLogEvents(input)) {
      if (page.nextForwardToken) token = page.nextForwardToken
      count += page.events.length
      for (const ev of page.events) yield toLine(ev)
    }
    return count
  }

  if (options.tail !== undefined) {
    const tail = Math.min(Math.max(0, Math.floor(options.tail)), MAX_TAIL)
    if (tail === 0 && !options.follow) return
    // tail 0 with follow: read one event only to learn where the stream ends now.
    for await (const line of read({ ...base, startFromHead: false, limit: Math.max(tail, 1) })) {
      if (tail > 0) yield line
    }
  } else {
    yield* read({ ...base, startFromHead: true })
  }
  if (!options.follow) return

  const interval = deps.config.logPollIntervalMs ?? 1000
  let stopped = run.lastStatus === 'STOPPED'
  while (!signal?.aborted) {
    await sleep(interval, signal)
    if (signal?.aborted) return
    const count = yield* read({ ...base, startFromHead: true, nextToken: token })
    if (count > 0) continue
    if (stopped) return
    const obs = await deps.describe(run.ref)
    stopped = !obs || obs.lastStatus === 'STOPPED'
  }
}
