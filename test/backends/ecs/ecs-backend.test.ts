import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockClient } from 'aws-sdk-client-mock'
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs'
import { UnsupportedError } from '../../../shared/core/errors.js'
import type { Container, Run } from '../../../shared/core/model.js'
import { planTaskDefinition } from '../../../shared/backends/ecs/task-definition.js'
import { CONTAINER_ID, DIGEST, MemoryStore, REGISTRY, TASK_ARN, config, sdkBackend, spec } from './support.js'

const ecs = mockClient(ECSClient)
beforeEach(() => ecs.reset())
afterEach(() => ecs.reset())

const TD = 'arn:aws:ecs:us-east-1:111122223333:task-definition/fargated-team-a-0123456789abcdef:1'

function task(overrides: Partial<Task> = {}): Task {
  return {
    taskArn: TASK_ARN,
    taskDefinitionArn: TD,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    startedBy: CONTAINER_ID,
    version: 3,
    startedAt: new Date('2026-03-02T10:00:02.500Z'),
    containers: [{ name: 'main', lastStatus: 'RUNNING' }],
    tags: [
      { key: 'fargated:container', value: CONTAINER_ID },
      { key: 'fargated:namespace', value: 'team-a' },
      { key: 'fargated:run', value: '4' },
    ],
    ...overrides,
  }
}

describe('stopRun and killRun', () => {
  it('stops with the reason; a task ECS forgot counts as stopped', async () => {
    ecs.on(StopTaskCommand).resolves({})
    const { backend } = sdkBackend()
    await backend.stopRun(TASK_ARN, { timeoutSeconds: 10, reason: 'docker stop' })
    expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({ cluster: 'fargated', task: TASK_ARN, reason: 'docker stop' })
    expect(ecs.calls()).toHaveLength(1)
    ecs.on(StopTaskCommand).rejects(new InvalidParameterException({ message: 'The referenced task was not found.', $metadata: {} }))
    await expect(backend.stopRun(TASK_ARN, { timeoutSeconds: 10, reason: 'again' })).resolves.toBeUndefined()
  })

  it.each(['SIGKILL', 'KILL', '9', 'SIGTERM', 'term', '15', ''])('kill %s stops the task', async (signal) => {
    ecs.on(StopTaskCommand).resolves({})
    await sdkBackend().backend.killRun(TASK_ARN, signal)
    expect(ecs.commandCalls(StopTaskCommand)).toHaveLength(1)
    expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input.reason).toMatch(/^Killed with SIG(KILL|TERM)/)
  })

  it.each(['SIGHUP', 'USR1', '2', 'SIGSTOP'])('kill %s is unsupported and calls nothing', async (signal) => {
    const err = await sdkBackend().backend.killRun(TASK_ARN, signal).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UnsupportedError)
    expect((err as Error).message).toBe(`Fargate can only stop a task; signal ${signal} cannot be delivered`)
    expect(ecs.calls()).toHaveLength(0)
  })
})

describe('describeRuns', () => {
  it('maps a running task, with ids from its tags', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [task()] })
    expect(await sdkBackend().backend.describeRuns([TASK_ARN])).toEqual([
      { ref: TASK_ARN, containerId: CONTAINER_ID, namespace: 'team-a', runNumber: 4, lastStatus: 'RUNNING', version: 3, oomKilled: false, startedAt: '2026-03-02T10:00:02.500Z' },
    ])
  })

  it('reports the exit code of main, the stop code and reason, and OOM', async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        task({
          lastStatus: 'STOPPED',
          desiredStatus: 'STOPPED',
          version: 6,
          tags: [],
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          stoppingAt: new Date('2026-03-02T10:05:00Z'),
          stoppedAt: new Date('2026-03-02T10:05:20Z'),
          containers: [
            { name: 'sidecar', exitCode: 0 },
            { name: 'main', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
          ],
        }),
      ],
    })
    const [obs] = await sdkBackend().backend.describeRuns([TASK_ARN])
    expect(obs).toMatchObject({
      containerId: CONTAINER_ID,
      namespace: 'team-a',
      lastStatus: 'STOPPED',
      version: 6,
      exitCode: 137,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      oomKilled: true,
      stoppedAt: '2026-03-02T10:05:20.000Z',
      reason: 'OutOfMemoryError: Container killed due to memory usage',
    })
    expect(obs.runNumber).toBeUndefined()
  })

  it('makes no call for no refs', async () => {
    expect(await sdkBackend().backend.describeRuns([])).toEqual([])
    expect(ecs.calls()).toHaveLength(0)
  })
})

describe('listActiveRuns', () => {
  it('lists running tasks and keeps only fargated ones', async () => {
    ecs.on(ListTasksCommand).resolvesOnce({ taskArns: ['a', 'b'], nextToken: 'n' }).resolvesOnce({ taskArns: ['c'] })
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        task({ taskArn: 'a' }),
        task({ taskArn: 'b', tags: [], startedBy: 'ecs-svc/123', taskDefinitionArn: 'arn:aws:ecs:us-east-1:1:task-definition/web:3' }),
        task({ taskArn: 'c', tags: [] }),
      ],
    })
    const runs = await sdkBackend().backend.listActiveRuns()
    expect(runs.map((r) => [r.ref, r.containerId, r.namespace])).toEqual([
      ['a', CONTAINER_ID, 'team-a'],
      ['c', CONTAINER_ID, 'team-a'],
    ])
    expect(ecs.commandCalls(DescribeTasksCommand)[0].args[0].input.tasks).toEqual(['a', 'b', 'c'])
  })
})

describe('cleanup', () => {
  const image = `${REGISTRY}/fargated/team-a/app@${DIGEST}`
  const size = { cpu: 256, memory: 512 }
  const s = spec({ cmd: ['x'] })
  const run: Run = { containerId: CONTAINER_ID, namespace: 'team-a', number: 1, backend: 'ecs', ref: TASK_ARN, size, image, imageDigest: DIGEST, capacity: 'on-demand', lastStatus: 'STOPPED', createdAt: '', eventVersion: 1 }
  const hash = planTaskDefinition({ namespace: 'team-a', spec: s, size, image, config }).hash
  const other = (id: string, overrides: Partial<Container> = {}): Container => ({
    id, namespace: 'team-a', name: id, spec: spec({ cmd: ['different'] }), size, imageDigest: DIGEST, runNumber: 1, restartCount: 0, createdAt: '', version: 1,
    state: { status: 'exited', running: false, exitCode: 0, oomKilled: false }, ...overrides,
  })

  async function setup(others: Container[]) {
    const store = new MemoryStore()
    await store.putTaskDefinition({ namespace: 'team-a', specHash: hash, arn: TD, family: 'f', createdAt: '' })
    store.containers = [other(CONTAINER_ID, { spec: s }), ...others]
    ecs.on(DeregisterTaskDefinitionCommand).resolves({})
    ecs.on(DeleteTaskDefinitionsCommand).resolves({})
    return { store, backend: sdkBackend(store).backend }
  }

  it('deregisters and deletes a definition no other container uses, and drops its cache record', async () => {
    const { store, backend } = await setup([other('b'.repeat(64), { size: { cpu: 1024, memory: 2048 } })])
    await backend.cleanup({ id: CONTAINER_ID, namespace: 'team-a', spec: s }, [run])
    expect(ecs.commandCalls(DeregisterTaskDefinitionCommand)[0].args[0].input).toEqual({ taskDefinition: TD })
    expect(ecs.commandCalls(DeleteTaskDefinitionsCommand)[0].args[0].input).toEqual({ taskDefinitions: [TD] })
    expect(store.defs.size).toBe(0)
  })

  it('keeps a definition another container of the namespace uses (same image and size, other cmd)', async () => {
    const { store, backend } = await setup([other('b'.repeat(64))])
    await backend.cleanup({ id: CONTAINER_ID, namespace: 'team-a', spec: s }, [run])
    expect(ecs.calls()).toHaveLength(0)
    expect(store.defs.size).toBe(1)
  })
})
