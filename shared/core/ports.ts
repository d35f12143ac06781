/**
 * The ports the core talks through. Backends (ECS, local engine) implement ComputeBackend;
 * the DynamoDB store implements Store; usage sources feed the reaper. Nothing here imports
 * an SDK: adapters translate SDK errors into core errors (errors.ts) where they call the SDK.
 */
import type { ApiKey, Container, DomainEvent, Run, RunObservation } from './model.js'
import type { FargateSize } from './fargate-sizes.js'
import type { ContainerSpec } from './spec.js'

// ───────────────────────────── compute ─────────────────────────────

export interface StartRunInput {
  container: Pick<Container, 'id' | 'namespace' | 'name' | 'spec'>
  runNumber: number
  size: FargateSize
  /** Image as resolved by resolveImage: what the runtime should pull. */
  image: string
  imageDigest?: string
  capacity: 'on-demand' | 'spot'
  /**
   * Idempotency token (≤ 64 chars, ASCII 33-126): the same token must never start a second
   * task. ECS passes it as RunTask clientToken; the engine backend names its container from it.
   */
  token: string
}

export interface StartedRun {
  ref: string
  lastStatus: Run['lastStatus']
  startedAt?: string
  /** What the runtime reported with the start (carries its event version); applied at once. */
  observation?: RunObservation
}

export interface LogOptions {
  stdout?: boolean
  stderr?: boolean
  /** Only the last N lines (undefined = all). */
  tail?: number
  /** Unix seconds (may be fractional). */
  since?: number
  until?: number
  follow?: boolean
  /** Abort to end a follow stream. */
  signal?: AbortSignal
}

export interface LogLine {
  stream: 'stdout' | 'stderr'
  /** ISO time with nanoseconds where the runtime has them. */
  time: string
  /** The line without its trailing newline. */
  message: string
}

export interface ResolvedImage {
  /** What the runtime pulls (ECR URI with digest, or the engine reference). */
  image: string
  digest?: string
}

export interface ImageInfo {
  id: string
  repository: string
  tags: string[]
  digest?: string
  sizeBytes: number
  createdAt?: string
  pushedAt?: string
  architecture?: string
  os?: string
}

export interface UsageSample {
  /** Unix seconds. */
  time: number
  /** CPU used, in CPU units (1024 = 1 vCPU). */
  cpuUnits: number
  memoryMiB: number
  /** rx+tx bytes per second over the sample interval. */
  networkBytesPerSec: number
}

/**
 * A runtime that runs containers: ECS Fargate or a local Docker engine. Every method translates
 * its runtime's errors into core errors (NotFoundError, BackendError, ThrottledError,
 * UnsupportedError, EngineUnavailableError).
 */
export interface ComputeBackend {
  readonly kind: 'ecs' | 'docker'
  /** Describes the runtime for `docker info` / `/healthz` (cluster and region, or engine version). */
  describe(): Promise<Record<string, string | number | boolean>>
  /** Resolves a spec image (short names → the namespace's repository, tag → digest). */
  resolveImage(namespace: string, image: string, platform: ContainerSpec['platform']): Promise<ResolvedImage>
  /**
   * Optional: begins preparing a run that startRun with the same input will launch (a local
   * engine creates its container meanwhile). Nothing may run before startRun; a preparation
   * that no startRun takes is discarded by the backend. Never throws.
   */
  prepareRun?(input: StartRunInput): void
  /** Starts one run; safe to call twice with the same token (returns the same run). */
  startRun(input: StartRunInput): Promise<StartedRun>
  /** Graceful stop: SIGTERM, then SIGKILL after timeoutSeconds. Stopping a stopped run is a no-op. */
  stopRun(ref: string, options: { timeoutSeconds: number; reason: string }): Promise<void>
  /** Sends a signal. ECS can only stop, so a non-TERM/KILL signal raises UnsupportedError there. */
  killRun(ref: string, signal: string): Promise<void>
  /** Current observations of the given runs (missing ones are omitted). */
  describeRuns(refs: string[]): Promise<RunObservation[]>
  /** Every fargated run the runtime knows that is not STOPPED (for reconcile). */
  listActiveRuns(): Promise<RunObservation[]>
  /** Log lines of a run, oldest first; with follow, until the run stops or the signal aborts. */
  logs(run: Run, options: LogOptions): AsyncIterable<LogLine>
  /** Removes what a container left in the runtime (engine containers, unused task definitions). */
  cleanup(container: Pick<Container, 'id' | 'namespace' | 'spec'>, runs: Run[]): Promise<void>
  listImages(namespace: string): Promise<ImageInfo[]>
  /**
   * Deletes an image of the namespace by tag (`app:1`) or digest (`app@sha256:…`); returns
   * what was untagged or deleted. NotFoundError when absent. Absent when the runtime can't.
   * (Not named removeImage: the Docker surface finds `removeImage(ref, options)` structurally.)
   */
  deleteImage?(namespace: string, ref: string): Promise<{ deleted: string[] }>
  /**
   * Adds tag `target` (`app:2`) to the image `source` (`app:1`, `app@sha256:…`) of the
   * namespace: a manifest copy, no layers move. Absent when the runtime can't.
   * (Not named tagImage: the Docker surface finds `tagImage(source, repo, tag)` structurally.)
   */
  addImageTag?(namespace: string, source: string, target: string): Promise<ImageInfo | void>
  /** Usage of a running run since `since` (unix seconds); empty when unknown. */
  usage?(run: Run, since: number): Promise<UsageSample[]>
}

// ───────────────────────────── store ─────────────────────────────

export interface ListContainersQuery {
  namespace: string
}

export interface IdempotencyRecord {
  namespace: string
  key: string
  requestHash: string
  /** in-progress until complete() is called. */
  status: 'in-progress' | 'complete'
  /** The resource id the request produced (container id). */
  resultId?: string
  createdAt: string
  expiresAt: number
}

export interface TaskDefinitionRecord {
  namespace: string
  specHash: string
  arn: string
  family: string
  createdAt: string
}

/**
 * Persistence. One DynamoDB implementation (shared/store); local mode and tests run it against
 * an embedded DynamoDB-compatible server. Conditional writes only (no transactions).
 * Conflicts raise ConflictError; missing items NotFoundError (or undefined where noted).
 */
export interface Store {
  // containers ───────────────────
  /** Claims `name` for `id` in the namespace; ConflictError if another live container holds it. */
  claimName(namespace: string, name: string, containerId: string): Promise<void>
  /** Releases a name claim if it is held by `containerId` (no-op otherwise). */
  releaseName(namespace: string, name: string, containerId: string): Promise<void>
  /** Who holds the name, if anyone. */
  nameOwner(namespace: string, name: string): Promise<string | undefined>
  /** Puts a new container (version 1); ConflictError if the id exists. */
  createContainer(container: Container): Promise<void>
  getContainer(namespace: string, id: string): Promise<Container | undefined>
  /** Containers whose id starts with `prefix` (at most `limit`, default 2: enough to detect ambiguity). */
  findByIdPrefix(namespace: string, prefix: string, limit?: number): Promise<Container[]>
  listContainers(namespace: string): Promise<Container[]>
  /** Containers in every namespace whose state is running or that have a restart due (reaper). */
  listActiveContainers(): Promise<Container[]>
  /**
   * Writes `next` if the stored version is still `next.version - 1`... precisely: stores `next`
   * with version = expectedVersion + 1 when the stored version equals expectedVersion;
   * ConflictError otherwise. Returns the stored container.
   */
  updateContainer(next: Container, expectedVersion: number): Promise<Container>
  deleteContainer(namespace: string, id: string): Promise<void>

  // runs ───────────────────
  putRun(run: Run): Promise<void>
  getRun(containerId: string, number: number): Promise<Run | undefined>
  listRuns(containerId: string): Promise<Run[]>
  /** Finds a run by backend ref (task ARN / engine container id). */
  getRunByRef(ref: string): Promise<Run | undefined>
  /**
   * Stores `next` only if the stored run's eventVersion is lower than next.eventVersion
   * (or equal, when `allowEqual`); returns false when the write was skipped as stale.
   */
  updateRunIfNewer(next: Run, allowEqual?: boolean): Promise<boolean>
  deleteRuns(containerId: string): Promise<void>

  // task definitions (ECS) ───────────────────
  getTaskDefinition(namespace: string, specHash: string): Promise<TaskDefinitionRecord | undefined>
  putTaskDefinition(record: TaskDefinitionRecord): Promise<void>
  deleteTaskDefinition(namespace: string, specHash: string): Promise<void>

  // keys ───────────────────
  putKey(key: ApiKey): Promise<void>
  getKeyByHash(hash: string): Promise<ApiKey | undefined>
  listKeys(namespace: string): Promise<ApiKey[]>
  deleteKey(namespace: string, id: string): Promise<void>

  // idempotency ───────────────────
  /** Claims the key (conditional put); if it exists returns the existing record instead. */
  claimIdempotency(record: IdempotencyRecord): Promise<{ claimed: true } | { claimed: false; existing: IdempotencyRecord }>
  completeIdempotency(namespace: string, key: string, resultId: string): Promise<void>
  /** Drops a claim whose request failed, so a retry can run it again. */
  abandonIdempotency(namespace: string, key: string): Promise<void>

  // events ───────────────────
  appendEvent(event: DomainEvent): Promise<void>
  /** Events with since ≤ timeNano ≤ until (nanosecond strings), oldest first. */
  listEvents(namespace: string, sinceNano?: string, untilNano?: string): Promise<DomainEvent[]>

  // generic small records (hooks, deliveries, leases, usage) ───────────────────
  /** Puts a record under (kind, namespace, id); with ifAbsent, ConflictError if it exists. */
  putRecord<T extends object>(kind: string, namespace: string, id: string, value: T, options?: { ifAbsent?: boolean; ttlSeconds?: number }): Promise<void>
  getRecord<T extends object>(kind: string, namespace: string, id: string): Promise<T | undefined>
  listRecords<T extends object>(kind: string, namespace: string): Promise<T[]>
  deleteRecord(kind: string, namespace: string, id: string): Promise<void>
}

// ───────────────────────────── misc ─────────────────────────────

/** Time source, injectable for fake-timer tests. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
