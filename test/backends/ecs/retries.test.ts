/**
 * Retries through the real SDK stack (fake HTTP under the client): throttles and 5xx are retried
 * by the SDK with the same clientToken, and a fake ECS that honours the token starts one task.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { BackendError, ThrottledError } from '../../../shared/core/errors.js'
import { lazyAwsClients } from '../../../shared/backends/ecs/aws-clients.js'
import { EcsBackend } from '../../../shared/backends/ecs/ecs-backend.js'
import { SdkAwsGateway } from '../../../shared/backends/ecs/sdk-aws-gateway.js'
import { awsError, fakeAwsHttp, type FakeReply, type FakeRequest } from './fake-aws-http.js'
import { MemoryStore, config, startInput } from './support.js'

/** A fake ECS: RunTask is idempotent on clientToken; `script` can fail attempts first. */
function fakeEcs(script: (attempt: number, created: boolean) => FakeReply | 'create-then-500' | undefined) {
  const tasksByToken = new Map<string, string>()
  let runAttempts = 0
  const fake = fakeAwsHttp((req: FakeRequest): FakeReply => {
    if (req.operation === 'RegisterTaskDefinition') {
      const family = String(req.body.family)
      return { status: 200, body: { taskDefinition: { taskDefinitionArn: `arn:aws:ecs:us-east-1:1:task-definition/${family}:1`, family, revision: 1 } } }
    }
    if (req.operation !== 'RunTask') return awsError(400, 'InvalidParameterException', `unexpected ${req.operation}`)
    runAttempts++
    const token = String(req.body.clientToken)
    const scripted = script(runAttempts, tasksByToken.has(token))
    if (scripted && scripted !== 'create-then-500') return scripted
    if (!tasksByToken.has(token)) tasksByToken.set(token, `arn:aws:ecs:us-east-1:1:task/fargated/task${tasksByToken.size + 1}`)
    if (scripted === 'create-then-500') return awsError(500, 'ServerException', 'Service encountered an error')
    return { status: 200, body: { tasks: [{ taskArn: tasksByToken.get(token), lastStatus: 'PROVISIONING' }], failures: [] } }
  })
  const gateway = new SdkAwsGateway(lazyAwsClients({ region: 'us-east-1', requestHandler: fake.handler }))
  const backend = new EcsBackend({ gateway, store: new MemoryStore(), config })
  const runTasks = () => fake.requests.filter((r) => r.operation === 'RunTask')
  return { backend, runTasks, tasksByToken }
}

// Full jitter backoff is random × base: a random of 0 makes every backoff 0 ms.
beforeEach(() => {
  vi.spyOn(Math, 'random').mockReturnValue(0)
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('RunTask retries', () => {
  it('ThrottlingException twice, then success: one task, the same clientToken on every attempt', async () => {
    const { backend, runTasks, tasksByToken } = fakeEcs((n) => (n <= 2 ? awsError(400, 'ThrottlingException', 'Rate exceeded') : undefined))
    const run = await backend.startRun(startInput({ token: 'tok-throttle' }))
    expect(runTasks()).toHaveLength(3)
    expect(new Set(runTasks().map((r) => r.body.clientToken))).toEqual(new Set(['tok-throttle']))
    expect(tasksByToken.size).toBe(1)
    expect(run.ref).toBe(tasksByToken.get('tok-throttle'))
  })

  it('ServerException after the task was created, then success: still one task, the original one', async () => {
    const { backend, runTasks, tasksByToken } = fakeEcs((n) => (n === 1 ? 'create-then-500' : undefined))
    const run = await backend.startRun(startInput({ token: 'tok-5xx' }))
    expect(runTasks().map((r) => r.body.clientToken)).toEqual(['tok-5xx', 'tok-5xx'])
    expect(tasksByToken.size).toBe(1)
    expect(run.ref).toBe('arn:aws:ecs:us-east-1:1:task/fargated/task1')
  })

  it('gives up after 5 attempts with ThrottledError', async () => {
    const { backend, runTasks } = fakeEcs(() => awsError(400, 'ThrottlingException', 'Rate exceeded'))
    await expect(backend.startRun(startInput())).rejects.toBeInstanceOf(ThrottledError)
    expect(runTasks()).toHaveLength(5)
  })

  it('gives up on a lasting ServerException with BackendError', async () => {
    const { backend, runTasks } = fakeEcs(() => awsError(500, 'ServerException', 'Service encountered an error'))
    const err = await backend.startRun(startInput()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BackendError)
    expect((err as BackendError).message).toMatch(/AWS server error in RunTask/)
    expect(runTasks().length).toBeGreaterThan(1)
  })

  it('does not retry a client error', async () => {
    const { backend, runTasks } = fakeEcs(() => awsError(400, 'InvalidParameterException', 'subnet-a is not in the VPC'))
    await expect(backend.startRun(startInput())).rejects.toThrow(/RunTask failed: subnet-a is not in the VPC/)
    expect(runTasks()).toHaveLength(1)
  })
})

describe('lazyAwsClients', () => {
  it('creates each client once, on first use, with 5 attempts in standard mode', async () => {
    const clients = lazyAwsClients({ region: 'eu-west-1' })
    const ecs = clients.ecs()
    expect(clients.ecs()).toBe(ecs)
    expect(await ecs.config.maxAttempts()).toBe(5)
    expect(ecs.config.retryMode).toBe('standard')
    expect(await clients.logs().config.region()).toBe('eu-west-1')
  })
})
