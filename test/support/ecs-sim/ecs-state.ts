/**
 * The simulated ECS control plane: task definitions, tasks, RunTask tokens. Every method takes
 * the SDK command input and returns the SDK output (or throws the SDK's exception), so the
 * simulator can sit behind aws-sdk-client-mock unchanged.
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  ClientException,
  ClusterNotFoundException,
  ConflictException,
  InvalidParameterException,
  type DeleteTaskDefinitionsCommandInput,
  type DeleteTaskDefinitionsCommandOutput,
  type DeregisterTaskDefinitionCommandInput,
  type DeregisterTaskDefinitionCommandOutput,
  type DescribeTasksCommandInput,
  type DescribeTasksCommandOutput,
  type ListTasksCommandInput,
  type ListTasksCommandOutput,
  type RegisterTaskDefinitionCommandInput,
  type RegisterTaskDefinitionCommandOutput,
  type RunTaskCommandInput,
  type RunTaskCommandOutput,
  type StopTaskCommandInput,
  type StopTaskCommandOutput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs'
import type { Clock } from '../../../shared/core/ports.js'
import { parseCommand } from './script.js'
import { advanceTask, requestStop, toSdkTask, type LogWriter, type SimTask } from './sim-task.js'
import { checkRunTask, checkTaskDefinition } from './validation.js'

const meta = { $metadata: {} }
type Out<T> = Omit<T, '$metadata'>

export interface EcsStateOptions {
  account: string
  region: string
  cluster: string
  clock: Clock
  write: LogWriter
  /** Called with every task whose state changed (RunTask, StopTask, ticks). */
  changed: (task: SimTask) => void
}

interface StoredDefinition {
  def: TaskDefinition
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS'
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

export class EcsState {
  readonly definitions = new Map<string, StoredDefinition>()
  readonly tasks = new Map<string, SimTask>()
  private readonly revisions = new Map<string, number>()
  private readonly tokens = new Map<string, { hash: string; arns: string[] }>()

  constructor(private readonly o: EcsStateOptions) {}

  get clusterArn(): string {
    return `arn:aws:ecs:${this.o.region}:${this.o.account}:cluster/${this.o.cluster}`
  }

  private checkCluster(cluster: string | undefined): void {
    const name = cluster?.includes(':cluster/') ? cluster.slice(cluster.indexOf(':cluster/') + 9) : (cluster ?? 'default')
    if (name !== this.o.cluster) throw new ClusterNotFoundException({ message: 'Cluster not found.', ...meta })
  }

  /** `family`, `family:rev` or the full ARN → the stored definition. */
  private findDefinition(ref: string): StoredDefinition | undefined {
    const tail = ref.includes(':task-definition/') ? ref.slice(ref.indexOf(':task-definition/') + 17) : ref
    const [family, rev] = tail.split(':')
    const revision = rev === undefined ? this.latestActive(family) : Number(rev)
    return revision ? this.definitions.get(`${family}:${revision}`) : undefined
  }

  private latestActive(family: string): number | undefined {
    for (let r = this.revisions.get(family) ?? 0; r > 0; r--) if (this.definitions.get(`${family}:${r}`)?.status === 'ACTIVE') return r
    return undefined
  }

  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Out<RegisterTaskDefinitionCommandOutput> {
    checkTaskDefinition(input)
    const family = input.family!
    const revision = (this.revisions.get(family) ?? 0) + 1
    this.revisions.set(family, revision)
    const arn = `arn:aws:ecs:${this.o.region}:${this.o.account}:task-definition/${family}:${revision}`
    const { tags: _tags, ...rest } = input
    const def: TaskDefinition = { ...structuredClone(rest), taskDefinitionArn: arn, revision, status: 'ACTIVE' }
    this.definitions.set(`${family}:${revision}`, { def, status: 'ACTIVE' })
    return { taskDefinition: def, tags: input.tags }
  }

  deregisterTaskDefinition(input: DeregisterTaskDefinitionCommandInput): Out<DeregisterTaskDefinitionCommandOutput> {
    const found = input.taskDefinition && /:\d+$/.test(input.taskDefinition) ? this.findDefinition(input.taskDefinition) : undefined
    if (!found || found.status === 'DELETE_IN_PROGRESS') throw new ClientException({ message: 'Unable to describe task definition.', ...meta })
    if (found.status === 'INACTIVE') throw new ClientException({ message: 'The specified task definition is inactive.', ...meta })
    found.status = 'INACTIVE'
    found.def.status = 'INACTIVE'
    return { taskDefinition: found.def }
  }

  deleteTaskDefinitions(input: DeleteTaskDefinitionsCommandInput): Out<DeleteTaskDefinitionsCommandOutput> {
    const arns = input.taskDefinitions ?? []
    if (arns.length === 0 || arns.length > 10) throw new InvalidParameterException({ message: 'taskDefinitions must hold 1-10 revisions.', ...meta })
    const out: Out<DeleteTaskDefinitionsCommandOutput> = { taskDefinitions: [], failures: [] }
    for (const arn of arns) {
      const found = this.findDefinition(arn)
      if (!found || found.status !== 'INACTIVE') {
        out.failures!.push({ arn, reason: found ? 'The specified task definition is not in an INACTIVE state.' : 'The specified task definition does not exist.' })
        continue
      }
      found.status = 'DELETE_IN_PROGRESS'
      found.def.status = 'DELETE_IN_PROGRESS'
      out.taskDefinitions!.push(found.def)
    }
    return out
  }

  runTask(input: RunTaskCommandInput): Out<RunTaskCommandOutput> {
    this.checkCluster(input.cluster)
    checkRunTask(input)
    const { clientToken, ...params } = input
    const hash = createHash('sha256').update(canonical(params)).digest('hex')
    const previous = clientToken ? this.tokens.get(clientToken) : undefined
    if (previous) {
      if (previous.hash !== hash) {
        throw new ConflictException({ message: 'The request uses the same client token as a previous, but non-identical request.', resourceIds: previous.arns, ...meta })
      }
      return { tasks: previous.arns.map((a) => toSdkTask(this.tasks.get(a)!, false)), failures: [] }
    }
    const found = input.taskDefinition ? this.findDefinition(input.taskDefinition) : undefined
    if (!found) throw new ClientException({ message: 'TaskDefinition not found.', ...meta })
    if (found.status !== 'ACTIVE') throw new ClientException({ message: 'TaskDefinition is inactive', ...meta })
    const count = input.count ?? 1
    const tasks = Array.from({ length: count }, () => this.createTask(input, found.def))
    if (clientToken) this.tokens.set(clientToken, { hash, arns: tasks.map((t) => t.arn) })
    return { tasks: tasks.map((t) => toSdkTask(t, false)), failures: [] }
  }

  private createTask(input: RunTaskCommandInput, def: TaskDefinition): SimTask {
    const id = randomBytes(16).toString('hex')
    const main = def.containerDefinitions![0]
    const override = input.overrides?.containerOverrides?.find((o) => o.name === main.name)
    const command = [...(main.entryPoint ?? []), ...(override?.command ?? main.command ?? [])]
    const logOptions = main.logConfiguration?.logDriver === 'awslogs' ? main.logConfiguration.options : undefined
    const spot = input.capacityProviderStrategy?.some((s) => s.capacityProvider === 'FARGATE_SPOT')
    const task: SimTask = {
      arn: `arn:aws:ecs:${this.o.region}:${this.o.account}:task/${this.o.cluster}/${id}`,
      id,
      clusterArn: this.clusterArn,
      taskDefinitionArn: def.taskDefinitionArn!,
      family: def.family!,
      startedBy: input.startedBy,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      version: 1,
      createdAt: this.o.clock.now(),
      cpu: input.overrides?.cpu ?? def.cpu ?? '256',
      memory: input.overrides?.memory ?? def.memory ?? '512',
      ...(spot ? { capacityProviderName: 'FARGATE_SPOT' } : { launchType: 'FARGATE' as const }),
      overrides: input.overrides ?? { containerOverrides: [] },
      tags: (input.tags ?? []).map((t) => ({ ...t })),
      container: { name: main.name!, image: main.image!, lastStatus: 'PENDING' },
      log: logOptions
        ? { group: logOptions['awslogs-group'], stream: `${logOptions['awslogs-stream-prefix']}/${main.name}/${id}` }
        : undefined,
      steps: parseCommand(command),
      pc: 0,
      status: 0,
    }
    this.tasks.set(task.arn, task)
    this.o.changed(task)
    return task
  }

  private findTask(ref: string | undefined): SimTask | undefined {
    if (!ref) return undefined
    return this.tasks.get(ref) ?? [...this.tasks.values()].find((t) => t.id === ref)
  }

  stopTask(input: StopTaskCommandInput): Out<StopTaskCommandOutput> {
    this.checkCluster(input.cluster)
    const task = this.findTask(input.task)
    if (!task) throw new ClientException({ message: 'The referenced task was not found.', ...meta })
    if (requestStop(task, input.reason)) this.o.changed(task)
    return { task: toSdkTask(task, false) }
  }

  describeTasks(input: DescribeTasksCommandInput): Out<DescribeTasksCommandOutput> {
    this.checkCluster(input.cluster)
    const refs = input.tasks ?? []
    if (refs.length > 100) throw new InvalidParameterException({ message: 'Tasks cannot be longer than 100.', ...meta })
    const withTags = input.include?.includes('TAGS') ?? false
    const out: Out<DescribeTasksCommandOutput> = { tasks: [], failures: [] }
    for (const ref of refs) {
      const task = this.findTask(ref)
      if (task) out.tasks!.push(toSdkTask(task, withTags))
      else out.failures!.push({ arn: ref, reason: 'MISSING' })
    }
    return out
  }

  listTasks(input: ListTasksCommandInput): Out<ListTasksCommandOutput> {
    this.checkCluster(input.cluster)
    if (input.startedBy && input.family) throw new InvalidParameterException({ message: 'startedBy must be the only filter.', ...meta })
    const desired = input.desiredStatus ?? 'RUNNING'
    const all = [...this.tasks.values()]
      .filter((t) => t.desiredStatus === desired)
      .filter((t) => !input.startedBy || t.startedBy === input.startedBy)
      .filter((t) => !input.family || t.family === input.family)
      .map((t) => t.arn)
    const start = input.nextToken ? Number(input.nextToken) : 0
    const size = Math.min(input.maxResults ?? 100, 100)
    const page = all.slice(start, start + size)
    return { taskArns: page, ...(start + size < all.length ? { nextToken: String(start + size) } : {}) }
  }

  /** Moves every task one step (see sim-task.ts); returns how many changed. */
  tick(): number {
    const now = this.o.clock.now()
    let changed = 0
    for (const task of this.tasks.values()) {
      if (advanceTask(task, now, this.o.write)) {
        changed++
        this.o.changed(task)
      }
    }
    return changed
  }
}
