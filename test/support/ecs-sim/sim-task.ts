/**
 * One simulated Fargate task and its lifecycle. Each `advanceTask` makes at most one
 * transition (PROVISIONING → PENDING → RUNNING → STOPPING → DEPROVISIONING → STOPPED), and every
 * transition bumps `version`, as ECS does. While RUNNING the task runs its script (script.ts).
 */
import type { Tag, Task } from '@aws-sdk/client-ecs'
import type { Step } from './script.js'

export type SimStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED'

/** Where a task's container writes its lines (the awslogs group and stream). */
export interface LogTarget {
  group: string
  stream: string
}

export type LogWriter = (target: LogTarget, message: string, timeMs: number) => void

export interface SimTask {
  arn: string
  id: string
  clusterArn: string
  taskDefinitionArn: string
  family: string
  startedBy?: string
  lastStatus: SimStatus
  desiredStatus: 'RUNNING' | 'STOPPED'
  version: number
  createdAt: Date
  startedAt?: Date
  stoppingAt?: Date
  stoppedAt?: Date
  stopCode?: string
  stoppedReason?: string
  cpu: string
  memory: string
  launchType?: 'FARGATE'
  capacityProviderName?: string
  overrides?: Task['overrides']
  tags: Tag[]
  container: { name: string; image: string; lastStatus: SimStatus; exitCode?: number; reason?: string }
  log?: LogTarget
  /** The script and where it is. */
  steps: Step[]
  pc: number
  wakeAt?: number
  status: number
  /** The script ended with this code; applied as STOPPING on the next tick. */
  exited?: number
}

function runScript(task: SimTask, now: number, write: LogWriter): void {
  const log = (message: string) => task.log && write(task.log, message, now)
  while (task.exited === undefined) {
    if (task.wakeAt !== undefined) {
      if (now < task.wakeAt) return
      task.wakeAt = undefined
      task.pc++
      continue
    }
    const step = task.steps[task.pc]
    if (!step) {
      task.exited = task.status
      return
    }
    switch (step.kind) {
      case 'echo':
        log(step.text)
        task.status = 0
        break
      case 'sleep':
        task.wakeAt = now + step.seconds * 1000
        continue
      case 'exit':
        task.exited = step.code
        return
      case 'status':
        task.status = step.code
        break
      case 'unknown':
        log(`sh: ${step.word}: not found`)
        task.status = 127
        break
    }
    task.pc++
  }
}

/** The essential container stopped: the task goes STOPPING with ECS's stop fields. */
function beginStopping(task: SimTask, now: Date): void {
  task.lastStatus = 'STOPPING'
  task.desiredStatus = 'STOPPED'
  task.stoppingAt = now
  task.container.lastStatus = 'STOPPED'
  if (task.exited !== undefined) {
    task.container.exitCode = task.exited
    task.stopCode ??= 'EssentialContainerExited'
    task.stoppedReason ??= 'Essential container in task exited'
  } else if (task.startedAt) {
    // StopTask on a running container: SIGTERM, which the simulated process honours at once.
    task.container.exitCode = 143
  }
}

/** Moves a task one step through its lifecycle; true when it changed (version bumped). */
export function advanceTask(task: SimTask, now: Date, write: LogWriter): boolean {
  const ms = now.getTime()
  let changed = true
  switch (task.lastStatus) {
    case 'STOPPED':
      return false
    case 'PROVISIONING':
      if (task.desiredStatus === 'STOPPED') beginStopping(task, now)
      else task.lastStatus = 'PENDING'
      break
    case 'PENDING':
      if (task.desiredStatus === 'STOPPED') beginStopping(task, now)
      else {
        task.lastStatus = 'RUNNING'
        task.container.lastStatus = 'RUNNING'
        task.startedAt = now
        runScript(task, ms, write)
      }
      break
    case 'RUNNING':
      if (task.desiredStatus === 'RUNNING') runScript(task, ms, write)
      changed = task.desiredStatus === 'STOPPED' || task.exited !== undefined
      if (changed) beginStopping(task, now)
      break
    case 'STOPPING':
      task.lastStatus = 'DEPROVISIONING'
      break
    case 'DEPROVISIONING':
      task.lastStatus = 'STOPPED'
      task.stoppedAt = now
      // "Any tags associated with the task will be deleted" (aws-facts §2.3).
      task.tags = []
      break
  }
  if (changed) task.version++
  return changed
}

/** StopTask: desired STOPPED now (one version), the lifecycle follows on the next ticks. */
export function requestStop(task: SimTask, reason: string | undefined): boolean {
  if (task.desiredStatus === 'STOPPED') return false
  task.desiredStatus = 'STOPPED'
  task.stopCode = 'UserInitiated'
  task.stoppedReason = reason ?? 'Task stopped by user'
  task.version++
  return true
}

function omitUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/** The task as DescribeTasks/RunTask/StopTask return it (Date times; tags only when asked). */
export function toSdkTask(task: SimTask, withTags: boolean): Task {
  return omitUndefined({
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    version: task.version,
    startedBy: task.startedBy,
    group: `family:${task.family}`,
    launchType: task.launchType,
    capacityProviderName: task.capacityProviderName,
    cpu: task.cpu,
    memory: task.memory,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    stoppingAt: task.stoppingAt,
    stoppedAt: task.stoppedAt,
    stopCode: task.stopCode as Task['stopCode'],
    stoppedReason: task.stoppedReason,
    overrides: task.overrides,
    containers: [omitUndefined({ ...task.container, taskArn: task.arn })],
    tags: withTags && task.tags.length ? task.tags.map((t) => ({ ...t })) : undefined,
  })
}

/** The EventBridge "ECS Task State Change" envelope for the task as it is now (ISO times, no tags). */
export function toStateChangeEvent(task: SimTask, options: { account: string; region: string; time: Date; id: string }): Record<string, unknown> {
  const { tags: _tags, ...detail } = toSdkTask(task, false)
  const iso = (d: Date | undefined) => d?.toISOString()
  return {
    version: '0',
    id: options.id,
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: options.account,
    time: options.time.toISOString(),
    region: options.region,
    resources: [task.arn],
    detail: omitUndefined({
      ...detail,
      createdAt: iso(task.createdAt),
      startedAt: iso(task.startedAt),
      stoppingAt: iso(task.stoppingAt),
      stoppedAt: iso(task.stoppedAt),
      updatedAt: options.time.toISOString(),
    }),
  }
}
