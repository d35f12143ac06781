/**
 * A stateful fake of ECS, ECR and CloudWatch Logs at the SDK boundary: real SDK clients whose
 * `send` is replaced by aws-sdk-client-mock with handlers over a small simulated AWS
 * (test/support/ecs-sim/). Use it with the REAL EcsBackend + SdkAwsGateway:
 *
 * ```ts
 * const sim = new EcsSimulator()
 * sim.seedImage('fargated/team-a/app', '1')
 * const gateway = new SdkAwsGateway(sim.clientSource())
 * const backend = new EcsBackend({ gateway, store, config: sim.backendConfig() })
 * ...
 * sim.tick()                        // tasks move one lifecycle step and run their scripts
 * for (const e of sim.drainEvents()) await service.observe(parseTaskStateChange(e, opts)!)
 * sim.restore()
 * ```
 *
 * Tasks run `sh -c "<script>"` with the interpreter in ecs-sim/script.ts. Time is the given
 * clock's (default: real time): `sleep N` ends when the clock has moved N seconds and a tick
 * runs; `sleep 300` keeps a task RUNNING until StopTask (exit code 143, stopCode UserInitiated).
 */
import { randomUUID } from 'node:crypto'
import { mockClient, type AwsStub } from 'aws-sdk-client-mock'
import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs'
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr'
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { fixedAwsClients, type AwsClientSource } from '../../shared/backends/ecs/aws-clients.js'
import type { EcsBackendConfig } from '../../shared/backends/ecs/ecs-config.js'
import { systemClock, type Clock } from '../../shared/core/ports.js'
import { CallLog, type Injection, type SimulatedCommand, type SimulatedService } from './ecs-sim/calls.js'
import { EcrState } from './ecs-sim/ecr-state.js'
import { EcsState } from './ecs-sim/ecs-state.js'
import { LogsState } from './ecs-sim/logs-state.js'
import { toStateChangeEvent, type SimTask } from './ecs-sim/sim-task.js'

export type { SimTask } from './ecs-sim/sim-task.js'
export { throttlingException, type SimulatedCommand } from './ecs-sim/calls.js'

/** An EventBridge "ECS Task State Change" event as the simulator emits it. */
export type TaskStateChangeEvent = Record<string, unknown> & { detail: Record<string, unknown> }

export interface EcsSimulatorOptions {
  account?: string
  region?: string
  cluster?: string
  clock?: Clock
  /** GetLogEvents page size (default 10,000; smaller exercises paging). */
  logPageSize?: number
}

export class EcsSimulator {
  readonly account: string
  readonly region: string
  readonly cluster: string
  readonly registry: string
  readonly clients: { ecs: ECSClient; ecr: ECRClient; logs: CloudWatchLogsClient }
  readonly ecsState: EcsState
  readonly ecrState: EcrState
  readonly logsState: LogsState
  private readonly clock: Clock
  private readonly stubs: Pick<AwsStub<object, never, unknown>, 'restore'>[] = []
  private readonly calls = new CallLog()
  private readonly queue: TaskStateChangeEvent[] = []
  private readonly listeners = new Set<(event: TaskStateChangeEvent) => void>()

  constructor(options: EcsSimulatorOptions = {}) {
    this.account = options.account ?? '111122223333'
    this.region = options.region ?? 'us-east-1'
    this.cluster = options.cluster ?? 'fargated'
    this.registry = `${this.account}.dkr.ecr.${this.region}.amazonaws.com`
    this.clock = options.clock ?? systemClock
    this.logsState = new LogsState(options.logPageSize)
    this.ecrState = new EcrState(this.registry, this.account, this.region)
    this.ecsState = new EcsState({
      account: this.account,
      region: this.region,
      cluster: this.cluster,
      clock: this.clock,
      write: (target, message, time) => this.logsState.append(target, message, time),
      changed: (task) => this.emit(task),
    })
    const config = { region: this.region, credentials: { accessKeyId: 'sim', secretAccessKey: 'sim' } }
    this.clients = { ecs: new ECSClient(config), ecr: new ECRClient(config), logs: new CloudWatchLogsClient(config) }
    this.mock()
  }

  private mock(): void {
    const ecs = mockClient(this.clients.ecs)
    const ecr = mockClient(this.clients.ecr)
    const logs = mockClient(this.clients.logs)
    const unsimulated = (input: unknown) => {
      throw new Error(`ecs-simulator: command not simulated (input ${JSON.stringify(input)})`)
    }
    ecs.onAnyCommand().callsFake(unsimulated)
    ecr.onAnyCommand().callsFake(unsimulated)
    logs.onAnyCommand().callsFake(unsimulated)
    const s = this.ecsState
    ecs.on(RegisterTaskDefinitionCommand).callsFake((i) => this.calls.handle('RegisterTaskDefinition', () => s.registerTaskDefinition(i)))
    ecs.on(DeregisterTaskDefinitionCommand).callsFake((i) => this.calls.handle('DeregisterTaskDefinition', () => s.deregisterTaskDefinition(i)))
    ecs.on(DeleteTaskDefinitionsCommand).callsFake((i) => this.calls.handle('DeleteTaskDefinitions', () => s.deleteTaskDefinitions(i)))
    ecs.on(RunTaskCommand).callsFake((i) => this.calls.handle('RunTask', () => s.runTask(i)))
    ecs.on(StopTaskCommand).callsFake((i) => this.calls.handle('StopTask', () => s.stopTask(i)))
    ecs.on(DescribeTasksCommand).callsFake((i) => this.calls.handle('DescribeTasks', () => s.describeTasks(i)))
    ecs.on(ListTasksCommand).callsFake((i) => this.calls.handle('ListTasks', () => s.listTasks(i)))
    ecr.on(DescribeImagesCommand).callsFake((i) => this.calls.handle('DescribeImages', () => this.ecrState.describeImages(i)))
    ecr.on(DescribeRepositoriesCommand).callsFake((i) => this.calls.handle('DescribeRepositories', () => this.ecrState.describeRepositories(i)))
    logs.on(GetLogEventsCommand).callsFake((i) => this.calls.handle('GetLogEvents', () => this.logsState.getLogEvents(i)))
    this.stubs.push(ecs, ecr, logs)
  }

  /** AwsClientSource for SdkAwsGateway (fixedAwsClients over the mocked clients). */
  clientSource(): AwsClientSource {
    return fixedAwsClients(this.clients)
  }

  /** An EcsBackendConfig that matches this simulated account (override fields as needed). */
  backendConfig(overrides: Partial<EcsBackendConfig> = {}): EcsBackendConfig {
    return {
      cluster: this.cluster,
      region: this.region,
      subnets: ['subnet-sim-a', 'subnet-sim-b'],
      securityGroups: ['sg-sim'],
      assignPublicIp: false,
      executionRoleArn: `arn:aws:iam::${this.account}:role/fargated-exec`,
      taskRoleArn: `arn:aws:iam::${this.account}:role/fargated-task`,
      logGroup: '/fargated/runs',
      repositoryPrefix: 'fargated',
      taskFamilyPrefix: 'fargated',
      registry: this.registry,
      logPollIntervalMs: 10,
      ...overrides,
    }
  }

  /** Seeds an ECR image (`repositoryName:tag` → digest); returns the digest. */
  seedImage(repositoryName: string, tag: string, digest?: string): string {
    return this.ecrState.seed(repositoryName, tag, digest)
  }

  /**
   * The next call of `command` fails with `error`; with afterEffect the call takes effect first
   * (e.g. RunTask starts the task, then the response is lost). `beforeFailing` delays the
   * failure (as the SDK's retries would) until it resolves; it gets the call's output.
   */
  failNext(command: SimulatedCommand, error: unknown, options: Partial<Omit<Injection, 'error'>> = {}): void {
    this.calls.inject(command, { error, afterEffect: options.afterEffect ?? false, beforeFailing: options.beforeFailing })
  }

  /** Calls per command since the last reset. */
  callCounts(): Partial<Record<SimulatedCommand, number>> {
    return this.calls.snapshot()
  }

  callCount(command: SimulatedCommand): number {
    return this.calls.count(command)
  }

  /** Calls to one service (ecs, ecr, logs), or to all. */
  totalCalls(service?: SimulatedService): number {
    return this.calls.total(service)
  }

  resetCalls(): void {
    this.calls.reset()
  }

  /** Every task ECS knows, optionally only those started by `startedBy` (a fargated container id). */
  tasks(startedBy?: string): SimTask[] {
    return [...this.ecsState.tasks.values()].filter((t) => startedBy === undefined || t.startedBy === startedBy)
  }

  /** The lines a task has written to its awslogs stream. */
  logMessages(taskArn: string): string[] {
    const task = this.ecsState.tasks.get(taskArn)
    return task?.log ? this.logsState.messages(task.log.group, task.log.stream) : []
  }

  /** Moves every task one lifecycle step (running scripts); returns how many tasks changed. */
  tick(): number {
    return this.ecsState.tick()
  }

  /** Forgets stopped tasks, as ECS does after about an hour (DescribeTasks then says MISSING). */
  expireStoppedTasks(): number {
    let n = 0
    for (const [arn, task] of this.ecsState.tasks) if (task.lastStatus === 'STOPPED' && this.ecsState.tasks.delete(arn)) n++
    return n
  }

  /** Calls `listener` with every state-change event from now on; returns the unsubscribe function. */
  onEvent(listener: (event: TaskStateChangeEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The state-change events emitted since the last drain, oldest first. */
  drainEvents(): TaskStateChangeEvent[] {
    return this.queue.splice(0)
  }

  get pendingEvents(): number {
    return this.queue.length
  }

  private emit(task: SimTask): void {
    const event = toStateChangeEvent(task, { account: this.account, region: this.region, time: this.clock.now(), id: randomUUID() }) as TaskStateChangeEvent
    this.queue.push(event)
    for (const listener of this.listeners) listener(event)
  }

  /** Puts the clients' real `send` back. */
  restore(): void {
    for (const stub of this.stubs.splice(0)) stub.restore()
  }
}
