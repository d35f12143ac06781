import { describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../../shared/core/errors.js'
import { toContainerState } from '../../../shared/core/state.js'
import { parseTaskStateChange } from '../../../shared/backends/ecs/task-state-event.js'
import { parseEcrImagePush } from '../../../shared/backends/ecs/ecr-image-event.js'
import { CONTAINER_ID, TASK_ARN, fixture } from './support.js'

const ADDRESS = '10.0.0.139'
const parse = (name: string) => parseTaskStateChange(fixture(name), { taskFamilyPrefix: 'fargated' })

describe('parseTaskStateChange', () => {
  it('RUNNING: identifies the container from startedBy and the namespace from the family', () => {
    expect(parse('task-state-running.json')).toEqual({
      ref: TASK_ARN,
      containerId: CONTAINER_ID,
      namespace: 'team-a',
      lastStatus: 'RUNNING',
      version: 3,
      oomKilled: false,
      startedAt: '2026-03-02T10:00:02.500Z',
      address: ADDRESS,
    })
  })

  it('STOPPED with an exit code', () => {
    const obs = parse('task-state-stopped-exit.json')!
    expect(obs).toMatchObject({
      lastStatus: 'STOPPED',
      version: 6,
      exitCode: 3,
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      oomKilled: false,
      stoppingAt: '2026-03-02T10:05:00.000Z',
      stoppedAt: '2026-03-02T10:05:20.000Z',
    })
    expect(toContainerState(obs, undefined)).toMatchObject({ status: 'exited', exitCode: 3, stopCause: 'exited' })
  })

  it('OOM: the main container reason marks oomKilled', () => {
    const obs = parse('task-state-oom.json')!
    expect(obs).toMatchObject({ exitCode: 137, oomKilled: true, reason: 'OutOfMemoryError: Container killed due to memory usage' })
    expect(toContainerState(obs, undefined).stopCause).toBe('oom')
  })

  it('spot interruption and the termination notice that precedes it', () => {
    const stopped = parse('task-state-spot-interruption.json')!
    expect(stopped).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.', version: 7 })
    expect(toContainerState(stopped, undefined).stopCause).toBe('spot')
    expect(parse('task-state-spot-termination-notice.json')).toMatchObject({ lastStatus: 'DEACTIVATING', stopCode: 'TerminationNotice', version: 5 })
  })

  it('failed to start: no startedAt, no exit code, the pull error as reason', () => {
    const obs = parse('task-state-failed-to-start.json')!
    expect(obs.startedAt).toBeUndefined()
    expect(obs.exitCode).toBeUndefined()
    expect(obs).toMatchObject({ stopCode: 'TaskFailedToStart', reason: expect.stringMatching(/^CannotPullContainerError/) })
    expect(toContainerState(obs, undefined)).toMatchObject({ status: 'dead', stopCause: 'failed-to-start' })
  })

  it('ignores tasks fargated did not start and other event types', () => {
    expect(parse('task-state-aws-sample.json')).toBeUndefined()
    expect(parse('ecr-image-push.json')).toBeUndefined()
    expect(parseTaskStateChange({ source: 'aws.ecs', 'detail-type': 'ECS Service Action', detail: {} }, { taskFamilyPrefix: 'fargated' })).toBeUndefined()
    expect(parseTaskStateChange('nonsense', { taskFamilyPrefix: 'fargated' })).toBeUndefined()
    const foreign = structuredClone(fixture('task-state-running.json')) as { detail: { startedBy: string } }
    foreign.detail.startedBy = 'ecs-svc/1234567890'
    expect(parseTaskStateChange(foreign, { taskFamilyPrefix: 'fargated' })).toBeUndefined()
  })

  it('rejects a task state change without the fields it must carry', () => {
    const broken = structuredClone(fixture('task-state-running.json')) as { detail: Record<string, unknown> }
    delete broken.detail.version
    expect(() => parseTaskStateChange(broken, { taskFamilyPrefix: 'fargated' })).toThrow(InvalidRequestError)
    expect(() => parseTaskStateChange(broken, { taskFamilyPrefix: 'fargated' })).toThrow(/version/)
  })

  it('accepts tags on the detail when present', () => {
    const tagged = structuredClone(fixture('task-state-aws-sample.json')) as { detail: Record<string, unknown> }
    tagged.detail.tags = [
      { key: 'fargated:container', value: CONTAINER_ID },
      { key: 'fargated:namespace', value: 'team-z' },
      { key: 'fargated:run', value: '12' },
    ]
    expect(parseTaskStateChange(tagged, { taskFamilyPrefix: 'fargated' })).toMatchObject({ containerId: CONTAINER_ID, namespace: 'team-z', runNumber: 12, version: 4 })
  })
})

describe('parseEcrImagePush', () => {
  it('parses a successful push, with the namespace of a fargated repository', () => {
    expect(parseEcrImagePush(fixture('ecr-image-push.json'), { repositoryPrefix: 'fargated' })).toEqual({
      repository: 'fargated/team-a/app',
      tag: '1.2',
      digest: 'sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6',
      namespace: 'team-a',
      name: 'app',
    })
    expect(parseEcrImagePush(fixture('ecr-image-push-aws-sample.json'), { repositoryPrefix: 'fargated' })).toEqual({
      repository: 'my-repository-name',
      tag: 'latest',
      digest: 'sha256:7f5b2640fe6fb4f46592dfd3410c4a79dac4f89e4782432e0378abcd1234',
    })
  })

  it('ignores deletes, failures and other events', () => {
    expect(parseEcrImagePush(fixture('ecr-image-delete.json'))).toBeUndefined()
    expect(parseEcrImagePush(fixture('ecr-image-push-failure.json'))).toBeUndefined()
    expect(parseEcrImagePush(fixture('task-state-running.json'))).toBeUndefined()
  })

  it('rejects an image action without a digest', () => {
    const broken = structuredClone(fixture('ecr-image-push.json')) as { detail: Record<string, unknown> }
    delete broken.detail['image-digest']
    expect(() => parseEcrImagePush(broken)).toThrow(InvalidRequestError)
  })
})

describe('task health', () => {
  const withHealth = (task: string, health: string, container?: string) => {
    const event = fixture(task) as { detail: Record<string, unknown> & { containers?: Record<string, unknown>[] } }
    event.detail.healthStatus = health
    if (container && event.detail.containers) event.detail.containers = event.detail.containers.map((c) => ({ ...c, healthStatus: container }))
    return parseTaskStateChange(event, { taskFamilyPrefix: 'fargated' })
  }
  it('maps HEALTHY, UNHEALTHY and UNKNOWN (no verdict yet) while RUNNING, the main container first', () => {
    expect(withHealth('task-state-running.json', 'HEALTHY')?.health).toBe('healthy')
    expect(withHealth('task-state-running.json', 'UNHEALTHY')?.health).toBe('unhealthy')
    expect(withHealth('task-state-running.json', 'UNKNOWN')?.health).toBe('starting')
    expect(withHealth('task-state-running.json', 'HEALTHY', 'UNHEALTHY')?.health).toBe('unhealthy')
  })
  it('says nothing of health once the task stops', () => {
    expect(withHealth('task-state-stopped-exit.json', 'UNHEALTHY')?.health).toBeUndefined()
  })
})

describe('task address', () => {
  it('comes from the ENI attachment, else the main container interface', () => {
    const event = fixture('task-state-running.json') as { detail: Record<string, unknown> }
    expect(parseTaskStateChange(event, { taskFamilyPrefix: 'fargated' })?.address).toBe(ADDRESS)
    delete event.detail.attachments
    expect(parseTaskStateChange(event, { taskFamilyPrefix: 'fargated' })?.address).toBe(ADDRESS)
    delete event.detail.containers
    expect(parseTaskStateChange(event, { taskFamilyPrefix: 'fargated' })?.address).toBeUndefined()
  })
})
