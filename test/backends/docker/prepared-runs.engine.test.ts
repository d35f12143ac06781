import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { DockerBackend } from '../../../shared/backends/docker/docker-backend.js'
import { engineName } from '../../../shared/backends/docker/labels.js'
import { PreparedRuns } from '../../../shared/backends/docker/prepared-runs.js'
import { engineAvailable, removeSuiteContainers, runInput, suiteId, suiteLabels, waitFor } from '../../support/engine.js'

const suite = suiteId('docker-prepare')
const docker = new Dockerode()
const labels = suiteLabels(suite)
const backend = new DockerBackend({ docker, labels })

/** The engine container of run 1 of the input's container, or undefined. */
async function engineContainer(containerId: string): Promise<Dockerode.ContainerInspectInfo | undefined> {
  return docker.getContainer(engineName(containerId, 1)).inspect().catch(() => undefined)
}

describe.skipIf(!engineAvailable())('DockerBackend prepareRun on the engine', () => {
  afterAll(async () => {
    await removeSuiteContainers(suite, docker)
  })

  it('creates the engine container without starting it; startRun starts that same container', async () => {
    const input = runInput({ cmd: ['sleep', '300'] })
    backend.prepareRun(input)
    const created = await waitFor(() => engineContainer(input.container.id), 'the prepared container', 10_000, 20)
    expect(created.State.Status).toBe('created')
    const started = await backend.startRun(input)
    expect(started.ref).toBe(created.Id)
    expect(started.lastStatus).toBe('RUNNING')
    expect((await engineContainer(input.container.id))?.State.Running).toBe(true)
  })

  it('a container changed between preparation and start is created again with the new settings', async () => {
    const input = runInput({ cmd: ['sleep', '300'], env: { WHICH: 'old' } })
    backend.prepareRun(input)
    const prepared = await waitFor(() => engineContainer(input.container.id), 'the prepared container', 10_000, 20)
    const changed = { ...input, container: { ...input.container, spec: { ...input.container.spec, env: { WHICH: 'new' } } } }
    const started = await backend.startRun(changed)
    expect(started.ref).not.toBe(prepared.Id)
    expect((await engineContainer(input.container.id))?.Config.Env).toContain('WHICH=new')
    await expect(docker.getContainer(prepared.Id).inspect()).rejects.toMatchObject({ statusCode: 404 })
  })

  it('a preparation no start takes is removed after its time to live, and never ran', async () => {
    const runs = new PreparedRuns({ docker, publishHost: '127.0.0.1', labels }, 200)
    const input = runInput({ cmd: ['sleep', '300'] })
    runs.prepare(input)
    const created = await waitFor(() => engineContainer(input.container.id), 'the prepared container', 10_000, 20)
    expect(created.State.StartedAt).toBe('0001-01-01T00:00:00Z')
    await waitFor(async () => ((await engineContainer(input.container.id)) ? undefined : true), 'its removal', 10_000, 50)
    expect(runs.pending).toBe(0)
  })

  it('a start with another token (another idempotency seed) replaces the prepared container', async () => {
    const input = runInput({ cmd: ['sleep', '300'] })
    backend.prepareRun(input)
    const prepared = await waitFor(() => engineContainer(input.container.id), 'the prepared container', 10_000, 20)
    const started = await backend.startRun({ ...input, token: `${input.token}-seeded` })
    expect(started.ref).not.toBe(prepared.Id)
    expect(started.lastStatus).toBe('RUNNING')
    await expect(docker.getContainer(prepared.Id).inspect()).rejects.toMatchObject({ statusCode: 404 })
  })

  it('a prepared container is not an active run (the orphan scan leaves it alone)', async () => {
    const input = runInput({ cmd: ['sleep', '300'] })
    backend.prepareRun(input)
    const prepared = await waitFor(() => engineContainer(input.container.id), 'the prepared container', 10_000, 20)
    expect((await backend.listActiveRuns()).map((o) => o.ref)).not.toContain(prepared.Id)
  })
})

describe.skipIf(!engineAvailable())('PreparedRuns bound', () => {
  afterAll(async () => {
    await removeSuiteContainers(suite, docker)
  })
  it('makes no more than its limit of waiting preparations', async () => {
    const runs = new PreparedRuns({ docker, publishHost: '127.0.0.1', labels }, 60_000, 2)
    const inputs = [1, 2, 3].map(() => runInput({ cmd: ['sleep', '300'] }))
    for (const input of inputs) runs.prepare(input)
    expect(runs.pending).toBe(2)
    await waitFor(() => engineContainer(inputs[1].container.id), 'the second preparation', 10_000, 20)
    expect(await engineContainer(inputs[2].container.id)).toBeUndefined()
  })
})

describe.skipIf(!engineAvailable())('a container created ahead by a process that is gone', () => {
  afterAll(async () => {
    await removeSuiteContainers(suite, docker)
  })
  it('is replaced when its settings differ, and started when they are the same', async () => {
    const input = runInput({ cmd: ['sleep', '300'], env: { WHICH: 'old' } })
    // Another backend (a fargated since restarted) prepared it and forgot it.
    new DockerBackend({ docker, labels }).prepareRun(input)
    const stale = await waitFor(() => engineContainer(input.container.id), 'the stale preparation', 10_000, 20)
    const changed = { ...input, container: { ...input.container, spec: { ...input.container.spec, env: { WHICH: 'new' } } } }
    const started = await new DockerBackend({ docker, labels }).startRun(changed)
    expect(started.ref).not.toBe(stale.Id)
    expect((await engineContainer(input.container.id))?.Config.Env).toContain('WHICH=new')

    const same = runInput({ cmd: ['sleep', '300'] })
    new DockerBackend({ docker, labels }).prepareRun(same)
    const kept = await waitFor(() => engineContainer(same.container.id), 'the matching preparation', 10_000, 20)
    expect((await new DockerBackend({ docker, labels }).startRun(same)).ref).toBe(kept.Id)
  })
})
