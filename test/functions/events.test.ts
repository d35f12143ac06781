import { readFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { handler, setRuntimeForTest } from '../../functions/events.js'
import type { AwsRuntime } from '../../shared/aws/aws-runtime.js'
import { readEnv } from '../../shared/config/env.js'
import { ContainerService } from '../../shared/core/container-service.js'
import { createHookExtras } from '../../shared/core/hooks/hook-extras.js'
import type { Container, Run } from '../../shared/core/model.js'
import { systemClock } from '../../shared/core/ports.js'
import { localRepositoryNaming } from '../../shared/core/rollout/index.js'
import { parseSpec } from '../../shared/core/spec.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { FakeBackend } from '../support/fake-backend.js'

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/ecs/${name}.json`, import.meta.url), 'utf8'))
const running = fixture('task-state-running')
const stopped = fixture('task-state-stopped-exit')
const TASK = running.detail.taskArn as string
const ID = running.detail.startedBy as string
const NS = 'team-a'

const env = readEnv({
  FARGATED_TABLE: 't', FARGATED_CLUSTER: 'fargated', FARGATED_SUBNETS: 'subnet-1', FARGATED_EXECUTION_ROLE_ARN: 'arn:exec',
  FARGATED_TASK_ROLE_ARN: 'arn:task', FARGATED_LOG_GROUP: 'lg', FARGATED_REGISTRY: '111122223333.dkr.ecr.us-east-1.amazonaws.com',
})

let t: TestStore
let rt: AwsRuntime

beforeAll(async () => {
  t = await startTestStore()
  const backend = new FakeBackend()
  const clock = systemClock
  const containers = new ContainerService({ store: t.store, backend, clock, pollIntervalMs: 10 })
  const hooks = createHookExtras({ store: t.store, backend, clock, containers, naming: localRepositoryNaming })
  rt = { env, store: t.store, backend, clock, containers, hooks, extras: { ...hooks } }
  setRuntimeForTest(rt)
})
afterAll(async () => {
  setRuntimeForTest(undefined)
  await t.close()
})

beforeEach(async () => {
  await t.store.deleteContainer(NS, ID).catch(() => undefined)
  await t.store.deleteRuns(ID)
  const spec = parseSpec({ image: 'app:1', restartPolicy: { name: 'no' } })
  const container: Container = {
    id: ID, namespace: NS, name: 'web', spec, size: { cpu: 256, memory: 512 },
    state: { status: 'running', detail: 'Starting (PROVISIONING)', running: true, exitCode: null, oomKilled: false },
    createdAt: new Date().toISOString(), runNumber: 1, restartCount: 0, version: 1,
  }
  const run: Run = {
    containerId: ID, namespace: NS, number: 1, backend: 'ecs', ref: TASK, size: container.size, image: 'app:1',
    capacity: 'on-demand', lastStatus: 'PROVISIONING', createdAt: container.createdAt, eventVersion: 1,
  }
  await t.store.createContainer(container)
  await t.store.putRun(run)
})

describe('events function', () => {
  it('applies ECS Task State Change events, newest version wins whatever the order', async () => {
    expect(await handler(stopped)).toMatchObject({ kind: 'task', outcome: 'applied' })
    expect(await handler(running)).toMatchObject({ kind: 'task', outcome: 'stale' })
    expect(await handler(stopped)).toMatchObject({ kind: 'task', outcome: 'stale' })
    const c = await t.store.getContainer(NS, ID)
    expect(c?.state).toMatchObject({ status: 'exited', running: false })
    expect(c?.state.exitCode).toBe(stopped.detail.containers[0].exitCode)
  })

  it('ignores tasks that fargated did not start', async () => {
    const foreign = structuredClone(running)
    foreign.detail.startedBy = 'ecs-svc/123'
    foreign.detail.taskDefinitionArn = 'arn:aws:ecs:us-east-1:111122223333:task-definition/other:1'
    expect(await handler(foreign)).toMatchObject({ kind: 'task', outcome: 'ignored' })
  })

  it('stores Container Insights task samples from a logs subscription', async () => {
    const message = JSON.stringify({
      Type: 'Task', TaskId: TASK.split('/').pop(), ClusterName: 'fargated', TaskDefinitionFamily: 'fargated-team-a-0123456789abcdef',
      CpuUtilized: 12.5, CpuReserved: 256, MemoryUtilized: 40, MemoryReserved: 512, NetworkRxBytes: 10, NetworkTxBytes: 5, Timestamp: Date.now(),
    })
    const payload = { messageType: 'DATA_MESSAGE', logGroup: '/aws/ecs/containerinsights/fargated/performance', logStream: 's', logEvents: [{ id: '1', timestamp: Date.now(), message }] }
    const event = { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } }
    expect(await handler(event)).toMatchObject({ kind: 'usage', samples: 1, stored: 1 })
  })

  it('turns an ECR push into a rollout check (no tracking container: nothing to do)', async () => {
    expect(await handler(fixture('ecr-image-push'))).toMatchObject({ kind: 'image', rollouts: 0 })
  })

  it('drops unknown shapes without throwing', async () => {
    expect(await handler({ hello: 'world' })).toEqual({ kind: 'unknown', outcome: 'ignored' })
  })
})
