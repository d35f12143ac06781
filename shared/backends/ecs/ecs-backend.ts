/**
 * ComputeBackend on ECS Fargate. Where each Docker verb becomes an AWS call:
 * - resolveImage → ECR DescribeImages (images.ts)
 * - startRun → RegisterTaskDefinition on a cache miss, then RunTask (start-run.ts)
 * - stopRun / killRun → StopTask
 * - describeRuns / listActiveRuns → DescribeTasks (+ ListTasks)
 * - logs → GetLogEvents (logs.ts)
 * - cleanup → DeregisterTaskDefinition + DeleteTaskDefinitions (cleanup.ts)
 * - listImages → ECR DescribeRepositories + DescribeImages (images.ts)
 * - deleteImage → ECR BatchDeleteImage; addImageTag → BatchGetImage + PutImage (image-writes.ts)
 */
import { NotFoundError } from '../../core/errors.js'
import type { Container, Run, RunObservation } from '../../core/model.js'
import {
  systemClock,
  type Clock,
  type ComputeBackend,
  type ImageInfo,
  type LogLine,
  type LogOptions,
  type ResolvedImage,
  type StartRunInput,
  type StartedRun,
  type Store,
} from '../../core/ports.js'
import type { ContainerSpec } from '../../core/spec.js'
import type { AwsGateway } from './aws-gateway.js'
import { cleanupTaskDefinitions } from './cleanup.js'
import type { EcsBackendConfig } from './ecs-config.js'
import { addImageTag, deleteImage } from './image-writes.js'
import { listImages, resolveImage } from './images.js'
import { runLogs } from './logs.js'
import { stopSignalName } from './signals.js'
import { startRun } from './start-run.js'
import { isFargatedTask, toObservation } from './task-observation.js'

export interface EcsBackendOptions {
  gateway: AwsGateway
  store: Pick<Store, 'getTaskDefinition' | 'putTaskDefinition' | 'deleteTaskDefinition' | 'listContainers'>
  config: EcsBackendConfig
  clock?: Clock
}

export class EcsBackend implements ComputeBackend {
  readonly kind = 'ecs' as const
  private readonly gateway: AwsGateway
  private readonly store: EcsBackendOptions['store']
  private readonly config: EcsBackendConfig
  private readonly clock: Clock

  constructor(options: EcsBackendOptions) {
    this.gateway = options.gateway
    this.store = options.store
    this.config = options.config
    this.clock = options.clock ?? systemClock
  }

  async describe(): Promise<Record<string, string | number | boolean>> {
    return { backend: 'ecs', runtime: 'AWS Fargate', cluster: this.config.cluster, region: this.config.region, registry: this.config.registry }
  }

  resolveImage(namespace: string, image: string, _platform: ContainerSpec['platform']): Promise<ResolvedImage> {
    return resolveImage(this.gateway, this.config, namespace, image)
  }

  startRun(input: StartRunInput): Promise<StartedRun> {
    return startRun({ gateway: this.gateway, store: this.store, config: this.config, clock: this.clock }, input)
  }

  /**
   * StopTask with the reason (it becomes the task's stoppedReason). ECS has no per-call
   * timeout: SIGKILL follows SIGTERM after the task definition's stopTimeout (the spec's
   * stopTimeout, at most 120 s), so `timeoutSeconds` is not used. A task ECS no longer knows
   * counts as stopped.
   */
  async stopRun(ref: string, options: { timeoutSeconds: number; reason: string }): Promise<void> {
    try {
      await this.gateway.stopTask(this.config.cluster, ref, options.reason)
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e
    }
  }

  /**
   * KILL and TERM stop the task (ECS always sends SIGTERM first, then SIGKILL after the
   * stopTimeout); any other signal → UnsupportedError, since Fargate cannot deliver it.
   */
  async killRun(ref: string, signal: string): Promise<void> {
    const name = stopSignalName(signal)
    await this.stopRun(ref, { timeoutSeconds: 0, reason: `Killed with SIG${name} (docker kill)` })
  }

  async describeRuns(refs: string[]): Promise<RunObservation[]> {
    if (refs.length === 0) return []
    const tasks = await this.gateway.describeTasks(this.config.cluster, refs)
    return tasks.flatMap((t) => (t.taskArn ? [toObservation({ ...t, taskArn: t.taskArn }, this.config.taskFamilyPrefix)] : []))
  }

  async listActiveRuns(): Promise<RunObservation[]> {
    const arns = await this.gateway.listTasks(this.config.cluster, 'RUNNING')
    if (arns.length === 0) return []
    const tasks = await this.gateway.describeTasks(this.config.cluster, arns)
    const prefix = this.config.taskFamilyPrefix
    return tasks.flatMap((t) => (t.taskArn && isFargatedTask(t, prefix) ? [toObservation({ ...t, taskArn: t.taskArn }, prefix)] : []))
  }

  /** See runLogs (logs.ts): stderr is merged into stdout by awslogs, so every line is `stdout`. */
  logs(run: Run, options: LogOptions): AsyncIterable<LogLine> {
    const describe = async (ref: string) => (await this.describeRuns([ref]))[0]
    return runLogs({ gateway: this.gateway, config: this.config, describe }, run, options)
  }

  cleanup(container: Pick<Container, 'id' | 'namespace' | 'spec'>, runs: Run[]): Promise<void> {
    return cleanupTaskDefinitions({ gateway: this.gateway, store: this.store, config: this.config }, container, runs)
  }

  listImages(namespace: string): Promise<ImageInfo[]> {
    return listImages(this.gateway, this.config, namespace)
  }

  deleteImage(namespace: string, ref: string): Promise<{ deleted: string[] }> {
    return deleteImage(this.gateway, this.config, namespace, ref)
  }

  addImageTag(namespace: string, source: string, target: string): Promise<ImageInfo> {
    return addImageTag(this.gateway, this.config, namespace, source, target)
  }
}
