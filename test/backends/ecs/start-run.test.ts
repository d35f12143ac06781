import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockClient } from 'aws-sdk-client-mock'
import {
  ClientException,
  ClusterNotFoundException,
  ConflictException,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs'
import { BackendError, ConflictError, InvalidSpecError } from '../../../shared/core/errors.js'
import { CONTAINER_ID, MemoryStore, TASK_ARN, sdkBackend, spec, startInput } from './support.js'

const ecs = mockClient(ECSClient)
const TD_ARN = 'arn:aws:ecs:us-east-1:111122223333:task-definition/fargated-team-a-x:1'

function registerOk() {
  ecs.on(RegisterTaskDefinitionCommand).callsFake((input: { family: string }) => ({
    taskDefinition: { taskDefinitionArn: `arn:aws:ecs:us-east-1:111122223333:task-definition/${input.family}:1`, family: input.family, revision: 1 },
  }))
}
function runOk() {
  ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PROVISIONING' }], failures: [] })
}

beforeEach(() => ecs.reset())
afterEach(() => ecs.reset())

describe('startRun', () => {
  it('registers once, then reuses the definition: first run 2 ECS calls, a run with other cmd/env 1 call', async () => {
    registerOk()
    runOk()
    const { backend, store } = sdkBackend()
    const first = await backend.startRun(startInput())
    expect(first).toMatchObject({ ref: TASK_ARN, lastStatus: 'PROVISIONING' })
    expect(ecs.calls()).toHaveLength(2)
    expect(store.defs.size).toBe(1)

    ecs.resetHistory()
    await backend.startRun(startInput({ spec: spec({ cmd: ['other'], env: { MODE: 'batch' } }), runNumber: 2, token: 'tok-0002' }))
    expect(ecs.calls()).toHaveLength(1)
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0)
    const run = ecs.commandCalls(RunTaskCommand)[0].args[0].input
    expect(run.overrides?.containerOverrides).toEqual([{ name: 'main', command: ['other'], environment: [{ name: 'MODE', value: 'batch' }] }])
  })

  it('builds RunTask with token, startedBy, tags, awsvpc and FARGATE launch type', async () => {
    registerOk()
    runOk()
    const { backend, store } = sdkBackend()
    await backend.startRun(startInput())
    const [record] = [...store.defs.values()]
    const input = ecs.commandCalls(RunTaskCommand)[0].args[0].input
    expect(input).toEqual({
      cluster: 'fargated',
      taskDefinition: record.arn,
      count: 1,
      clientToken: 'tok-0001',
      startedBy: CONTAINER_ID,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'ENABLED' } },
      overrides: { containerOverrides: [{ name: 'main', command: ['node', 'server.js'], environment: [{ name: 'PORT', value: '8080' }] }] },
      propagateTags: 'NONE',
      tags: [
        { key: 'fargated:container', value: CONTAINER_ID },
        { key: 'fargated:namespace', value: 'team-a' },
        { key: 'fargated:run', value: '1' },
      ],
    })
    expect(record).toMatchObject({ namespace: 'team-a', family: expect.stringMatching(/^fargated-team-a-[0-9a-f]{16}$/) })
  })

  it('sends no overrides when the spec has no cmd or env', async () => {
    registerOk()
    runOk()
    const { backend } = sdkBackend()
    await backend.startRun(startInput({ spec: spec() }))
    expect(ecs.commandCalls(RunTaskCommand)[0].args[0].input.overrides).toBeUndefined()
  })

  it('runs spot on the FARGATE_SPOT capacity provider without a launch type', async () => {
    registerOk()
    runOk()
    const { backend } = sdkBackend()
    await backend.startRun(startInput({ capacity: 'spot' }))
    const input = ecs.commandCalls(RunTaskCommand)[0].args[0].input
    expect(input.capacityProviderStrategy).toEqual([{ capacityProvider: 'FARGATE_SPOT', weight: 1 }])
    expect(input).not.toHaveProperty('launchType')
  })

  it('turns failures[] into a BackendError, flagging capacity shortages', async () => {
    registerOk()
    ecs.on(RunTaskCommand).resolves({
      tasks: [],
      failures: [{ arn: 'arn:aws:ecs:us-east-1:111122223333:cluster/fargated', reason: 'Capacity is unavailable at this time. Please try again later or in a different availability zone' }],
    })
    const { backend } = sdkBackend()
    const err = await backend.startRun(startInput({ capacity: 'spot' })).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BackendError)
    expect((err as BackendError).message).toMatch(/Capacity is unavailable/)
    expect((err as BackendError).details).toMatchObject({ capacityUnavailable: true, capacity: 'spot' })

    ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: 'MISSING', detail: 'subnet-a' }] })
    const other = await backend.startRun(startInput()).catch((e: unknown) => e)
    expect((other as BackendError).details).toMatchObject({ capacityUnavailable: false })
  })

  it('maps a reused token with changed parameters to ConflictError', async () => {
    registerOk()
    ecs.on(RunTaskCommand).rejects(new ConflictException({ message: 'The clientToken was already used', $metadata: {}, resourceIds: [TASK_ARN] }))
    const { backend } = sdkBackend()
    const err = await backend.startRun(startInput()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConflictError)
    expect((err as ConflictError).details).toEqual({ resourceIds: [TASK_ARN] })
  })

  it('names the cluster when it does not exist', async () => {
    registerOk()
    ecs.on(RunTaskCommand).rejects(new ClusterNotFoundException({ message: 'Cluster not found.', $metadata: {} }))
    const { backend } = sdkBackend()
    await expect(backend.startRun(startInput())).rejects.toThrow(/ECS cluster "fargated" was not found/)
  })

  it('reports an invalid size from RegisterTaskDefinition as the user\'s spec error', async () => {
    ecs.on(RegisterTaskDefinitionCommand).rejects(new ClientException({ message: "Invalid 'cpu' setting for task.", $metadata: {} }))
    const { backend } = sdkBackend()
    await expect(backend.startRun(startInput())).rejects.toBeInstanceOf(InvalidSpecError)
  })

  it('re-registers once when the cached definition has become inactive', async () => {
    registerOk()
    const store = new MemoryStore()
    const { backend } = sdkBackend(store)
    runOk()
    await backend.startRun(startInput())
    const hash = [...store.defs.values()][0].specHash
    await store.putTaskDefinition({ namespace: 'team-a', specHash: hash, arn: TD_ARN, family: 'fargated-team-a-x', createdAt: '' })
    ecs.resetHistory()
    ecs.on(RunTaskCommand, { taskDefinition: TD_ARN }).rejects(new ClientException({ message: 'TaskDefinition is inactive', $metadata: {} }))
    const run = await backend.startRun(startInput({ token: 'tok-0002' }))
    expect(run.ref).toBe(TASK_ARN)
    expect(ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1)
    expect(ecs.commandCalls(RunTaskCommand).map((c) => c.args[0].input.clientToken)).toEqual(['tok-0002', 'tok-0002'])
    expect(store.defs.get(`team-a/${hash}`)?.arn).not.toBe(TD_ARN)
  })
})
