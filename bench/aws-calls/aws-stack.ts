/**
 * The API as it runs on AWS, minus AWS: the real Hono app, ContainerService, DynamoStore on an
 * in-process dynalite (loopback), and EcsBackend → SdkAwsGateway → the SDK clients, which
 * fake-aws.ts mocks. Counts the store's DynamoDB calls too.
 */
import { randomUUID } from 'node:crypto'
import { createApp } from '../../shared/api/app.js'
import { EcsBackend } from '../../shared/backends/ecs/ecs-backend.js'
import type { EcsBackendConfig } from '../../shared/backends/ecs/ecs-config.js'
import { lazyAwsClients } from '../../shared/backends/ecs/aws-clients.js'
import { SdkAwsGateway } from '../../shared/backends/ecs/sdk-aws-gateway.js'
import { ContainerService } from '../../shared/core/container-service.js'
import { KeyService } from '../../shared/core/key-service.js'
import { systemClock } from '../../shared/core/ports.js'
import { startEmbeddedDynamo } from '../../shared/local/embedded-dynamo.js'
import { createDocumentClient } from '../../shared/store/document-client.js'
import { DynamoStore } from '../../shared/store/dynamo-store.js'
import { ensureTable } from '../../shared/store/ensure-table.js'

const ACCOUNT = '111122223333'
const KEY = 'fgd_bench-aws-calls-admin-key'

export const CONFIG: EcsBackendConfig = {
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
  registry: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`,
  logPollIntervalMs: 1,
}

export interface AwsStack {
  /** A Docker Engine API request to the app, as the admin of namespace `default`. */
  docker(method: string, path: string, body?: unknown): Promise<Response>
  /** DynamoDB calls the store made since the last reset. */
  storeCalls(): number
  resetStoreCalls(): void
  close(): Promise<void>
}

export async function startAwsStack(): Promise<AwsStack> {
  const dynamo = await startEmbeddedDynamo({ host: '127.0.0.1', port: 0 })
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' })
  let storeCalls = 0
  client.middlewareStack.add((next) => async (args) => {
    storeCalls++
    return next(args)
  }, { step: 'initialize', name: 'benchCountStoreCalls' })
  const tableName = `fargated-bench-${randomUUID()}`
  await ensureTable(client, tableName)
  const store = new DynamoStore({ client, tableName, clock: systemClock })
  const backend = new EcsBackend({ gateway: new SdkAwsGateway(lazyAwsClients({ region: CONFIG.region })), store, config: CONFIG, clock: systemClock })
  const containers = new ContainerService({ store, backend, clock: systemClock, pollIntervalMs: 20 })
  const keys = new KeyService(store, systemClock)
  await keys.ensure(KEY, 'default', 'aws-calls bench')
  const app = createApp({ containers, keys, store, backend, clock: systemClock, mode: 'aws', version: 'bench' })
  return {
    docker(method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${KEY}` }
      if (body !== undefined) headers['content-type'] = 'application/json'
      return Promise.resolve(app.request(`http://localhost/v1.43${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }))
    },
    storeCalls: () => storeCalls,
    resetStoreCalls: () => {
      storeCalls = 0
    },
    async close() {
      client.destroy()
      await dynamo.close()
    },
  }
}
