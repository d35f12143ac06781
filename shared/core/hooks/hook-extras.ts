/**
 * Builds the services this feature adds, for ApiDeps.extras (composition roots: functions/api,
 * functions/events, functions/reaper, local mode). Keys match what the route files read:
 * `hooks`, `deliveries`, `rollouts`, and the optional `registryCredentials`, `registryHost`,
 * `publicUrl`, `maxWebhookBytes` the caller adds.
 */
import type { ContainerService } from '../container-service.js'
import type { RolloutDeps } from '../rollout/rollout-types.js'
import { RolloutService } from '../rollout/rollout-service.js'
import { DeliveryService } from './delivery-service.js'
import { HookService } from './hook-service.js'

export interface HookExtras {
  hooks: HookService
  deliveries: DeliveryService
  rollouts: RolloutService
}

export function createHookExtras(deps: RolloutDeps & { containers: ContainerService }): HookExtras {
  const hooks = new HookService(deps.store, deps.clock)
  const rollouts = new RolloutService(deps)
  const deliveries = new DeliveryService({ store: deps.store, clock: deps.clock, hooks, containers: deps.containers, rollouts })
  return { hooks, deliveries, rollouts }
}
