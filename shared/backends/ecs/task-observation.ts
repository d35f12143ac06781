/**
 * An ECS task (DescribeTasks, with Date times, or an EventBridge detail, with ISO strings) →
 * the core's RunObservation. Shared by describeRuns, listActiveRuns and the event parser.
 */
import type { RunHealth, RunObservation, TaskStatus } from '../../core/model.js'
import { TASK_STATUSES } from '../../core/state.js'
import { CONTAINER_NAME, TAGS } from './ecs-config.js'
import { namespaceOfFamily } from './task-definition.js'

type Time = Date | string

/** The Task fields fargated reads; the SDK's Task and the event detail both fit. */
export interface TaskLike {
  taskArn?: string
  lastStatus?: string
  desiredStatus?: string
  version?: number
  startedBy?: string
  taskDefinitionArn?: string
  stopCode?: string
  stoppedReason?: string
  startedAt?: Time
  stoppingAt?: Time
  stoppedAt?: Time
  containers?: { name?: string; exitCode?: number | null; reason?: string; healthStatus?: string; networkInterfaces?: { privateIpv4Address?: string }[] }[]
  /** The task ENI (awsvpc): details include `privateIPv4Address`. */
  attachments?: { type?: string; details?: { name?: string; value?: string }[] }[]
  tags?: { key?: string; value?: string }[]
  /** HEALTHY, UNHEALTHY or UNKNOWN (no verdict yet, or no health check). */
  healthStatus?: string
}

const CONTAINER_ID = /^[0-9a-f]{64}$/

function iso(t: Time | undefined): string | undefined {
  if (t === undefined) return undefined
  return typeof t === 'string' ? new Date(t).toISOString() : t.toISOString()
}

function tag(task: TaskLike, key: string): string | undefined {
  return task.tags?.find((t) => t.key === key)?.value
}

/** `arn:…:task-definition/<family>:<revision>` → family. */
export function familyOf(taskDefinitionArn: string | undefined): string | undefined {
  if (!taskDefinitionArn) return undefined
  const last = taskDefinitionArn.slice(taskDefinitionArn.lastIndexOf('/') + 1)
  const colon = last.lastIndexOf(':')
  return colon > 0 ? last.slice(0, colon) : last
}

/** ECS lastStatus → TaskStatus; DELETED (seen briefly in DescribeTasks) counts as STOPPED. */
export function toTaskStatus(lastStatus: string | undefined, desiredStatus?: string): TaskStatus {
  if (lastStatus && (TASK_STATUSES as readonly string[]).includes(lastStatus)) return lastStatus as TaskStatus
  if (lastStatus === 'DELETED') return 'STOPPED'
  return desiredStatus === 'STOPPED' ? 'STOPPING' : 'PENDING'
}

/**
 * Did fargated start this task? It carries the fargated:container tag, or (events and stopped
 * tasks have no tags) its family has the fargated prefix and startedBy is a container id.
 */
export function isFargatedTask(task: TaskLike, taskFamilyPrefix: string): boolean {
  if (tag(task, TAGS.container)) return true
  const family = familyOf(task.taskDefinitionArn)
  return !!family && family.startsWith(`${taskFamilyPrefix}-`) && CONTAINER_ID.test(task.startedBy ?? '')
}

/** OOM as ECS reports it: the container reason "OutOfMemoryError: Container killed due to memory usage". */
export function isOomReason(reason: string | undefined): boolean {
  return !!reason && /OutOfMemory/i.test(reason)
}

const lastStatusIsRunning = (task: TaskLike) => toTaskStatus(task.lastStatus, task.desiredStatus) === 'RUNNING'

/**
 * ECS health → fargated's: UNKNOWN is `starting` (no verdict yet; a task without a health
 * check also says UNKNOWN, which only a spec with a check reads).
 */
export function toHealth(status: string | undefined): RunHealth | undefined {
  if (status === 'HEALTHY') return 'healthy'
  if (status === 'UNHEALTHY') return 'unhealthy'
  return status === 'UNKNOWN' ? 'starting' : undefined
}

/** The task's private IPv4 address: its ENI attachment, else the main container's interface. */
export function taskAddress(task: TaskLike, main?: NonNullable<TaskLike['containers']>[number]): string | undefined {
  const eni = task.attachments?.find((a) => a.type === undefined || a.type === 'eni' || a.type === 'ElasticNetworkInterface')
  const fromEni = eni?.details?.find((d) => d.name === 'privateIPv4Address')?.value
  return fromEni || main?.networkInterfaces?.find((n) => n.privateIpv4Address)?.privateIpv4Address || undefined
}

export function toObservation(task: TaskLike & { taskArn: string }, taskFamilyPrefix: string): RunObservation {
  const main = task.containers?.find((c) => c.name === CONTAINER_NAME) ?? task.containers?.[0]
  const runTag = tag(task, TAGS.run)
  const startedBy = task.startedBy && CONTAINER_ID.test(task.startedBy) ? task.startedBy : undefined
  const family = familyOf(task.taskDefinitionArn)
  const obs: RunObservation = {
    ref: task.taskArn,
    containerId: tag(task, TAGS.container) ?? startedBy,
    namespace: tag(task, TAGS.namespace) ?? (family ? namespaceOfFamily(family, taskFamilyPrefix) : undefined),
    runNumber: runTag !== undefined && /^\d+$/.test(runTag) ? Number(runTag) : undefined,
    lastStatus: toTaskStatus(task.lastStatus, task.desiredStatus),
    version: task.version ?? 0,
    exitCode: main?.exitCode ?? undefined,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    oomKilled: isOomReason(main?.reason) || isOomReason(task.stoppedReason),
    startedAt: iso(task.startedAt),
    stoppingAt: iso(task.stoppingAt),
    stoppedAt: iso(task.stoppedAt),
    reason: main?.reason ?? task.stoppedReason,
    health: lastStatusIsRunning(task) ? toHealth(main?.healthStatus ?? task.healthStatus) : undefined,
    address: taskAddress(task, main),
  }
  for (const k of Object.keys(obs) as (keyof RunObservation)[]) if (obs[k] === undefined) delete obs[k]
  return obs
}
