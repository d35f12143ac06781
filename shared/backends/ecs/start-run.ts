/**
 * `docker start` → RunTask. The task definition comes from the store's cache (spec hash → ARN)
 * and is registered only on a miss, so a steady-state start is one ECS call.
 *
 * Idempotency: clientToken = the caller's token on every attempt. The SDK retries throttles and
 * 5xx with the same serialized request (same token), and ECS answers a repeated token with the
 * original task instead of starting a second one (aws-facts §2.2).
 */
import type { ContainerOverride, RunTaskCommandInput } from '@aws-sdk/client-ecs'
import { BackendError, FargatedError } from '../../core/errors.js'
import type { Clock, StartRunInput, StartedRun, Store } from '../../core/ports.js'
import type { AwsGateway } from './aws-gateway.js'
import { CONTAINER_NAME, TAGS, type EcsBackendConfig } from './ecs-config.js'
import { planTaskDefinition, type TaskDefinitionPlan } from './task-definition.js'
import { toObservation, toTaskStatus } from './task-observation.js'

export type TaskDefinitionCache = Pick<Store, 'getTaskDefinition' | 'putTaskDefinition' | 'deleteTaskDefinition'>

export interface StartRunDeps {
  gateway: AwsGateway
  store: TaskDefinitionCache
  config: EcsBackendConfig
  clock: Clock
}

/** The cached ARN for the plan's hash, registering (and caching) the definition on a miss. */
export async function ensureTaskDefinition(deps: StartRunDeps, namespace: string, plan: TaskDefinitionPlan): Promise<{ arn: string; cached: boolean }> {
  const cached = await deps.store.getTaskDefinition(namespace, plan.hash)
  if (cached) return { arn: cached.arn, cached: true }
  const registered = await deps.gateway.registerTaskDefinition(plan.input)
  await deps.store.putTaskDefinition({
    namespace,
    specHash: plan.hash,
    arn: registered.arn,
    family: registered.family,
    createdAt: deps.clock.now().toISOString(),
  })
  return { arn: registered.arn, cached: false }
}

/** RunTask input for one run: cmd and env as container overrides, capacity as launch type or strategy. */
export function runTaskInput(config: EcsBackendConfig, input: StartRunInput, taskDefinitionArn: string): RunTaskCommandInput {
  const { spec, id, namespace } = input.container
  const override: ContainerOverride = { name: CONTAINER_NAME }
  if (spec.cmd?.length) override.command = spec.cmd
  const env = Object.entries(spec.env)
  if (env.length) override.environment = env.map(([name, value]) => ({ name, value }))
  return {
    cluster: config.cluster,
    taskDefinition: taskDefinitionArn,
    count: 1,
    clientToken: input.token,
    startedBy: id,
    ...(input.capacity === 'spot'
      ? { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }
      : { launchType: 'FARGATE' as const }),
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: config.subnets,
        securityGroups: config.securityGroups.length ? config.securityGroups : undefined,
        assignPublicIp: config.assignPublicIp ? 'ENABLED' : 'DISABLED',
      },
    },
    overrides: override.command || override.environment ? { containerOverrides: [override] } : undefined,
    propagateTags: 'NONE',
    tags: [
      { key: TAGS.container, value: id },
      { key: TAGS.namespace, value: namespace },
      { key: TAGS.run, value: String(input.runNumber) },
    ],
  }
}

/** A cached ARN that ECS no longer accepts (deregistered by a concurrent `rm`, or deleted by hand). */
function isStaleTaskDefinition(e: unknown): boolean {
  return e instanceof FargatedError && /task ?definition/i.test(e.message) && /inactive|not found|does not exist|unable to find/i.test(e.message)
}

async function runOnce(deps: StartRunDeps, input: StartRunInput, arn: string): Promise<StartedRun> {
  const result = await deps.gateway.runTask(runTaskInput(deps.config, input, arn))
  const task = result.tasks[0]
  if (result.failures.length > 0 || !task?.taskArn) {
    const reason = result.failures.map((f) => [f.reason, f.detail].filter(Boolean).join(': ')).join('; ') || 'RunTask started no task'
    throw new BackendError(`RunTask failed: ${reason}`, {
      details: { capacityUnavailable: /capacity|RESOURCE:/i.test(reason), capacity: input.capacity, failures: result.failures },
    })
  }
  return {
    ref: task.taskArn,
    lastStatus: toTaskStatus(task.lastStatus ?? 'PROVISIONING', task.desiredStatus),
    ...(task.startedAt ? { startedAt: task.startedAt.toISOString() } : {}),
    observation: toObservation({ ...task, taskArn: task.taskArn }, deps.config.taskFamilyPrefix),
  }
}

/**
 * Starts one task. `failures[]` → BackendError (details.capacityUnavailable for capacity
 * shortages, so the core can fall back from spot); a reused token with other parameters →
 * ConflictError (from the gateway). A cached definition ECS rejects as inactive is dropped from
 * the cache, registered again, and the start retried once.
 */
export async function startRun(deps: StartRunDeps, input: StartRunInput): Promise<StartedRun> {
  const { namespace, spec } = input.container
  const plan = planTaskDefinition({ namespace, spec, size: input.size, image: input.image, config: deps.config })
  const def = await ensureTaskDefinition(deps, namespace, plan)
  try {
    return await runOnce(deps, input, def.arn)
  } catch (e) {
    if (!def.cached || !isStaleTaskDefinition(e)) throw e
    await deps.store.deleteTaskDefinition(namespace, plan.hash)
    const fresh = await ensureTaskDefinition(deps, namespace, plan)
    return runOnce(deps, input, fresh.arn)
  }
}
