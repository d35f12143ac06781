/**
 * Rollouts on the real engine (DockerBackend): a push of a good image replaces the run, a push
 * of an image whose process exits at once is rolled back, and the old run keeps serving.
 */
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DockerBackend } from '../../../shared/backends/docker/index.js'
import { ContainerService } from '../../../shared/core/container-service.js'
import { systemClock } from '../../../shared/core/ports.js'
import { localRepositoryNaming, RolloutService } from '../../../shared/core/rollout/index.js'
import { engineAvailable, removeSuiteContainers, suiteId, suiteLabels, TEST_IMAGE } from '../../support/engine.js'
import { startTestStore, type TestStore } from '../../support/dynalite.js'

const REPO = `fargated-rollout-test/app-${Math.random().toString(16).slice(2, 8)}`

describe.skipIf(!engineAvailable())('rollouts on the engine', () => {
  const suite = suiteId('rollout')
  const docker = new Dockerode()
  let t: TestStore
  let containers: ContainerService
  let rollouts: RolloutService
  let backend: DockerBackend
  const ids: Record<string, string> = {}

  /** Commits the test image with another CMD as REPO:tag; returns the image id. */
  async function image(tag: string, cmd: string[]): Promise<string> {
    const c = await docker.createContainer({ Image: TEST_IMAGE, Cmd: ['true'], Labels: suiteLabels(suite) })
    await c.commit({ repo: REPO, tag, changes: [`CMD ${JSON.stringify(cmd)}`, `LABEL fargated.test.tag=${tag}`] })
    await c.remove({ force: true })
    return (await docker.getImage(`${REPO}:${tag}`).inspect()).Id
  }

  beforeAll(async () => {
    ids.v1 = await image('v1', ['sleep', '300'])
    ids.v2 = await image('v2', ['sleep', '301'])
    ids.v3 = await image('v3', ['sh', '-c', 'exit 3'])
    t = await startTestStore()
    backend = new DockerBackend({ labels: suiteLabels(suite) })
    const deps = { store: t.store, backend, clock: systemClock, pollIntervalMs: 100 }
    containers = new ContainerService(deps)
    rollouts = new RolloutService({ ...deps, naming: localRepositoryNaming, timeoutSeconds: 60, settleSeconds: 2 })
  })

  afterAll(async () => {
    await removeSuiteContainers(suite)
    for (const tag of ['v1', 'v2', 'v3']) await docker.getImage(`${REPO}:${tag}`).remove({ force: true }).catch(() => undefined)
    await t?.close()
  })

  it('redeploys a tracking container on a pushed image, then rolls back a crashing one', async () => {
    const c = await containers.run('local', { spec: { image: `${REPO}:v1`, track: 'v*', stopTimeout: 1 } })
    const v1Run = await t.store.getRun(c.id, 1)
    const repository = localRepositoryNaming.repositoryOf('local', `${REPO}:v1`)!

    const [ok] = await rollouts.imagePushed({ repository, tag: 'v2', digest: ids.v2, source: 'test' }, { wait: true })
    expect(ok).toMatchObject({ outcome: 'succeeded', runNumber: 2 })
    const after = await t.store.getContainer('local', c.id)
    expect(after).toMatchObject({ runNumber: 2, imageDigest: ids.v2, spec: { image: `${REPO}:v2` }, state: { running: true } })
    const v2Run = await t.store.getRun(c.id, 2)
    expect((await docker.getContainer(v2Run!.ref!).inspect()).State.Running).toBe(true)
    expect((await docker.getContainer(v1Run!.ref!).inspect()).State.Running).toBe(false)
    expect(await t.store.getRun(c.id, 1)).toMatchObject({ lastStatus: 'STOPPED', stopCause: 'redeploy' })

    const [bad] = await rollouts.imagePushed({ repository, tag: 'v3', digest: ids.v3, source: 'test' }, { wait: true })
    expect(bad.outcome).toBe('failed')
    expect(bad.reason).toMatch(/new run stopped with exit code 3/)
    expect(await t.store.getContainer('local', c.id)).toMatchObject({ runNumber: 2, imageDigest: ids.v2, spec: { image: `${REPO}:v2` }, state: { running: true } })
    expect((await docker.getContainer(v2Run!.ref!).inspect()).State.Running).toBe(true)
    const events = (await t.store.listEvents('local')).filter((e) => e.id === c.id && e.action === 'rollout').map((e) => e.attributes.outcome)
    expect(events).toEqual(['succeeded', 'failed'])
  })
})
