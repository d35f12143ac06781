/**
 * The ECS contract environment: the real EcsBackend and SdkAwsGateway over the ECS simulator
 * (AWS faked only at the SDK boundary), a dynalite store, and an event pump that plays
 * EventBridge: every simulated task state change goes through parseTaskStateChange and
 * ContainerService.observe, as functions/events.ts does (policy restarts are left to the tests).
 */
import { EcsBackend, SdkAwsGateway, parseTaskStateChange } from '../../shared/backends/ecs/index.js'
import { ContainerService } from '../../shared/core/container-service.js'
import { systemClock } from '../../shared/core/ports.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { EcsSimulator, throttlingException } from '../support/ecs-simulator.js'
import { startEventPump, type EventPump } from '../support/ecs-sim/event-pump.js'
import type { RunTaskCommandOutput } from '@aws-sdk/client-ecs'
import { waitUntilAdopted } from './adopted.js'
import type { ContractEnv } from './lifecycle.contract.js'

export const ECS_NAMESPACE = 'contract'

export interface EcsContractEnv extends ContractEnv {
  sim: EcsSimulator
  pump: EventPump
  testStore: TestStore
  backend: EcsBackend
}

export async function startEcsEnv(namespace = ECS_NAMESPACE): Promise<EcsContractEnv> {
  const testStore = await startTestStore()
  const sim = new EcsSimulator()
  const config = sim.backendConfig()
  sim.seedImage(`${config.repositoryPrefix}/${namespace}/app`, '1')
  const backend = new EcsBackend({ gateway: new SdkAwsGateway(sim.clientSource()), store: testStore.store, config })
  const deps = { store: testStore.store, backend, clock: systemClock, pollIntervalMs: 20, autoRemoveGraceMs: 0 }
  const service = new ContainerService(deps)
  // The events function is another process: its service shares no in-flight starts with the API's.
  const events = new ContainerService(deps)
  const pump = startEventPump(sim, async (event) => {
    const observation = parseTaskStateChange(event, { taskFamilyPrefix: config.taskFamilyPrefix })
    if (!observation) return
    // An event can beat the start that records the task ARN: retry briefly, as local mode does.
    for (let attempt = 0; attempt < 5; attempt++) {
      if ((await events.observe(observation)) !== 'unknown-run') return
      await new Promise((r) => setTimeout(r, 20))
    }
  })
  return {
    sim,
    pump,
    testStore,
    backend,
    service,
    namespace,
    image: 'app:1',
    settle: () => pump.settle(),
    pauseEvents: () => pump.pause(),
    resumeEvents: () => pump.resume(),
    loseNextStartResponse: (options = {}) =>
      sim.failNext('RunTask', throttlingException(), {
        afterEffect: true,
        beforeFailing: options.afterEventsApplied
          ? (out) => waitUntilAdopted(testStore.store, (out as RunTaskCommandOutput).tasks![0].taskArn!)
          : undefined,
      }),
    runtimeRunCount: async (containerId) => sim.tasks(containerId).length,
    async close() {
      await pump.stop()
      sim.restore()
      await testStore.close()
      if (pump.errors.length) throw new Error(`event delivery failed: ${pump.errors.map(String).join('; ')}`)
    },
  }
}
