import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockClient } from 'aws-sdk-client-mock'
import {
  ClientException,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs'
import {
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ImageNotFoundException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr'
import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs'
import { NotFoundError } from '../../../shared/core/errors.js'
import type { LogPage, LogReadInput } from '../../../shared/backends/ecs/aws-gateway.js'
import { lazyAwsClients } from '../../../shared/backends/ecs/aws-clients.js'
import { SdkAwsGateway } from '../../../shared/backends/ecs/sdk-aws-gateway.js'

const ecs = mockClient(ECSClient)
const ecr = mockClient(ECRClient)
const logs = mockClient(CloudWatchLogsClient)
const gateway = () => new SdkAwsGateway(lazyAwsClients({ region: 'us-east-1' }))

beforeEach(() => {
  ecs.reset()
  ecr.reset()
  logs.reset()
})
afterEach(() => {
  ecs.reset()
  ecr.reset()
  logs.reset()
})

async function pages(input: LogReadInput): Promise<LogPage[]> {
  const out: LogPage[] = []
  for await (const p of gateway().readLogEvents(input)) out.push(p)
  return out
}
const ev = (n: number) => ({ timestamp: 1_700_000_000_000 + n, message: `line ${n}`, ingestionTime: 0 })

describe('ECS calls', () => {
  it('describes tasks in chunks of 100 with tags', async () => {
    ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({ tasks: input.tasks.map((taskArn) => ({ taskArn })), failures: [] }))
    const refs = Array.from({ length: 250 }, (_, i) => `arn:task/${i}`)
    const tasks = await gateway().describeTasks('fargated', refs)
    expect(tasks).toHaveLength(250)
    const calls = ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input)
    expect(calls.map((c) => c.tasks?.length)).toEqual([100, 100, 50])
    expect(calls.every((c) => c.include?.[0] === 'TAGS' && c.cluster === 'fargated')).toBe(true)
  })

  it('omits tasks ECS reports MISSING', async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: 'a' }], failures: [{ arn: 'b', reason: 'MISSING' }] })
    expect(await gateway().describeTasks('c', ['a', 'b'])).toEqual([{ taskArn: 'a' }])
  })

  it('reads every ListTasks page, passing the token back', async () => {
    ecs.on(ListTasksCommand).resolvesOnce({ taskArns: ['a', 'b'], nextToken: 't1' }).resolvesOnce({ taskArns: ['c'] })
    expect(await gateway().listTasks('fargated', 'RUNNING')).toEqual(['a', 'b', 'c'])
    const inputs = ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input)
    expect(inputs[0]).toMatchObject({ cluster: 'fargated', desiredStatus: 'RUNNING' })
    expect(inputs[1].nextToken).toBe('t1')
  })

  it('stops with a reason cut to 255 characters; an unknown task is NotFoundError', async () => {
    ecs.on(StopTaskCommand).resolves({})
    await gateway().stopTask('fargated', 'arn:task/1', 'x'.repeat(300))
    expect(ecs.commandCalls(StopTaskCommand)[0].args[0].input).toEqual({ cluster: 'fargated', task: 'arn:task/1', reason: 'x'.repeat(255) })
    ecs.on(StopTaskCommand).rejects(new InvalidParameterException({ message: 'The referenced task was not found.', $metadata: {} }))
    await expect(gateway().stopTask('fargated', 'arn:task/1', 'r')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('deregisters idempotently and deletes in batches of 10', async () => {
    ecs.on(DeregisterTaskDefinitionCommand).rejects(new ClientException({ message: 'The specified task definition is inactive.', $metadata: {} }))
    await expect(gateway().deregisterTaskDefinition('arn:td:1')).resolves.toBeUndefined()
    ecs.on(DeleteTaskDefinitionsCommand).resolves({ taskDefinitions: [], failures: [] })
    await gateway().deleteTaskDefinitions(Array.from({ length: 12 }, (_, i) => `arn:td:${i}`))
    expect(ecs.commandCalls(DeleteTaskDefinitionsCommand).map((c) => c.args[0].input.taskDefinitions?.length)).toEqual([10, 2])
  })
})

describe('ECR calls', () => {
  it('describes one image by tag; a missing tag or repository is "No such image"', async () => {
    ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: 'sha256:abc', imageTags: ['1'] }] })
    expect((await gateway().describeImage('fargated/team-a/app', { tag: '1' })).imageDigest).toBe('sha256:abc')
    expect(ecr.commandCalls(DescribeImagesCommand)[0].args[0].input).toEqual({ repositoryName: 'fargated/team-a/app', imageIds: [{ imageTag: '1' }] })

    ecr.on(DescribeImagesCommand).rejects(new ImageNotFoundException({ message: 'x', $metadata: {} }))
    await expect(gateway().describeImage('fargated/team-a/app', { tag: '2' })).rejects.toThrow('No such image: fargated/team-a/app:2')
    ecr.on(DescribeImagesCommand).rejects(new RepositoryNotFoundException({ message: 'x', $metadata: {} }))
    await expect(gateway().describeImage('fargated/team-a/nope', { digest: 'sha256:1' })).rejects.toBeInstanceOf(NotFoundError)
  })

  it('lists repositories by name prefix across pages, and no images for a missing repository', async () => {
    ecr.on(DescribeRepositoriesCommand)
      .resolvesOnce({ repositories: [{ repositoryName: 'fargated/team-a/app', repositoryUri: 'r/fargated/team-a/app' }, { repositoryName: 'other', repositoryUri: 'r/other' }], nextToken: 'n' })
      .resolvesOnce({ repositories: [{ repositoryName: 'fargated/team-a/db', repositoryUri: 'r/fargated/team-a/db' }] })
    expect((await gateway().listRepositories('fargated/team-a/')).map((r) => r.name)).toEqual(['fargated/team-a/app', 'fargated/team-a/db'])
    ecr.on(DescribeImagesCommand).rejects(new RepositoryNotFoundException({ message: 'x', $metadata: {} }))
    expect(await gateway().listImages('fargated/team-a/gone')).toEqual([])
  })
})

describe('readLogEvents', () => {
  const base = { group: '/fargated/runs', stream: 'team-a/main/abc' }

  it('follows forward tokens through an empty middle page and stops when the token comes back', async () => {
    logs.on(GetLogEventsCommand)
      .resolvesOnce({ events: [ev(1), ev(2)], nextForwardToken: 'f/1', nextBackwardToken: 'b/0' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/2', nextBackwardToken: 'b/1' })
      .resolvesOnce({ events: [ev(3)], nextForwardToken: 'f/3', nextBackwardToken: 'b/2' })
      .resolvesOnce({ events: [], nextForwardToken: 'f/3', nextBackwardToken: 'b/3' })
    const got = await pages({ ...base, startFromHead: true })
    expect(got.flatMap((p) => p.events.map((e) => e.message))).toEqual(['line 1', 'line 2', 'line 3'])
    const sent = logs.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input)
    expect(sent.map((i) => i.nextToken)).toEqual([undefined, 'f/1', 'f/2', 'f/3'])
    expect(sent.every((i) => i.startFromHead === true && i.logGroupName === '/fargated/runs' && i.logStreamName === 'team-a/main/abc')).toBe(true)
    expect(got.at(-1)?.nextForwardToken).toBe('f/3')
  })

  it('reads a single page when reading from the tail', async () => {
    logs.on(GetLogEventsCommand).resolves({ events: [ev(9), ev(10)], nextForwardToken: 'f/10' })
    const got = await pages({ ...base, startFromHead: false, limit: 2 })
    expect(got).toHaveLength(1)
    expect(logs.commandCalls(GetLogEventsCommand)[0].args[0].input).toMatchObject({ startFromHead: false, limit: 2 })
  })

  it('yields nothing for a stream that does not exist yet', async () => {
    logs.on(GetLogEventsCommand).rejects(new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} }))
    expect(await pages({ ...base, startFromHead: true })).toEqual([])
  })
})
