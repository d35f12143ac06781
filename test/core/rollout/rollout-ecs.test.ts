/**
 * Rollouts on the ECS backend (real EcsBackend and SdkAwsGateway, AWS faked at the SDK with
 * aws-sdk-client-mock): an ECR push event redeploys a tracking container on the pushed digest,
 * and a pushed image whose task stops is rolled back.
 */
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr'
import { DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ecrRepositoryNaming, imagePushedFromEcr } from '../../../shared/backends/ecs/ecr-image-pushed.js'
import { EcsBackend, SdkAwsGateway, lazyAwsClients } from '../../../shared/backends/ecs/index.js'
import { ContainerService } from '../../../shared/core/container-service.js'
import { systemClock } from '../../../shared/core/ports.js'
import { RolloutService } from '../../../shared/core/rollout/index.js'
import { startTestStore, type TestStore } from '../../support/dynalite.js'
import { config, REGISTRY } from '../../backends/ecs/support.js'

const ecs = mockClient(ECSClient)
const ecr = mockClient(ECRClient)
const d = (c: string) => `sha256:${c.repeat(64)}`
const TAGS: Record<string, string> = { '1.0.0': d('1'), '1.1.0': d('2'), '1.2.0': d('3') }
const CRASHING = d('3')

/** A tiny stateful ECS: tasks go PROVISIONING → RUNNING (or STOPPED with exit 2 for the crashing image) on each describe. */
function fakeAws() {
  const images = new Map<string, string>()
  const tasks = new Map<string, Task>()
  let n = 0
  ecr.on(DescribeImagesCommand).callsFake((input) => {
    const id = input.imageIds?.[0] ?? {}
    const digest = id.imageDigest ?? (id.imageTag ? TAGS[id.imageTag] : undefined)
    if (!digest) throw Object.assign(new Error('not found'), { name: 'ImageNotFoundException', $metadata: {} })
    return { imageDetails: [{ imageDigest: digest, imageTags: [] }] }
  })
  ecs.on(RegisterTaskDefinitionCommand).callsFake((input) => {
    const arn = `arn:aws:ecs:us-east-1:111122223333:task-definition/${input.family}:${++n}`
    images.set(arn, input.containerDefinitions[0].image)
    return { taskDefinition: { taskDefinitionArn: arn, family: input.family, revision: n } }
  })
  ecs.on(RunTaskCommand).callsFake((input) => {
    const taskArn = `arn:aws:ecs:us-east-1:111122223333:task/fargated/${(++n).toString(16).padStart(32, '0')}`
    const task: Task = { taskArn, lastStatus: 'PROVISIONING', desiredStatus: 'RUNNING', version: 1, taskDefinitionArn: input.taskDefinition, startedBy: input.startedBy, tags: input.tags, containers: [{ name: 'main' }] }
    tasks.set(taskArn, task)
    return { tasks: [task], failures: [] }
  })
  ecs.on(DescribeTasksCommand).callsFake((input) => ({
    tasks: (input.tasks as string[]).flatMap((arn) => {
      const t = tasks.get(arn)
      if (!t) return []
      if (t.lastStatus === 'PROVISIONING') {
        const crash = images.get(t.taskDefinitionArn!)!.includes(CRASHING)
        Object.assign(t, crash
          ? { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', version: 3, stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'main', exitCode: 2 }], startedAt: new Date(), stoppedAt: new Date() }
          : { lastStatus: 'RUNNING', version: 2, startedAt: new Date() })
      }
      return [t]
    }),
    failures: [],
  }))
  ecs.on(StopTaskCommand).callsFake((input) => {
    const t = tasks.get(input.task)
    if (t) Object.assign(t, { lastStatus: 'STOPPED', desiredStatus: 'STOPPED', version: (t.version ?? 0) + 1, stoppedReason: input.reason, stopCode: 'UserInitiated', stoppedAt: new Date() })
    return { task: t }
  })
  return { tasks, images }
}

const pushEvent = (tag: string) => ({
  version: '0', id: `e-${tag}`, 'detail-type': 'ECR Image Action', source: 'aws.ecr', account: '111122223333', time: '2026-03-02T09:58:00Z', region: 'us-east-1', resources: [],
  detail: { result: 'SUCCESS', 'repository-name': 'fargated/team-a/app', 'image-digest': TAGS[tag], 'action-type': 'PUSH', 'image-tag': tag },
})

describe('rollouts on the ECS backend', () => {
  let t: TestStore
  let containers: ContainerService
  let rollouts: RolloutService
  let aws: ReturnType<typeof fakeAws>

  beforeAll(async () => {
    aws = fakeAws()
    t = await startTestStore()
    const backend = new EcsBackend({ gateway: new SdkAwsGateway(lazyAwsClients({ region: 'us-east-1' })), store: t.store, config })
    const deps = { store: t.store, backend, clock: systemClock, pollIntervalMs: 1 }
    containers = new ContainerService(deps)
    rollouts = new RolloutService({ ...deps, naming: ecrRepositoryNaming(config), timeoutSeconds: 60, sleep: async () => undefined })
  })
  afterAll(async () => t.close())

  it('an ECR push redeploys on the pushed digest; a crashing image is rolled back', async () => {
    const c = await containers.run('team-a', { spec: { image: 'app:1.0.0', track: '^1' } })
    const oldRun = await t.store.getRun(c.id, 1)
    expect(oldRun!.image).toBe(`${REGISTRY}/fargated/team-a/app@${d('1')}`)

    const [ok] = await rollouts.imagePushed(imagePushedFromEcr(pushEvent('1.1.0'), config)!, { wait: true })
    expect(ok).toMatchObject({ outcome: 'succeeded', digest: d('2') })
    expect(await t.store.getContainer('team-a', c.id)).toMatchObject({ runNumber: 2, imageDigest: d('2'), spec: { image: 'app:1.1.0' }, state: { running: true } })
    const newRun = await t.store.getRun(c.id, 2)
    expect(newRun!.image).toBe(`${REGISTRY}/fargated/team-a/app@${d('2')}`)
    expect(aws.tasks.get(oldRun!.ref!)!.lastStatus).toBe('STOPPED')
    const stop = ecs.commandCalls(StopTaskCommand).map((call) => call.args[0].input)
    expect(stop).toEqual([expect.objectContaining({ task: oldRun!.ref, reason: expect.stringContaining('redeployed') })])
    const runTokens = ecs.commandCalls(RunTaskCommand).map((call) => call.args[0].input.clientToken)
    expect(new Set(runTokens).size).toBe(2)

    const [bad] = await rollouts.imagePushed(imagePushedFromEcr(pushEvent('1.2.0'), config)!, { wait: true })
    expect(bad).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/new run stopped with exit code 2/) })
    expect(await t.store.getContainer('team-a', c.id)).toMatchObject({ runNumber: 2, imageDigest: d('2'), spec: { image: 'app:1.1.0' }, state: { running: true } })
    expect(aws.tasks.get(newRun!.ref!)!.lastStatus).toBe('RUNNING')

    // A repeated ECR event is the same push: nothing happens.
    expect(await rollouts.imagePushed(imagePushedFromEcr(pushEvent('1.2.0'), config)!, { wait: true })).toEqual([])
    expect(ecs.commandCalls(RunTaskCommand)).toHaveLength(3)
  })
})
