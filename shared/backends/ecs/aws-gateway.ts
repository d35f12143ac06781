/**
 * The narrow port EcsBackend talks through: only the ECS, ECR and CloudWatch Logs calls it
 * needs. SdkAwsGateway (sdk-aws-gateway.ts) implements it with SDK v3 clients; every method
 * throws core errors only (NotFoundError, ConflictError, ThrottledError, BackendError,
 * InvalidSpecError), never an SDK exception.
 *
 * Request and response shapes reuse the SDK's model types (type-only imports, no bundle cost).
 */
import type { Failure, RegisterTaskDefinitionCommandInput, RunTaskCommandInput, Task } from '@aws-sdk/client-ecs'
import type { ImageDetail } from '@aws-sdk/client-ecr'

export interface RegisteredTaskDefinition {
  arn: string
  family: string
  revision: number
}

export interface RunTaskResult {
  tasks: Task[]
  /** RunTask can answer 200 and still fail: capacity, bad configuration (aws-facts §2.1). */
  failures: Failure[]
}

export interface RepositoryRef {
  name: string
  uri: string
}

export interface LogEvent {
  /** Milliseconds since the epoch. */
  timestamp: number
  message: string
}

export interface LogPage {
  events: LogEvent[]
  /** Pass back as `nextToken` (with startFromHead true) to read what came after this page. */
  nextForwardToken?: string
}

export interface LogReadInput {
  group: string
  stream: string
  /** true: oldest first, follow forward tokens to the end. false: one page of the newest `limit` events. */
  startFromHead: boolean
  nextToken?: string
  limit?: number
  /** Milliseconds since the epoch, inclusive. */
  startTime?: number
  /** Milliseconds since the epoch, exclusive. */
  endTime?: number
  signal?: AbortSignal
}

/** One image id in a repository, by tag or by digest. */
export type ImageIdRef = { tag: string } | { digest: string }

export interface ImageManifest {
  digest: string
  /** The manifest document, byte for byte as ECR stores it. */
  manifest: string
  /** Its media type (Docker v2 / OCI manifest or index), to put it back unchanged. */
  mediaType?: string
}

export interface AwsGateway {
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<RegisteredTaskDefinition>
  /** Marks a revision INACTIVE; a revision that is already inactive or gone is not an error. */
  deregisterTaskDefinition(arn: string): Promise<void>
  /** Deletes deregistered revisions (in calls of at most 10); per-revision failures are ignored. */
  deleteTaskDefinitions(arns: string[]): Promise<void>
  /** ConflictError when the clientToken was used with other parameters. */
  runTask(input: RunTaskCommandInput): Promise<RunTaskResult>
  /** NotFoundError when ECS no longer knows the task. */
  stopTask(cluster: string, task: string, reason: string): Promise<void>
  /** DescribeTasks in chunks of 100 with tags; tasks ECS does not know are omitted. */
  describeTasks(cluster: string, tasks: string[]): Promise<Task[]>
  /** Every task ARN with the given desired status (all ListTasks pages). */
  listTasks(cluster: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]>
  /** One image by tag or digest; NotFoundError ("No such image: repo:tag") when absent. */
  describeImage(repositoryName: string, id: { tag: string } | { digest: string }): Promise<ImageDetail>
  /** BatchGetImage of one image; NotFoundError ("No such image: repo:tag") when absent. */
  batchGetImage(repositoryName: string, id: ImageIdRef): Promise<ImageManifest>
  /**
   * PutImage of an existing manifest under `tag`: idempotent when the tag already points at it;
   * ConflictError when the repository's tags are IMMUTABLE and the tag exists. Returns the digest.
   */
  putImage(repositoryName: string, image: ImageManifest, tag: string): Promise<string>
  /**
   * BatchDeleteImage of one id (a tag: untag; a digest: the image and all its tags). Returns
   * the ids ECR deleted; NotFoundError when the image is absent.
   */
  batchDeleteImage(repositoryName: string, id: ImageIdRef): Promise<{ tag?: string; digest?: string }[]>
  /** Repositories whose name starts with `namePrefix`. */
  listRepositories(namePrefix: string): Promise<RepositoryRef[]>
  /** Every image of a repository (all pages); none when the repository does not exist. */
  listImages(repositoryName: string): Promise<ImageDetail[]>
  /**
   * GetLogEvents pages. With startFromHead it follows nextForwardToken until a page returns the
   * token that was sent (the end; empty pages in between are skipped over, not taken as the end).
   * Without startFromHead it reads a single page. A stream that does not exist yet yields nothing.
   */
  readLogEvents(input: LogReadInput): AsyncIterable<LogPage>
}
