/**
 * The app on the ECS backend, served over loopback for real clients: the REAL EcsBackend and
 * SdkAwsGateway over the ECS simulator (AWS faked at the SDK boundary), a dynalite store, and
 * an event pump that plays EventBridge: every task state change goes through
 * parseTaskStateChange into ContainerService.observe, as functions/events.ts does.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { createApp } from '../../../shared/api/app.js'
import type { ApiDeps } from '../../../shared/api/context.js'
import { EcsBackend, SdkAwsGateway, parseTaskStateChange } from '../../../shared/backends/ecs/index.js'
import { ContainerService } from '../../../shared/core/container-service.js'
import { KeyService } from '../../../shared/core/key-service.js'
import { systemClock } from '../../../shared/core/ports.js'
import { startTestStore, type TestStore } from '../../support/dynalite.js'
import { EcsSimulator } from '../../support/ecs-simulator.js'
import { startEventPump, type EventPump } from '../../support/ecs-sim/event-pump.js'

export const ECS_NAMESPACE = 'default'

export interface EcsFargated {
  sim: EcsSimulator
  pump: EventPump
  deps: ApiDeps
  dockerHost: string
  port: number
  key: string
  close(): Promise<void>
}

/** Starts the server; `images` are `repository:tag` short names seeded in the namespace's ECR. */
export async function startEcsFargated(key: string, images: string[]): Promise<EcsFargated> {
  const testStore: TestStore = await startTestStore()
  const { store } = testStore
  const sim = new EcsSimulator()
  const config = sim.backendConfig()
  for (const image of images) {
    const [repository, tag] = image.split(':')
    sim.seedImage(`${config.repositoryPrefix}/${ECS_NAMESPACE}/${repository}`, tag)
  }
  const clock = systemClock
  const backend = new EcsBackend({ gateway: new SdkAwsGateway(sim.clientSource()), store, config, clock })
  const containers = new ContainerService({ store, backend, clock, pollIntervalMs: 50, autoRemoveGraceMs: 200 })
  const keys = new KeyService(store, clock)
  await keys.ensure(key, ECS_NAMESPACE, 'e2e admin key')
  const deps: ApiDeps = { containers, keys, store, backend, clock, mode: 'aws', version: '0.1.0' }

  const pump = startEventPump(sim, async (event) => {
    const observation = parseTaskStateChange(event, { taskFamilyPrefix: config.taskFamilyPrefix })
    if (!observation) return
    // An event can beat the start that records the task ARN: retry briefly.
    for (let attempt = 0; attempt < 5; attempt++) {
      if ((await containers.observe(observation)) !== 'unknown-run') return
      await new Promise((r) => setTimeout(r, 20))
    }
  })

  const server = serve({ fetch: createApp(deps).fetch, hostname: '127.0.0.1', port: 0 }) as Server
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  return {
    sim,
    pump,
    deps,
    dockerHost: `tcp://127.0.0.1:${port}`,
    port,
    key,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await pump.stop()
      sim.restore()
      await testStore.close()
      if (pump.errors.length) throw new Error(`event delivery failed: ${pump.errors.map(String).join('; ')}`)
    },
  }
}
