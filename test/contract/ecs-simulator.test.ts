/**
 * The ECS simulator itself (test/support/ecs-simulator.ts), and what it lets us pin down about
 * the real EcsBackend + SdkAwsGateway: AWS calls per verb, token idempotency, log paging, and
 * event delivery (duplicates, reordering, a lost RunTask answer).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ConflictException,
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  ListClustersCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type RunTaskCommandInput,
} from '@aws-sdk/client-ecs'
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { parseTaskStateChange } from '../../shared/backends/ecs/index.js'
import { NotFoundError } from '../../shared/core/errors.js'
import { ManualClock } from '../support/dynalite.js'
import { EcsSimulator, type TaskStateChangeEvent } from '../support/ecs-simulator.js'
import { parseCommand } from '../support/ecs-sim/script.js'
import { startEcsEnv, type EcsContractEnv } from './ecs-env.js'

describe('the simulated shell', () => {
  it('parses sh -c scripts and bare commands', () => {
    expect(parseCommand(['sh', '-c', 'echo "a b"; echo err >&2; sleep 0.5; exit 3'])).toEqual([
      { kind: 'echo', text: 'a b', stream: 'stdout' },
      { kind: 'echo', text: 'err', stream: 'stderr' },
      { kind: 'sleep', seconds: 0.5 },
      { kind: 'exit', code: 3 },
    ])
    expect(parseCommand(['sleep', '300'])).toEqual([{ kind: 'sleep', seconds: 300 }])
    expect(parseCommand(['sh', '-c', 'true; false; nope'])).toEqual([
      { kind: 'status', code: 0 },
      { kind: 'status', code: 1 },
      { kind: 'unknown', word: 'nope' },
    ])
  })
})

describe('EcsSimulator at the SDK boundary', () => {
  let sim: EcsSimulator
  let clock: ManualClock
  beforeEach(() => {
    clock = new ManualClock()
    sim = new EcsSimulator({ clock, logPageSize: 2 })
  })
  afterEach(() => sim.restore())

  async function register(family = 'fargated-ns-0123456789abcdef') {
    const out = await sim.clients.ecs.send(new RegisterTaskDefinitionCommand({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'main', image: 'img', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ns' } } }],
    }))
    return out.taskDefinition!.taskDefinitionArn!
  }

  const runInput = (taskDefinition: string, script: string, token = 'tok-1'): RunTaskCommandInput => ({
    cluster: 'fargated',
    taskDefinition,
    clientToken: token,
    startedBy: 'c'.repeat(64),
    launchType: 'FARGATE',
    networkConfiguration: { awsvpcConfiguration: { subnets: ['s'] } },
    overrides: { containerOverrides: [{ name: 'main', command: ['sh', '-c', script] }] },
    tags: [{ key: 'fargated:container', value: 'c'.repeat(64) }],
  })

  it('walks a task through its lifecycle, one version per change, with a state-change event each', async () => {
    const arn = await register()
    const { tasks } = await sim.clients.ecs.send(new RunTaskCommand(runInput(arn, 'echo hi; sleep 5; exit 4')))
    const taskArn = tasks![0].taskArn!
    expect(tasks![0]).toMatchObject({ lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', version: 1 })

    sim.tick()
    sim.tick()
    const describe = async () => (await sim.clients.ecs.send(new DescribeTasksCommand({ cluster: 'fargated', tasks: [taskArn], include: ['TAGS'] }))).tasks![0]
    expect(await describe()).toMatchObject({ lastStatus: 'RUNNING', version: 3, tags: [{ key: 'fargated:container' }] })
    expect(sim.tick()).toBe(0)
    expect(sim.logMessages(taskArn)).toEqual(['hi'])

    clock.advance(5)
    for (let i = 0; i < 3; i++) sim.tick()
    const stopped = await describe()
    expect(stopped).toMatchObject({ lastStatus: 'STOPPED', version: 6, stopCode: 'EssentialContainerExited', containers: [{ name: 'main', exitCode: 4 }] })
    expect(stopped.tags).toBeUndefined()

    const events = sim.drainEvents()
    expect(events.map((e) => [e.detail.lastStatus, e.detail.version])).toEqual([
      ['PROVISIONING', 1], ['PENDING', 2], ['RUNNING', 3], ['STOPPING', 4], ['DEPROVISIONING', 5], ['STOPPED', 6],
    ])
    expect(parseTaskStateChange(events.at(-1), { taskFamilyPrefix: 'fargated' })).toMatchObject({ ref: taskArn, lastStatus: 'STOPPED', exitCode: 4, containerId: 'c'.repeat(64), namespace: 'ns' })
  })

  it('StopTask: exit code 143, stopCode UserInitiated; unknown tasks are MISSING / not found', async () => {
    const arn = await register()
    const taskArn = (await sim.clients.ecs.send(new RunTaskCommand(runInput(arn, 'sleep 300')))).tasks![0].taskArn!
    sim.tick()
    sim.tick()
    await sim.clients.ecs.send(new StopTaskCommand({ cluster: 'fargated', task: taskArn, reason: 'docker stop' }))
    for (let i = 0; i < 3; i++) sim.tick()
    const out = await sim.clients.ecs.send(new DescribeTasksCommand({ cluster: 'fargated', tasks: [taskArn, 'nope'] }))
    expect(out.tasks![0]).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'docker stop', containers: [{ exitCode: 143 }] })
    expect(out.failures).toEqual([{ arn: 'nope', reason: 'MISSING' }])
    await expect(sim.clients.ecs.send(new StopTaskCommand({ cluster: 'fargated', task: 'nope' }))).rejects.toThrow(/not found/)
    expect(sim.expireStoppedTasks()).toBe(1)
  })

  it('RunTask clientToken: same token and params → the same task; other params → ConflictException', async () => {
    const arn = await register()
    const first = await sim.clients.ecs.send(new RunTaskCommand(runInput(arn, 'sleep 300')))
    const again = await sim.clients.ecs.send(new RunTaskCommand(runInput(arn, 'sleep 300')))
    expect(again.tasks![0].taskArn).toBe(first.tasks![0].taskArn)
    const conflict = sim.clients.ecs.send(new RunTaskCommand(runInput(arn, 'sleep 1')))
    await expect(conflict).rejects.toBeInstanceOf(ConflictException)
    await expect(conflict).rejects.toMatchObject({ resourceIds: [first.tasks![0].taskArn] })
    expect(sim.tasks()).toHaveLength(1)
    expect(sim.callCount('RunTask')).toBe(3)
  })

  it('ListTasks pages; GetLogEvents pages forward and ends on the token it was sent', async () => {
    const arn = await register()
    for (const token of ['a', 'b', 'c']) await sim.clients.ecs.send(new RunTaskCommand(runInput(arn, 'echo 1; echo 2; echo 3; sleep 300', token)))
    const page = await sim.clients.ecs.send(new ListTasksCommand({ cluster: 'fargated', maxResults: 2 }))
    expect(page).toMatchObject({ taskArns: [expect.any(String), expect.any(String)], nextToken: '2' })
    sim.tick()
    sim.tick()
    const [task] = sim.tasks()
    const read = (nextToken?: string) => sim.clients.logs.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: `ns/main/${task.id}`, startFromHead: true, nextToken }))
    const p1 = await read()
    const p2 = await read(p1.nextForwardToken)
    const end = await read(p2.nextForwardToken)
    expect([p1.events!.map((e) => e.message), p2.events!.map((e) => e.message), end.events]).toEqual([['1', '2'], ['3'], []])
    expect(end.nextForwardToken).toBe(p2.nextForwardToken)
    await expect(sim.clients.logs.send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 'none' }))).rejects.toThrow(/does not exist/)
  })

  it('rejects what ECS rejects: a size Fargate lacks, launch type with a strategy, a long token', async () => {
    await expect(register('fargated-ns-fedcba9876543210').then(() => 'ok')).resolves.toBe('ok')
    const bad = sim.clients.ecs.send(new RegisterTaskDefinitionCommand({
      family: 'f', requiresCompatibilities: ['FARGATE'], networkMode: 'awsvpc', cpu: '256', memory: '3000', containerDefinitions: [{ name: 'main', image: 'i' }],
    }))
    await expect(bad).rejects.toThrow(/No Fargate configuration exists for given values: 256 CPU, 3000 memory/)
    const arn = await register()
    const both = { ...runInput(arn, 'true'), capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }
    await expect(sim.clients.ecs.send(new RunTaskCommand(both))).rejects.toThrow(/launch type and capacity provider/)
    await expect(sim.clients.ecs.send(new RunTaskCommand(runInput(arn, 'true', 'x'.repeat(65))))).rejects.toThrow(/clientToken/)
    expect(sim.tasks()).toHaveLength(0)
  })

  it('answers a command it does not simulate with an error, not silence', async () => {
    await expect(sim.clients.ecs.send(new ListClustersCommand({}))).rejects.toThrow(/not simulated/)
  })
})

describe('EcsBackend + ContainerService on the simulator', () => {
  let env: EcsContractEnv
  beforeEach(async () => {
    env = await startEcsEnv('calls')
  })
  afterEach(async () => env.close())

  const spec = (script: string) => ({ image: 'app:1', cmd: ['sh', '-c', script] })

  it('AWS calls per verb: first run 3, steady-state run 1 ECS call (+1 ECR), inspect and ps 0, stop 2', async () => {
    const { sim, service } = env
    await service.run('calls', { spec: spec('sleep 300'), name: 'one' })
    expect(sim.callCounts()).toEqual({ DescribeImages: 1, RegisterTaskDefinition: 1, RunTask: 1 })

    sim.resetCalls()
    await service.run('calls', { spec: spec('echo other command, same definition; sleep 300'), name: 'two' })
    expect({ ecs: sim.totalCalls('ecs'), ecr: sim.totalCalls('ecr'), runTask: sim.callCount('RunTask') }).toEqual({ ecs: 1, ecr: 1, runTask: 1 })

    await env.settle()
    sim.resetCalls()
    await service.inspect('calls', 'two')
    await service.list('calls', { all: true })
    expect(sim.totalCalls()).toBe(0)

    await service.stop('calls', 'two')
    expect(sim.callCounts()).toEqual({ StopTask: 1, DescribeTasks: 1 })
  })

  it('reads a run\'s logs over several GetLogEvents pages', async () => {
    env.sim.seedImage('fargated/calls/app', '1')
    const lines = Array.from({ length: 25 }, (_, i) => `n${i}`)
    const c = await env.service.run('calls', { spec: spec(lines.map((l) => `echo ${l}`).join('; ')), name: 'chatty', start: false })
    const waiting = env.service.wait('calls', c.id, { condition: 'next-exit', timeoutMs: 10_000 })
    await env.service.start('calls', c.id)
    expect((await waiting).statusCode).toBe(0)
    const out: string[] = []
    for await (const line of await env.service.logs('calls', c.id, {})) out.push(line.message)
    expect(out).toEqual(lines)
  })

  it('resolves images in ECR: a tag → its digest; a missing tag → No such image', async () => {
    const digest = env.sim.seedImage('fargated/calls/api', '2')
    expect(await env.backend.resolveImage('calls', 'api:2', 'linux/amd64')).toEqual({ image: `${env.sim.registry}/fargated/calls/api@${digest}`, digest })
    await expect(env.backend.resolveImage('calls', 'api:3', 'linux/amd64')).rejects.toThrow(NotFoundError)
    await expect(env.backend.resolveImage('calls', 'api:3', 'linux/amd64')).rejects.toThrow(/No such image: api:3/)
  })

  it('rm deregisters and deletes the definition; the next run registers it again', async () => {
    const { sim, service } = env
    const c = await service.run('calls', { spec: spec('sleep 300'), name: 'short-lived' })
    await service.remove('calls', c.id, { force: true })
    expect(sim.callCount('DeregisterTaskDefinition')).toBe(1)
    expect(sim.callCount('DeleteTaskDefinitions')).toBe(1)
    await service.run('calls', { spec: spec('sleep 300'), name: 'next' })
    expect(sim.callCount('RegisterTaskDefinition')).toBe(2)
  })

  it('a cached definition deregistered behind fargated\'s back is registered again and the start retried', async () => {
    const { sim, service } = env
    const first = await service.run('calls', { spec: spec('sleep 300'), name: 'cached' })
    const arn = sim.tasks(first.id)[0].taskDefinitionArn
    await sim.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }))
    sim.resetCalls()
    const second = await service.run('calls', { spec: spec('sleep 300'), name: 'cached-2' })
    expect(second.state.running).toBe(true)
    expect(sim.callCounts()).toMatchObject({ RunTask: 2, RegisterTaskDefinition: 1 })
    expect(sim.tasks(second.id)[0].taskDefinitionArn).not.toBe(arn)
  })

  it('duplicate and reordered events leave the same final state', async () => {
    const { sim, service, pump } = env
    pump.pause()
    const c = await service.run('calls', { spec: spec('echo hi; exit 5'), name: 'shuffled' })
    for (let i = 0; i < 6; i++) sim.tick()
    const events = sim.drainEvents()
    const messy: TaskStateChangeEvent[] = [...events.slice().reverse(), ...events]
    for (const event of messy) await service.observe(parseTaskStateChange(event, { taskFamilyPrefix: 'fargated' })!)
    const done = await service.resolve('calls', c.id)
    expect(done.state).toMatchObject({ status: 'exited', exitCode: 5, running: false })
    const run = await service.deps.store.getRun(c.id, 1)
    expect(run).toMatchObject({ lastStatus: 'STOPPED', eventVersion: 6 })
    pump.resume()
  })
})
