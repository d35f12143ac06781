import type { CoreDeps } from './core-deps.js'
import type { Container, Run } from './model.js'
import type { LogLine, LogOptions } from './ports.js'

/**
 * docker logs across a container's runs (each Fargate start is a new task with its own
 * stream), oldest first. `tail` counts from the end of the last runs; `follow` follows the
 * current run until it stops or the signal aborts.
 */
export async function* containerLogs(deps: CoreDeps, c: Container, options: LogOptions): AsyncGenerator<LogLine> {
  const runs = (await deps.store.listRuns(c.id)).filter((r) => r.ref).sort((a, b) => a.number - b.number)
  if (runs.length === 0) return
  const current = runs[runs.length - 1]
  const earlier = runs.slice(0, -1)
  const want = (l: LogLine) => (l.stream === 'stdout' ? options.stdout !== false : options.stderr !== false)

  if (options.tail === undefined) {
    for (const run of earlier) for await (const line of deps.backend.logs(run, { ...options, follow: false })) if (want(line)) yield line
    yield* read(deps, current, options, want)
    return
  }
  const last = await collect(deps, current, { ...options, follow: false }, want)
  let fromEarlier: LogLine[] = []
  let missing = options.tail - last.length
  for (let i = earlier.length - 1; i >= 0 && missing > 0; i--) {
    const lines = await collect(deps, earlier[i], { ...options, follow: false, tail: missing }, want)
    fromEarlier = [...lines, ...fromEarlier]
    missing -= lines.length
  }
  yield* fromEarlier
  if (options.follow) yield* read(deps, current, options, want)
  else yield* last
}

async function collect(deps: CoreDeps, run: Run, options: LogOptions, want: (l: LogLine) => boolean): Promise<LogLine[]> {
  const out: LogLine[] = []
  for await (const line of deps.backend.logs(run, options)) if (want(line)) out.push(line)
  return out
}

async function* read(deps: CoreDeps, run: Run, options: LogOptions, want: (l: LogLine) => boolean): AsyncGenerator<LogLine> {
  for await (const line of deps.backend.logs(run, options)) if (want(line)) yield line
}
