import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { DockerBackend } from '../../../shared/backends/docker/docker-backend.js'
import { EngineUnavailableError, type FargatedError } from '../../../shared/core/errors.js'
import type { RunObservation } from '../../../shared/core/model.js'
import { engineAvailable, removeSuiteContainers, runInput, suiteId, suiteLabels, waitFor } from '../../support/engine.js'

const suite = suiteId('docker-events')
const docker = new Dockerode()
const backend = new DockerBackend({ docker, labels: suiteLabels(suite) })

describe.skipIf(!engineAvailable())('DockerBackend engine events', () => {
  afterAll(async () => {
    await removeSuiteContainers(suite, docker)
  })

  it('reports RUNNING then STOPPED with the exit code, for this backend\'s containers only', async () => {
    const seen: RunObservation[] = []
    const abort = new AbortController()
    const watching = backend.watchEvents((o) => seen.push(o), abort.signal)
    const other = new DockerBackend({ docker, labels: suiteLabels(`${suite}-other`) })
    try {
      const input = runInput({ cmd: ['sh', '-c', 'sleep 0.3; exit 3'] }, { runNumber: 7 })
      const foreign = await other.startRun(runInput({ cmd: ['true'] }))
      const { ref } = await backend.startRun(input)
      const mine = await waitFor(async () => {
        const list = seen.filter((o) => o.ref === ref)
        return list.some((o) => o.lastStatus === 'STOPPED') ? list : undefined
      }, 'the die event')
      const running = mine.find((o) => o.lastStatus === 'RUNNING')!
      const stopped = mine.find((o) => o.lastStatus === 'STOPPED' && o.exitCode !== undefined)!
      expect(running).toMatchObject({ containerId: input.container.id, namespace: 'test', runNumber: 7 })
      expect(stopped).toMatchObject({ containerId: input.container.id, exitCode: 3, oomKilled: false })
      expect(stopped.version).toBeGreaterThan(running.version)
      expect(mine.indexOf(running)).toBeLessThan(mine.indexOf(stopped))
      const [described] = await backend.describeRuns([ref])
      expect(described).toMatchObject({ lastStatus: 'STOPPED', exitCode: 3 })
      expect(seen.some((o) => o.ref === foreign.ref)).toBe(false)
    } finally {
      abort.abort()
      await watching
      await removeSuiteContainers(`${suite}-other`, docker)
    }
  })

  it('reports a stop as STOPPED (inspected) after the kill', async () => {
    const seen: RunObservation[] = []
    const abort = new AbortController()
    const watching = backend.watchEvents((o) => seen.push(o), abort.signal)
    try {
      const { ref } = await backend.startRun(runInput({ cmd: ['sleep', '300'] }))
      await waitFor(async () => (seen.some((o) => o.ref === ref && o.lastStatus === 'RUNNING') ? true : undefined), 'start')
      await backend.stopRun(ref, { timeoutSeconds: 0, reason: 'test' })
      const last = await waitFor(async () => {
        const list = seen.filter((o) => o.ref === ref)
        return list.filter((o) => o.lastStatus === 'STOPPED').length >= 2 ? list : undefined
      }, 'die and stop')
      expect(last.at(-1)).toMatchObject({ lastStatus: 'STOPPED', exitCode: 137 })
      const versions = last.map((o) => o.version)
      expect(versions).toEqual([...versions].sort((a, b) => a - b))
    } finally {
      abort.abort()
      await watching
    }
  })
})

describe('DockerBackend without an engine', () => {
  const dead = new DockerBackend({ docker: new Dockerode({ socketPath: '/nonexistent.sock' }) })

  it('raises EngineUnavailableError that says how to start one', async () => {
    const attempt = dead.startRun(runInput())
    await expect(attempt).rejects.toBeInstanceOf(EngineUnavailableError)
    await expect(attempt).rejects.toThrow(/containers can't start until an engine runs.*sudo bash scripts\/engine\.sh/)
    await expect(dead.describeRuns(['x'])).rejects.toBeInstanceOf(EngineUnavailableError)
    await expect(dead.listActiveRuns()).rejects.toBeInstanceOf(EngineUnavailableError)
    await expect(dead.resolveImage('ns', 'busybox', 'linux/amd64')).rejects.toBeInstanceOf(EngineUnavailableError)
    await expect(dead.pullImage('busybox')).rejects.toBeInstanceOf(EngineUnavailableError)
  })

  it('answers ping and describe without throwing', async () => {
    expect(await dead.ping()).toBe(false)
    expect(await dead.describe()).toMatchObject({ backend: 'docker', engineReachable: false })
  })

  it('keeps retrying the event stream, reporting the outage, until aborted', async () => {
    const errors: FargatedError[] = []
    const abort = new AbortController()
    const watching = dead.watchEvents(() => undefined, abort.signal, { minBackoffMs: 5, maxBackoffMs: 20, onError: (e) => errors.push(e) })
    await waitFor(async () => (errors.length >= 3 ? true : undefined), 'three failed attempts')
    abort.abort()
    await expect(watching).resolves.toBeUndefined()
    expect(errors.every((e) => e instanceof EngineUnavailableError)).toBe(true)
  })
})
