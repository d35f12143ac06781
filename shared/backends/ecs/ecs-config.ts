import type { AwsEnv } from '../../config/env.js'

/** What EcsBackend needs from the deployment (the same fields as the AWS environment). */
export type EcsBackendConfig = Pick<
  AwsEnv,
  | 'cluster'
  | 'region'
  | 'subnets'
  | 'securityGroups'
  | 'assignPublicIp'
  | 'executionRoleArn'
  | 'taskRoleArn'
  | 'logGroup'
  | 'repositoryPrefix'
  | 'taskFamilyPrefix'
  | 'registry'
  | 'pullThroughPrefix'
> & {
  /** How often `logs --follow` polls CloudWatch Logs, in ms. @default 1000 */
  logPollIntervalMs?: number
}

/** The one container of every fargated task definition. */
export const CONTAINER_NAME = 'main'

/** Tags fargated puts on tasks and task definitions. ECS deletes task tags at stop (aws-facts §2.3). */
export const TAGS = {
  container: 'fargated:container',
  namespace: 'fargated:namespace',
  run: 'fargated:run',
  specHash: 'fargated:spec-hash',
} as const

/** The last segment of a task ARN (also accepts a bare task id). */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1)
}

/**
 * The awslogs stream of a run, computed without an API call: `<prefix>/<container>/<taskId>`
 * with the stream prefix set to the namespace in every task definition (task-definition.ts).
 */
export function logStreamName(namespace: string, taskArn: string): string {
  return `${namespace}/${CONTAINER_NAME}/${taskIdOf(taskArn)}`
}

/** The registry host without scheme or trailing slash. */
export function registryHost(registry: string): string {
  return registry.replace(/^https?:\/\//, '').replace(/\/+$/, '')
}

/** ECR repository-name prefix that belongs to a namespace: `<repositoryPrefix>/<namespace>/`. */
export function namespaceRepositoryPrefix(config: Pick<EcsBackendConfig, 'repositoryPrefix'>, namespace: string): string {
  return `${config.repositoryPrefix}/${namespace}/`
}
