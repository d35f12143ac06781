/**
 * The AWS composition root shared by the three Lambdas (api, events, reaper): DynamoDB store,
 * ECS backend, core services and the hook/rollout services, built from the env contract.
 * Heavy modules are imported dynamically so each function's module init stays cheap and the
 * SDK clients are created on first use.
 */
import type { ContainerService } from '../core/container-service.js'
import type { HookExtras } from '../core/hooks/hook-extras.js'
import type { Clock, ComputeBackend, Store } from '../core/ports.js'
import type { AwsEnv } from '../config/env.js'

export const VERSION = '0.1.0'

export interface AwsRuntime {
  env: AwsEnv
  store: Store
  backend: ComputeBackend
  clock: Clock
  containers: ContainerService
  hooks: HookExtras
  /** What ApiDeps.extras carries on AWS (hooks, rollouts, registry credentials). */
  extras: Record<string, unknown>
}

export async function buildAwsRuntime(env: AwsEnv): Promise<AwsRuntime> {
  const [store_, ecs, gateway_, services, hooks_, ecrPush, creds, sdk, ports] = await Promise.all([
    import('../store/index.js'),
    import('../backends/ecs/ecs-backend.js'),
    import('../backends/ecs/sdk-aws-gateway.js'),
    import('../core/container-service.js'),
    import('../core/hooks/hook-extras.js'),
    import('../backends/ecs/ecr-image-pushed.js'),
    import('../backends/ecs/registry-credentials.js'),
    import('./registry-sdk-clients.js'),
    import('../core/ports.js'),
  ])
  const clock = ports.systemClock
  const store = new store_.DynamoStore({ client: store_.createDocumentClient({ region: env.region }), tableName: env.table, clock })
  const backend = new ecs.EcsBackend({ gateway: gateway_.createAwsGateway({ region: env.region }), store, config: env, clock })
  const containers = new services.ContainerService({ store, backend, clock, pollIntervalMs: 1000 })
  const hooks = hooks_.createHookExtras({ store, backend, clock, containers, naming: ecrPush.ecrRepositoryNaming(env) })
  const extras: Record<string, unknown> = { ...hooks }
  if (env.pusherRoleArn) {
    extras.registryCredentials = new creds.EcrRegistryCredentials(
      { ...env, pusherRoleArn: env.pusherRoleArn },
      { sts: new sdk.STSClient({ region: env.region }), ecr: new sdk.ECRClient({ region: env.region }) },
    )
    extras.registryHost = env.registry
  }
  return { env, store, backend, clock, containers, hooks, extras }
}
