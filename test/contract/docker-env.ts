/**
 * The Docker contract environment: DockerBackend on the real engine (its containers labelled
 * for this suite), a dynalite store, and local mode's engine watcher (watchEngine: engine
 * events → ContainerService.observe). Policy restarts are left to the tests.
 */
import Dockerode from 'dockerode'
import { DockerBackend } from '../../shared/backends/docker/docker-backend.js'
import { LABELS } from '../../shared/backends/docker/labels.js'
import { ContainerService } from '../../shared/core/container-service.js'
import { systemClock } from '../../shared/core/ports.js'
import { watchEngine } from '../../shared/local/engine-watch.js'
import { startTestStore } from '../support/dynalite.js'
import { TEST_IMAGE, removeSuiteContainers, suiteLabels, waitFor } from '../support/engine.js'
import { waitUntilAdopted } from './adopted.js'
import type { ContractEnv } from './lifecycle.contract.js'
import { withLostStartResponses } from './lossy-backend.js'

const SETTLE_MS = 3000

export async function startDockerEnv(suite: string, namespace = 'contract'): Promise<ContractEnv> {
  const testStore = await startTestStore()
  const { store } = testStore
  const docker = new Dockerode()
  const engine = new DockerBackend({ docker, labels: suiteLabels(suite) })
  const lossy = withLostStartResponses(engine)
  const deps = { store, backend: lossy.backend, clock: systemClock, pollIntervalMs: 20, autoRemoveGraceMs: 0 }
  const service = new ContainerService(deps)
  // Engine events reach a service of their own (sharing no in-flight starts, so a lost start
  // answer can surface after its events applied, as on AWS; local mode's StartGate is tested
  // with the local server) through a gate that pauseEvents() closes.
  const eventService = new ContainerService(deps)
  let gate: Promise<void> = Promise.resolve()
  let open = () => {}
  const watched = Object.create(eventService) as ContainerService
  watched.observe = async (o) => {
    await gate
    return eventService.observe(o)
  }
  const failures: string[] = []
  const watch = watchEngine({ engine, containers: watched, store, retrySeconds: 1, log: (m) => void (/failed|not applied|stopped/.test(m) && failures.push(m)) })
  await waitFor(async () => (watch.available() ? true : undefined), 'the engine watcher to connect', 10_000, 20)

  /** True when the store's current runs agree with what the engine says about them. */
  async function agrees(): Promise<boolean> {
    const pairs = []
    for (const c of await store.listContainers(namespace)) {
      const run = c.runNumber ? await store.getRun(c.id, c.runNumber) : undefined
      if (run?.ref) pairs.push(run)
    }
    const seen = await engine.describeRuns(pairs.map((r) => r.ref!))
    return pairs.every((run) => {
      const obs = seen.find((o) => o.ref === run.ref)
      return !obs || (obs.lastStatus === 'STOPPED') === (run.lastStatus === 'STOPPED')
    })
  }

  return {
    service,
    namespace,
    image: TEST_IMAGE,
    async settle() {
      const deadline = Date.now() + SETTLE_MS
      while (Date.now() < deadline && !(await agrees())) await new Promise((r) => setTimeout(r, 25))
    },
    pauseEvents() {
      gate = new Promise((resolve) => (open = resolve))
    },
    resumeEvents: () => open(),
    loseNextStartResponse: (options = {}) => lossy.loseNext(options.afterEventsApplied ? (ref) => waitUntilAdopted(store, ref) : undefined),
    async runtimeRunCount(containerId) {
      return (await docker.listContainers({ all: true, filters: { label: [`${LABELS.container}=${containerId}`] } })).length
    },
    async close() {
      watch.stop()
      await removeSuiteContainers(suite, docker)
      await testStore.close()
      if (failures.length) throw new Error(`engine events: ${failures.join('; ')}`)
    },
  }
}
