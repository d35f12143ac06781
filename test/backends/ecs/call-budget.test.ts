/**
 * How many AWS calls each Docker verb costs on ECS (figures quoted in the backend's report):
 * first `docker run` 3 (ECR 1 + ECS 2), steady-state `docker run` 2 (ECR 1 + ECS 1: RunTask),
 * `docker stop` 1, `docker logs` of a finished 10-line task 2.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockClient } from 'aws-sdk-client-mock'
import { ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs'
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr'
import { CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs'
import { DIGEST, MemoryStore, TASK_ARN, sdkBackend, spec, startInput } from './support.js'

const ecs = mockClient(ECSClient)
const ecr = mockClient(ECRClient)
const logs = mockClient(CloudWatchLogsClient)
const all = () => ecs.calls().length + ecr.calls().length + logs.calls().length
const resetHistory = () => [ecs, ecr, logs].forEach((m) => m.resetHistory())

beforeEach(() => {
  ;[ecs, ecr, logs].forEach((m) => m.reset())
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: DIGEST }] })
  ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: 'arn:td:1', family: 'f', revision: 1 } })
  ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }], failures: [] })
  ecs.on(StopTaskCommand).resolves({})
})
afterEach(() => [ecs, ecr, logs].forEach((m) => m.reset()))

describe('AWS calls per verb', () => {
  it('docker run, run again, stop, logs', async () => {
    const store = new MemoryStore()
    const { backend } = sdkBackend(store)
    const dockerRun = async (token: string, cmd: string[]) => {
      const resolved = await backend.resolveImage('team-a', 'app:1', 'linux/amd64')
      return backend.startRun(startInput({ spec: spec({ cmd }), image: resolved.image, imageDigest: resolved.digest, token }))
    }

    await dockerRun('t1', ['echo', 'one'])
    expect({ total: all(), ecs: ecs.calls().length, ecr: ecr.calls().length }).toEqual({ total: 3, ecs: 2, ecr: 1 })

    resetHistory()
    await dockerRun('t2', ['echo', 'two'])
    expect({ total: all(), ecs: ecs.calls().length, ecr: ecr.calls().length }).toEqual({ total: 2, ecs: 1, ecr: 1 })
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(1)

    resetHistory()
    await backend.stopRun(TASK_ARN, { timeoutSeconds: 10, reason: 'docker stop' })
    expect(all()).toBe(1)

    resetHistory()
    logs.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) =>
      input.nextToken === 'f/10'
        ? { events: [], nextForwardToken: 'f/10' }
        : { events: Array.from({ length: 10 }, (_, i) => ({ timestamp: i, message: `line ${i}` })), nextForwardToken: 'f/10' },
    )
    const run = { containerId: 'c', namespace: 'team-a', number: 1, backend: 'ecs' as const, ref: TASK_ARN, size: { cpu: 256, memory: 512 }, image: 'x', capacity: 'on-demand' as const, lastStatus: 'STOPPED' as const, createdAt: '', eventVersion: 1 }
    let lines = 0
    for await (const _ of backend.logs(run, {})) lines++
    expect({ lines, calls: all() }).toEqual({ lines: 10, calls: 2 })
  })
})
