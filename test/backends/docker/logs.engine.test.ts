import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { DockerBackend } from '../../../shared/backends/docker/docker-backend.js'
import type { Run } from '../../../shared/core/model.js'
import type { LogLine, LogOptions, StartRunInput } from '../../../shared/core/ports.js'
import { engineAvailable, removeSuiteContainers, runInput, suiteId, suiteLabels, waitFor } from '../../support/engine.js'

const suite = suiteId('docker-logs')
const docker = new Dockerode()
const backend = new DockerBackend({ docker, labels: suiteLabels(suite) })

function asRun(input: StartRunInput, ref: string): Run {
  return { containerId: input.container.id, namespace: 'test', number: input.runNumber, backend: 'docker', ref, size: input.size, image: input.image, capacity: 'on-demand', lastStatus: 'RUNNING', createdAt: '', eventVersion: 0 }
}

async function start(cmd: string, spec: Parameters<typeof runInput>[0] = {}): Promise<Run> {
  const input = runInput({ cmd: ['sh', '-c', cmd], ...spec })
  return asRun(input, (await backend.startRun(input)).ref)
}

async function exited(run: Run): Promise<void> {
  await waitFor(async () => ((await backend.describeRuns([run.ref!]))[0]?.lastStatus === 'STOPPED' ? true : undefined), 'exit')
}

/** RFC 3339 times with the fraction padded to 9 digits (the engine trims trailing zeros). */
function sortable(time: string): string {
  return time.replace(/(?:\.(\d+))?Z$/, (_, f: string | undefined) => `.${(f ?? '').padEnd(9, '0')}Z`)
}

async function collect(run: Run, options: LogOptions = {}): Promise<LogLine[]> {
  const out: LogLine[] = []
  for await (const line of backend.logs(run, options)) out.push(line)
  return out
}

describe.skipIf(!engineAvailable())('DockerBackend logs on the engine', () => {
  afterAll(async () => {
    await removeSuiteContainers(suite, docker)
  })

  it('separates stdout and stderr, with a nanosecond time on every line', async () => {
    const run = await start('echo out1; echo err1 >&2; echo out2; printf "err2" >&2')
    await exited(run)
    const all = await collect(run)
    const text = (s: string) => all.filter((l) => l.stream === s).map((l) => l.message)
    expect(text('stdout')).toEqual(['out1', 'out2'])
    expect(text('stderr')).toEqual(['err1', 'err2'])
    for (const l of all) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{1,9}Z$/)
    // The engine copies stdout and stderr separately, so only each stream is in time order.
    for (const stream of ['stdout', 'stderr']) {
      const times = all.filter((l) => l.stream === stream).map((l) => sortable(l.time))
      expect(times).toEqual([...times].sort())
    }
    expect((await collect(run, { stderr: false })).map((l) => l.message)).toEqual(['out1', 'out2'])
    expect((await collect(run, { stdout: false })).map((l) => l.message)).toEqual(['err1', 'err2'])
    expect(await collect(run, { stdout: false, stderr: false })).toEqual([])
  })

  it('honours tail, since and until', async () => {
    const run = await start('echo one; echo two; sleep 1.5; echo three; echo four')
    await exited(run)
    const all = await collect(run)
    expect(all.map((l) => l.message)).toEqual(['one', 'two', 'three', 'four'])
    expect((await collect(run, { tail: 2 })).map((l) => l.message)).toEqual(['three', 'four'])
    const middle = (Date.parse(all[1].time) + Date.parse(all[2].time)) / 2000
    expect((await collect(run, { since: middle })).map((l) => l.message)).toEqual(['three', 'four'])
    expect((await collect(run, { until: middle })).map((l) => l.message)).toEqual(['one', 'two'])
  })

  it('follows until the container exits', async () => {
    const run = await start('for i in 1 2 3; do echo line-$i; sleep 0.3; done; echo bye >&2')
    const lines = await collect(run, { follow: true })
    expect(lines.map((l) => `${l.stream}:${l.message}`)).toEqual(['stdout:line-1', 'stdout:line-2', 'stdout:line-3', 'stderr:bye'])
    expect((await backend.describeRuns([run.ref!]))[0].lastStatus).toBe('STOPPED')
  })

  it('ends a follow stream when the signal aborts', async () => {
    const run = await start('i=0; while :; do i=$((i+1)); echo tick-$i; sleep 0.2; done')
    const abort = new AbortController()
    const seen: string[] = []
    for await (const line of backend.logs(run, { follow: true, signal: abort.signal })) {
      seen.push(line.message)
      if (seen.length === 2) abort.abort()
    }
    expect(seen.slice(0, 2)).toEqual(['tick-1', 'tick-2'])
    expect((await backend.describeRuns([run.ref!]))[0].lastStatus).toBe('RUNNING')
  })

  it('reads a TTY container raw, as stdout', async () => {
    const run = await start('echo tty-line; echo tty-err >&2', { tty: true })
    await exited(run)
    expect(await collect(run)).toEqual([
      expect.objectContaining({ stream: 'stdout', message: 'tty-line' }),
      expect.objectContaining({ stream: 'stdout', message: 'tty-err' }),
    ])
  })

  it('finds the engine container by name when the run has no ref yet', async () => {
    const run = await start('echo by-name')
    await exited(run)
    expect((await collect({ ...run, ref: undefined })).map((l) => l.message)).toEqual(['by-name'])
  })

  it('answers not found for a run whose engine container is gone', async () => {
    const run = await start('echo gone')
    await exited(run)
    await docker.getContainer(run.ref!).remove({ force: true })
    await expect(collect(run)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('serves the complete log of an exited run from memory, picking lines as the engine does', async () => {
    const run = await start('for i in 1 2 3 4; do echo out-$i; echo err-$i >&2; done')
    await exited(run)
    const stopped: Run = { ...run, lastStatus: 'STOPPED' }
    const shapes: LogOptions[] = [{}, { tail: 3 }, { stdout: true, stderr: false }, { stdout: false, stderr: true, tail: 3 }, { tail: 0 }]
    // The engine's own answers, with a run it must ask (not known to have exited).
    const fromEngine = await Promise.all(shapes.map((o) => collect(run, o)))
    expect(fromEngine[0]).toHaveLength(8)
    expect(await collect(stopped)).toEqual(fromEngine[0])
    await docker.getContainer(run.ref!).remove({ force: true })
    for (const [i, options] of shapes.entries()) expect(await collect(stopped, options)).toEqual(fromEngine[i])
    // A run not known to have exited still asks the engine, which no longer has it.
    await expect(collect(run)).rejects.toMatchObject({ code: 'not_found' })
    // A time window is the engine's to answer.
    await expect(collect(stopped, { since: 1 })).rejects.toMatchObject({ code: 'not_found' })
  })
})
