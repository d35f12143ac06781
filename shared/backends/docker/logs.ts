import type Dockerode from 'dockerode'
import type { LogLine, LogOptions } from '../../core/ports.js'
import type { Run } from '../../core/model.js'
import { engineName } from './labels.js'
import { FinishedLogs, lineBytes, selectLines } from './finished-logs.js'
import { LogDecoder, logModeOf } from './log-decoder.js'
import { chunks, openStream } from './engine-stream.js'
import { unixQuery } from './time.js'

/** The engine reference of a run: its recorded container id, else its engine container name. */
export function runRef(run: Pick<Run, 'ref' | 'containerId' | 'number'>): string {
  return run.ref ?? engineName(run.containerId, run.number)
}

/**
 * Log lines of a run's engine container, oldest first, in one engine call (none when `finished`
 * holds the complete log of the exited run). Always asks the
 * engine for timestamps (each line carries its time); demuxes as the answer's Content-Type
 * says (the container's Tty setting), else by its first byte. With follow, the engine ends the
 * stream when the container stops; the signal ends it earlier.
 */
export async function* readLogs(docker: Dockerode, run: Run, options: LogOptions, finished?: FinishedLogs): AsyncGenerator<LogLine> {
  if (finished && run.ref && run.lastStatus === 'STOPPED' && FinishedLogs.answers(options) && !finished.isTooBig(run.ref)) {
    let lines = finished.get(run.ref)
    if (!lines) {
      lines = await readComplete(docker, run, finished.entryLimitBytes, options.signal)
      if (lines) finished.set(run.ref, lines)
      else if (!options.signal?.aborted) finished.markTooBig(run.ref)
    }
    if (lines) {
      yield* selectLines(lines, options)
      return
    }
  }
  yield* readEngineLogs(docker, run, options)
}

/** The whole log of an exited run, or undefined once it passes `limitBytes` (too big to keep). */
async function readComplete(docker: Dockerode, run: Run, limitBytes: number, signal?: AbortSignal): Promise<LogLine[] | undefined> {
  const lines: LogLine[] = []
  let bytes = 0
  for await (const line of readEngineLogs(docker, run, { signal })) {
    lines.push(line)
    bytes += lineBytes(line)
    if (bytes > limitBytes) return undefined
  }
  return signal?.aborted ? undefined : lines
}

async function* readEngineLogs(docker: Dockerode, run: Run, options: LogOptions): AsyncGenerator<LogLine> {
  const stdout = options.stdout ?? true
  const stderr = options.stderr ?? true
  if (!stdout && !stderr) return
  if (options.signal?.aborted) return
  const stream = await openStream(
    docker,
    `/containers/${encodeURIComponent(runRef(run))}/logs`,
    {
      stdout,
      stderr,
      follow: options.follow ?? false,
      timestamps: true,
      tail: options.tail === undefined ? 'all' : Math.max(0, Math.floor(options.tail)),
      since: options.since === undefined ? undefined : unixQuery(options.since),
      until: options.until === undefined ? undefined : unixQuery(options.until),
    },
    options.signal,
  ).catch((error: unknown) => {
    if (options.signal?.aborted) return undefined
    throw error
  })
  if (!stream) return
  const decoder = new LogDecoder(logModeOf(stream.headers['content-type']))
  for await (const chunk of chunks(stream, options.signal)) {
    for (const line of decoder.push(chunk)) yield line
  }
  for (const line of decoder.flush()) yield line
}
