import {
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  DescribeTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
  paginateListTasks,
  type RegisterTaskDefinitionCommandInput,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs'
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  DescribeImagesCommand,
  PutImageCommand,
  paginateDescribeImages,
  paginateDescribeRepositories,
  type ImageDetail,
} from '@aws-sdk/client-ecr'
import { GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs'
import { BackendError, NotFoundError } from '../../core/errors.js'
import type {
  AwsGateway,
  ImageIdRef,
  ImageManifest,
  LogPage,
  LogReadInput,
  RegisteredTaskDefinition,
  RepositoryRef,
  RunTaskResult,
} from './aws-gateway.js'
import { lazyAwsClients, type AwsClientOptions, type AwsClientSource } from './aws-clients.js'
import { awsErrorName, translateAwsError, translateImageFailure, type TranslateContext } from './aws-errors.js'

const DESCRIBE_TASKS_MAX = 100
const DELETE_TASK_DEFINITIONS_MAX = 10
const STOP_REASON_MAX = 255
/** What BatchGetImage may hand back: single-platform manifests and multi-platform indexes. */
const MANIFEST_MEDIA_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
]

function imageName(repositoryName: string, id: ImageIdRef): string {
  return 'tag' in id ? `${repositoryName}:${id.tag}` : `${repositoryName}@${id.digest}`
}

function imageId(id: ImageIdRef): { imageTag: string } | { imageDigest: string } {
  return 'tag' in id ? { imageTag: id.tag } : { imageDigest: id.digest }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

async function call<T>(ctx: TranslateContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (e) {
    throw translateAwsError(e, ctx)
  }
}

function isClientError(e: unknown, message: RegExp): boolean {
  const name = awsErrorName(e)
  return (name === 'ClientException' || name === 'InvalidParameterException') && message.test((e as Error).message)
}

/** AwsGateway over SDK v3 clients; every SDK exception is translated here (aws-errors.ts). */
export class SdkAwsGateway implements AwsGateway {
  constructor(private readonly clients: AwsClientSource) {}

  async registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<RegisteredTaskDefinition> {
    const out = await call({ operation: 'RegisterTaskDefinition' }, () => this.clients.ecs().send(new RegisterTaskDefinitionCommand(input)))
    const def = out.taskDefinition
    if (!def?.taskDefinitionArn) throw new BackendError('RegisterTaskDefinition returned no task definition')
    return { arn: def.taskDefinitionArn, family: def.family ?? input.family ?? '', revision: def.revision ?? 0 }
  }

  async deregisterTaskDefinition(arn: string): Promise<void> {
    try {
      await this.clients.ecs().send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn }))
    } catch (e) {
      if (isClientError(e, /inactive|not found|does not exist/i)) return
      throw translateAwsError(e, { operation: `DeregisterTaskDefinition ${arn}` })
    }
  }

  async deleteTaskDefinitions(arns: string[]): Promise<void> {
    for (const batch of chunks(arns, DELETE_TASK_DEFINITIONS_MAX)) {
      await call({ operation: 'DeleteTaskDefinitions' }, () => this.clients.ecs().send(new DeleteTaskDefinitionsCommand({ taskDefinitions: batch })))
    }
  }

  async runTask(input: RunTaskCommandInput): Promise<RunTaskResult> {
    const out = await call({ operation: 'RunTask', cluster: input.cluster }, () => this.clients.ecs().send(new RunTaskCommand(input)))
    return { tasks: out.tasks ?? [], failures: out.failures ?? [] }
  }

  async stopTask(cluster: string, task: string, reason: string): Promise<void> {
    try {
      await this.clients.ecs().send(new StopTaskCommand({ cluster, task, reason: reason.slice(0, STOP_REASON_MAX) }))
    } catch (e) {
      if (isClientError(e, /not found/i)) throw new NotFoundError(`ECS does not know task ${task}`, { cause: e })
      throw translateAwsError(e, { operation: 'StopTask', cluster })
    }
  }

  async describeTasks(cluster: string, tasks: string[]): Promise<Task[]> {
    const out: Task[] = []
    for (const batch of chunks(tasks, DESCRIBE_TASKS_MAX)) {
      const page = await call({ operation: 'DescribeTasks', cluster }, () =>
        this.clients.ecs().send(new DescribeTasksCommand({ cluster, tasks: batch, include: ['TAGS'] })),
      )
      out.push(...(page.tasks ?? []))
    }
    return out
  }

  async listTasks(cluster: string, desiredStatus: 'RUNNING' | 'STOPPED'): Promise<string[]> {
    return call({ operation: 'ListTasks', cluster }, async () => {
      const arns: string[] = []
      for await (const page of paginateListTasks({ client: this.clients.ecs() }, { cluster, desiredStatus })) {
        arns.push(...(page.taskArns ?? []))
      }
      return arns
    })
  }

  async describeImage(repositoryName: string, id: { tag: string } | { digest: string }): Promise<ImageDetail> {
    const image = 'tag' in id ? `${repositoryName}:${id.tag}` : `${repositoryName}@${id.digest}`
    const imageIds = ['tag' in id ? { imageTag: id.tag } : { imageDigest: id.digest }]
    const out = await call({ operation: 'DescribeImages', image }, () =>
      this.clients.ecr().send(new DescribeImagesCommand({ repositoryName, imageIds })),
    )
    const detail = out.imageDetails?.[0]
    if (!detail?.imageDigest) throw new NotFoundError(`No such image: ${image}`)
    return detail
  }

  async batchGetImage(repositoryName: string, id: ImageIdRef): Promise<ImageManifest> {
    const ctx = { operation: 'BatchGetImage', image: imageName(repositoryName, id) }
    const out = await call(ctx, () =>
      this.clients.ecr().send(new BatchGetImageCommand({ repositoryName, imageIds: [imageId(id)], acceptedMediaTypes: MANIFEST_MEDIA_TYPES })),
    )
    const image = out.images?.[0]
    if (!image?.imageManifest || !image.imageId?.imageDigest) {
      const failure = out.failures?.[0]
      throw failure ? translateImageFailure(failure, ctx) : new NotFoundError(`No such image: ${ctx.image}`)
    }
    return { digest: image.imageId.imageDigest, manifest: image.imageManifest, mediaType: image.imageManifestMediaType }
  }

  async putImage(repositoryName: string, image: ImageManifest, tag: string): Promise<string> {
    try {
      const out = await this.clients.ecr().send(
        new PutImageCommand({
          repositoryName,
          imageManifest: image.manifest,
          imageManifestMediaType: image.mediaType,
          imageDigest: image.digest,
          imageTag: tag,
        }),
      )
      return out.image?.imageId?.imageDigest ?? image.digest
    } catch (e) {
      // The tag already points at this manifest: nothing to do.
      if (awsErrorName(e) === 'ImageAlreadyExistsException') return image.digest
      throw translateAwsError(e, { operation: 'PutImage', image: `${repositoryName}:${tag}` })
    }
  }

  async batchDeleteImage(repositoryName: string, id: ImageIdRef): Promise<{ tag?: string; digest?: string }[]> {
    const ctx = { operation: 'BatchDeleteImage', image: imageName(repositoryName, id) }
    const out = await call(ctx, () => this.clients.ecr().send(new BatchDeleteImageCommand({ repositoryName, imageIds: [imageId(id)] })))
    const failure = out.failures?.[0]
    if (failure && !out.imageIds?.length) throw translateImageFailure(failure, ctx)
    return (out.imageIds ?? []).map((i) => ({ tag: i.imageTag, digest: i.imageDigest }))
  }

  async listRepositories(namePrefix: string): Promise<RepositoryRef[]> {
    return call({ operation: 'DescribeRepositories' }, async () => {
      const out: RepositoryRef[] = []
      for await (const page of paginateDescribeRepositories({ client: this.clients.ecr() }, {})) {
        for (const r of page.repositories ?? []) {
          if (r.repositoryName?.startsWith(namePrefix) && r.repositoryUri) out.push({ name: r.repositoryName, uri: r.repositoryUri })
        }
      }
      return out
    })
  }

  async listImages(repositoryName: string): Promise<ImageDetail[]> {
    try {
      const out: ImageDetail[] = []
      const pages = paginateDescribeImages({ client: this.clients.ecr() }, { repositoryName, filter: { tagStatus: 'ANY' } })
      for await (const page of pages) out.push(...(page.imageDetails ?? []))
      return out
    } catch (e) {
      if (awsErrorName(e) === 'RepositoryNotFoundException') return []
      throw translateAwsError(e, { operation: `DescribeImages ${repositoryName}` })
    }
  }

  async *readLogEvents(input: LogReadInput): AsyncIterable<LogPage> {
    let token = input.nextToken
    for (;;) {
      let out
      try {
        out = await this.clients.logs().send(
          new GetLogEventsCommand({
            logGroupName: input.group,
            logStreamName: input.stream,
            startFromHead: input.startFromHead,
            nextToken: token,
            limit: input.limit,
            startTime: input.startTime,
            endTime: input.endTime,
          }),
          { abortSignal: input.signal },
        )
      } catch (e) {
        if (awsErrorName(e) === 'ResourceNotFoundException' || input.signal?.aborted) return
        throw translateAwsError(e, { operation: 'GetLogEvents' })
      }
      const events = (out.events ?? []).map((ev) => ({ timestamp: ev.timestamp ?? 0, message: ev.message ?? '' }))
      yield { events, nextForwardToken: out.nextForwardToken }
      // The end of a GetLogEvents stream is a page that hands back the token we sent (aws-facts §5.2).
      if (!input.startFromHead || !out.nextForwardToken || out.nextForwardToken === token) return
      token = out.nextForwardToken
    }
  }
}

/** The production gateway: clients created on first use, with retries configured. */
export function createAwsGateway(options: AwsClientOptions): SdkAwsGateway {
  return new SdkAwsGateway(lazyAwsClients(options))
}
