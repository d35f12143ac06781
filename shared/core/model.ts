import type { ContainerSpec } from './spec.js'
import type { FargateSize } from './fargate-sizes.js'

/** Docker's `State.Status` values. */
export type DockerStatus = 'created' | 'running' | 'restarting' | 'removing' | 'exited' | 'dead'

/** ECS task lastStatus values (aws-facts §2); local runs report the same vocabulary. */
export type TaskStatus =
  | 'PROVISIONING'
  | 'PENDING'
  | 'ACTIVATING'
  | 'RUNNING'
  | 'DEACTIVATING'
  | 'STOPPING'
  | 'DEPROVISIONING'
  | 'STOPPED'

/** Why a run stopped, in fargated's words (Docker `events` die reason, `/v1` stopReason). */
export type StopCause =
  | 'exited'
  | 'user'
  | 'idle'
  | 'lifetime'
  | 'oom'
  | 'spot'
  | 'failed-to-start'
  | 'redeploy'
  | 'resize'
  | 'lost'

/** The container's state as Docker shows it. */
export interface ContainerState {
  status: DockerStatus
  /** Text for `docker ps` STATUS beyond the standard ("Starting (PENDING)", "Stopping"). */
  detail?: string
  running: boolean
  exitCode: number | null
  startedAt?: string
  finishedAt?: string
  oomKilled: boolean
  /** fargated's cause for the last stop. */
  stopCause?: StopCause
  /** The runtime's own words (ECS stoppedReason, engine error). */
  stopReason?: string
  error?: string
  /** The health check's verdict on the running run (only with a spec health check). */
  health?: RunHealth
  /** Where the running run's published ports answer. */
  endpoints?: Endpoint[]
}

/** Where a published container port answers: the engine's host binding, or the task's own address on Fargate. */
export interface Endpoint {
  containerPort: number
  protocol: 'tcp' | 'udp'
  ip: string
  port: number
}

/** A health check's verdict: Docker's `State.Health.Status`, ECS `healthStatus` (UNKNOWN = starting). */
export type RunHealth = 'starting' | 'healthy' | 'unhealthy'

/** A size recommendation kept on the container by the reaper. */
export interface Recommendation {
  size: FargateSize
  current: FargateSize
  basis: { samples: number; p95CpuUnits: number; peakMemoryMiB: number; lookbackSeconds: number }
  monthlyCostCurrent: number
  monthlyCostRecommended: number
  updatedAt: string
  reason?: string
}

/** A container's memory history: enough for a week's peak without a week of raw samples. */
export interface UsageHistory {
  /** The first usage sample ever seen for the container, ISO time. */
  firstSampleAt: string
  /** Peak memory (MiB) per UTC day (`YYYY-MM-DD`). */
  dailyPeakMemoryMiB: Record<string, number>
}

/** Docker's container: outlives its runs until `rm`. */
export interface Container {
  id: string
  namespace: string
  name: string
  spec: ContainerSpec
  /** The size the next run will use (spec size, or the recommendation with sizing=auto). */
  size: FargateSize
  state: ContainerState
  createdAt: string
  /** Resolved image digest of the current/last run, when known. */
  imageDigest?: string
  /** Number of the current or last run; 0 before the first start. */
  runNumber: number
  /** Restarts made by the restart policy since the last user start. */
  restartCount: number
  /** When the restart policy wants the next start (backoff), ISO time. */
  restartAt?: string
  /** Set by `docker stop`/`kill` so unless-stopped/always do not restart it. */
  stoppedByUser?: boolean
  /** Why the current run is being stopped (user, idle, lifetime…), kept until the next start. */
  stopRequest?: { cause: StopCause; reason: string }
  recommendation?: Recommendation
  /**
   * Compact memory history kept by the reaper for right-sizing (policies/memory-history.ts):
   * when usage was first seen and the peak memory of each UTC day, at most 8 days.
   */
  usageHistory?: UsageHistory
  /** Accumulated estimated cost of finished runs, dollars. */
  costToDate?: number
  /** Optimistic-concurrency counter: every write checks and bumps it. */
  version: number
}

/** One execution of a container: one ECS task or one engine container. */
export interface Run {
  containerId: string
  namespace: string
  number: number
  backend: 'ecs' | 'docker'
  /** Backend reference: the ECS task ARN or the engine container id. */
  ref?: string
  size: FargateSize
  image: string
  imageDigest?: string
  capacity: 'on-demand' | 'spot'
  lastStatus: TaskStatus
  createdAt: string
  startedAt?: string
  stoppingAt?: string
  stoppedAt?: string
  exitCode?: number | null
  stopCode?: string
  stoppedReason?: string
  stopCause?: StopCause
  oomKilled?: boolean
  /** The latest health verdict the runtime reported for this run. */
  health?: RunHealth
  /** The task's private IPv4 address (ECS awsvpc). */
  address?: string
  /** Published port bindings the runtime reported (a local engine). */
  endpoints?: Endpoint[]
  /** The highest runtime event version applied (ECS `detail.version`). */
  eventVersion: number
}

/** A container lifecycle event, as `/v1/events` and Docker `events` show it. */
export interface DomainEvent {
  namespace: string
  /** Nanoseconds since the epoch (Docker's timeNano), unique per namespace. */
  timeNano: string
  type: 'container' | 'image'
  action: 'create' | 'start' | 'die' | 'stop' | 'kill' | 'destroy' | 'rename' | 'update' | 'restart' | 'oom' | 'push' | 'tag' | 'delete' | 'rollout'
  id: string
  attributes: Record<string, string>
}

export type Scope = 'read' | 'write' | 'admin'

/** An API key record; the secret itself is never stored, only its SHA-256. */
export interface ApiKey {
  id: string
  namespace: string
  hash: string
  scopes: Scope[]
  description?: string
  /** The bootstrap admin key: may manage keys of every namespace. */
  root?: boolean
  createdAt: string
  lastUsedAt?: string
}

/** What a backend observed about a run (ECS event, DescribeTasks, engine event). */
export interface RunObservation {
  ref: string
  containerId?: string
  namespace?: string
  runNumber?: number
  lastStatus: TaskStatus
  /** Monotonic per run: ECS `detail.version`; engine events use a timestamp. */
  version: number
  exitCode?: number | null
  stopCode?: string
  stoppedReason?: string
  oomKilled?: boolean
  startedAt?: string
  stoppingAt?: string
  stoppedAt?: string
  /** Human status for logs, e.g. the ECS container reason. */
  reason?: string
  /** The health check's verdict, when the runtime reports one. */
  health?: RunHealth
  /** The task's private IPv4 address (ECS awsvpc networking). */
  address?: string
  /** Published port bindings (a local engine). */
  endpoints?: Endpoint[]
}
