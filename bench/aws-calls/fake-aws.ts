/**
 * AWS for the aws-calls bench, faked at the SDK boundary (aws-sdk-client-mock) and counting
 * every command by name: a coherent ECS (RunTask creates a task, DescribeTasks reports it,
 * StopTask stops it), ECR that knows every tag, CloudWatch Logs holding 10 lines per task.
 * Every call is counted by command name, mocked or not. No latency: the bench counts calls.
 */
import { CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs'
import {
  DescribeTasksCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  type DescribeTasksCommandInput,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type StopTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs'
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr'
import { mockClient } from 'aws-sdk-client-mock'

export const DIGEST = 'sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6'
const ACCOUNT = '111122223333'
export const LOG_LINES = 10

export class FakeAws {
  private readonly tasks = new Map<string, Task>()
  private readonly ecs = mockClient(ECSClient)
  private readonly ecr = mockClient(ECRClient)
  private readonly logs = mockClient(CloudWatchLogsClient)
  private revision = 0

  constructor() {
    const { ecs, ecr, logs } = this
    ecs.on(RegisterTaskDefinitionCommand).callsFake((input: RegisterTaskDefinitionCommandInput) => {
      const revision = ++this.revision
      return { taskDefinition: { taskDefinitionArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${input.family}:${revision}`, family: input.family, revision } }
    })
    ecs.on(RunTaskCommand).callsFake((input: RunTaskCommandInput) => {
      const taskArn = `arn:aws:ecs:us-east-1:${ACCOUNT}:task/fargated/${(this.tasks.size + 1).toString(16).padStart(32, '0')}`
      const task: Task = {
        taskArn,
        taskDefinitionArn: input.taskDefinition,
        group: input.group,
        startedBy: input.startedBy,
        tags: input.tags,
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        version: 1,
        createdAt: new Date(),
        overrides: input.overrides,
        containers: [{ name: 'main', lastStatus: 'PENDING' }],
      }
      this.tasks.set(taskArn, task)
      return { tasks: [task], failures: [] }
    })
    ecs.on(DescribeTasksCommand).callsFake((input: DescribeTasksCommandInput) => {
      const found = (input.tasks ?? []).flatMap((arn) => this.tasks.get(arn) ?? [])
      return { tasks: found, failures: [] }
    })
    ecs.on(StopTaskCommand).callsFake((input: StopTaskCommandInput) => {
      const task = this.tasks.get(input.task ?? '')
      if (task) this.stop(task, input.reason ?? 'Task stopped by user')
      return { task }
    })
    ecr.on(DescribeImagesCommand).callsFake(() => {
      return { imageDetails: [{ imageDigest: DIGEST, imageTags: ['1'] }] }
    })
    logs.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
      if (input.nextToken === `f/${LOG_LINES}`) return { events: [], nextForwardToken: `f/${LOG_LINES}` }
      return { events: Array.from({ length: LOG_LINES }, (_, i) => ({ timestamp: Date.now() + i, message: `line ${i + 1}` })), nextForwardToken: `f/${LOG_LINES}` }
    })
  }

  private stop(task: Task, reason: string): void {
    Object.assign(task, {
      version: (task.version ?? 0) + 1,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stoppedReason: reason,
      stopCode: 'UserInitiated',
      stoppedAt: new Date(),
      containers: [{ name: 'main', lastStatus: 'STOPPED', exitCode: 0 }],
    })
  }

  /** Every task RunTask created is RUNNING now (as the events function would have recorded). */
  runAll(): void {
    for (const task of this.tasks.values()) {
      if (task.lastStatus === 'STOPPED') continue
      Object.assign(task, { version: (task.version ?? 0) + 1, lastStatus: 'RUNNING', startedAt: new Date(), containers: [{ name: 'main', lastStatus: 'RUNNING' }] })
    }
  }

  /** Calls per command name (e.g. `RunTask`) since the last reset, whatever the command (mocked or not). */
  calls(): Map<string, number> {
    const counts = new Map<string, number>()
    for (const mock of [this.ecs, this.ecr, this.logs]) {
      for (const call of mock.calls()) {
        const name = (call.args[0] as object).constructor.name.replace(/Command$/, '')
        counts.set(name, (counts.get(name) ?? 0) + 1)
      }
    }
    return counts
  }

  reset(): void {
    this.ecs.resetHistory()
    this.ecr.resetHistory()
    this.logs.resetHistory()
  }

  restore(): void {
    this.ecs.restore()
    this.ecr.restore()
    this.logs.restore()
  }
}
