/** The ECS Fargate backend: what the composition roots (functions/, tests) import. */
export { EcsBackend, type EcsBackendOptions } from './ecs-backend.js'
export type { EcsBackendConfig } from './ecs-config.js'
export { logStreamName, TAGS } from './ecs-config.js'
export type { AwsGateway } from './aws-gateway.js'
export { SdkAwsGateway, createAwsGateway } from './sdk-aws-gateway.js'
export { lazyAwsClients, fixedAwsClients, type AwsClientOptions, type AwsClientSource } from './aws-clients.js'
export { parseTaskStateChange, TASK_STATE_CHANGE } from './task-state-event.js'
export { parseEcrImagePush, IMAGE_ACTION, type EcrImagePush } from './ecr-image-event.js'
