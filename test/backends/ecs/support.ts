/** Shared fixtures for the ECS backend tests: config, specs, an in-memory task-definition store. */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Container } from '../../../shared/core/model.js'
import type { StartRunInput, Store, TaskDefinitionRecord } from '../../../shared/core/ports.js'
import { parseSpec, type ContainerSpecInput } from '../../../shared/core/spec.js'
import { lazyAwsClients } from '../../../shared/backends/ecs/aws-clients.js'
import { SdkAwsGateway } from '../../../shared/backends/ecs/sdk-aws-gateway.js'
import type { EcsBackendConfig } from '../../../shared/backends/ecs/ecs-config.js'
import { EcsBackend } from '../../../shared/backends/ecs/ecs-backend.js'

export const ACCOUNT = '111122223333'
export const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`
export const CONTAINER_ID = '4f7d3c2b1a0918273645546372819a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f'
export const DIGEST = 'sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6'
export const TASK_ARN = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/fargated/9a8b7c6d5e4f40312a1b2c3d4e5f6a7b`

export const config: EcsBackendConfig = {
  cluster: 'fargated',
  region: 'us-east-1',
  subnets: ['subnet-a', 'subnet-b'],
  securityGroups: ['sg-1'],
  assignPublicIp: true,
  executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/fargated-exec`,
  taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/fargated-task`,
  logGroup: '/fargated/runs',
  repositoryPrefix: 'fargated',
  taskFamilyPrefix: 'fargated',
  registry: REGISTRY,
  logPollIntervalMs: 1,
}

export function spec(input: Partial<ContainerSpecInput> = {}) {
  return parseSpec({ image: 'app:1', ...input })
}

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/ecs/${name}`, import.meta.url)), 'utf8'))
}

export type EcsStore = Pick<Store, 'getTaskDefinition' | 'putTaskDefinition' | 'deleteTaskDefinition' | 'listContainers'>

/** The task-definition cache and container list the backend reads, in memory. */
export class MemoryStore implements EcsStore {
  readonly defs = new Map<string, TaskDefinitionRecord>()
  containers: Container[] = []
  async getTaskDefinition(namespace: string, specHash: string) {
    return this.defs.get(`${namespace}/${specHash}`)
  }
  async putTaskDefinition(record: TaskDefinitionRecord) {
    this.defs.set(`${record.namespace}/${record.specHash}`, record)
  }
  async deleteTaskDefinition(namespace: string, specHash: string) {
    this.defs.delete(`${namespace}/${specHash}`)
  }
  async listContainers(namespace: string) {
    return this.containers.filter((c) => c.namespace === namespace)
  }
}

export function startInput(overrides: Partial<StartRunInput> & { spec?: ReturnType<typeof spec> } = {}): StartRunInput {
  const s = overrides.spec ?? spec({ cmd: ['node', 'server.js'], env: { PORT: '8080' } })
  return {
    container: { id: CONTAINER_ID, namespace: 'team-a', name: 'web', spec: s },
    runNumber: 1,
    size: { cpu: 256, memory: 512 },
    image: `${REGISTRY}/fargated/team-a/app@${DIGEST}`,
    imageDigest: DIGEST,
    capacity: 'on-demand',
    token: 'tok-0001',
    ...overrides,
  }
}

/** A backend over the real SdkAwsGateway (clients mocked with aws-sdk-client-mock by the test). */
export function sdkBackend(store = new MemoryStore()) {
  const gateway = new SdkAwsGateway(lazyAwsClients({ region: 'us-east-1' }))
  return { backend: new EcsBackend({ gateway, store, config }), gateway, store }
}
