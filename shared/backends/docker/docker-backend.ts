import Dockerode from 'dockerode'
import type { Container, Run, RunObservation } from '../../core/model.js'
import type { ContainerSpec } from '../../core/spec.js'
import type {
  ComputeBackend,
  ImageInfo,
  LogLine,
  LogOptions,
  ResolvedImage,
  StartRunInput,
  StartedRun,
  UsageSample,
} from '../../core/ports.js'
import type { EngineContext } from './engine-context.js'
import { NotFoundError } from '../../core/errors.js'
import { ENGINE_HINT, engineCall, isUnreachable, translateEngineError } from './errors.js'
import { describeRuns, listActiveRuns, listEngineContainers } from './describe-runs.js'
import { watchEvents, type WatchOptions } from './events.js'
import * as images from './images.js'
import { FinishedLogs } from './finished-logs.js'
import { readLogs, runRef } from './logs.js'
import { PreparedRuns } from './prepared-runs.js'
import { killRun, removeContainers, startRun, stopRun } from './run.js'
import { isEmptyStats, networkBytes, statsOnce, statsStream, usageFromStats, type EngineStats, type NetworkMark } from './stats.js'
import { isoToMicros } from './time.js'

export interface DockerBackendOptions {
  /** The engine client; default: dockerode's default (DOCKER_HOST, else /var/run/docker.sock). */
  docker?: Dockerode
  /** Host address published ports bind to. @default '127.0.0.1' */
  publishHost?: string
  /** Extra labels set on every engine container and required when listing or watching (tests). */
  labels?: Record<string, string>
}

/**
 * Runs fargated's containers on a local Docker engine: one engine container per run, the
 * Fargate size applied as limits, the engine's events and stats in place of EventBridge and
 * Container Insights. Images are the engine's own: namespaces don't apply to them, and a short
 * name means what it means to `docker run` on this engine.
 */
export class DockerBackend implements ComputeBackend {
  readonly kind = 'docker' as const
  private readonly ctx: EngineContext
  private readonly networkMarks = new Map<string, NetworkMark>()
  /** Complete logs of exited runs: `docker logs` of a finished run reads no engine. */
  private readonly finishedLogs = new FinishedLogs()
  private readonly prepared: PreparedRuns

  constructor(options: DockerBackendOptions = {}) {
    this.ctx = {
      docker: options.docker ?? new Dockerode(),
      publishHost: options.publishHost ?? '127.0.0.1',
      labels: { ...(options.labels ?? {}) },
    }
    this.prepared = new PreparedRuns(this.ctx)
  }

  /** The engine client (for the Docker-compat routes that pass requests through). */
  get docker(): Dockerode {
    return this.ctx.docker
  }

  /** True when an engine answers `/_ping`. */
  async ping(): Promise<boolean> {
    try {
      await this.ctx.docker.ping()
      return true
    } catch {
      return false
    }
  }

  /** Engine version and OS; with no engine, `engineReachable: false` and how to start one (never throws for that). */
  async describe(): Promise<Record<string, string | number | boolean>> {
    try {
      const v = await this.ctx.docker.version()
      return {
        backend: 'docker',
        engineReachable: true,
        engineVersion: v.Version,
        engineApiVersion: v.ApiVersion,
        os: v.Os,
        arch: v.Arch,
        kernelVersion: v.KernelVersion ?? '',
        publishHost: this.ctx.publishHost,
      }
    } catch (error) {
      if (!isUnreachable(error)) throw translateEngineError(error)
      return { backend: 'docker', engineReachable: false, hint: `containers can't start until an engine runs: ${ENGINE_HINT}` }
    }
  }

  /** Local images have no namespace, and the engine runs its own platform: both are ignored. */
  resolveImage(_namespace: string, image: string, _platform?: ContainerSpec['platform']): Promise<ResolvedImage> {
    return images.resolveImage(this.ctx, image)
  }

  /** Creates the run's engine container while the core records the start (nothing runs yet). */
  prepareRun(input: StartRunInput): void {
    this.prepared.prepare(input)
  }

  startRun(input: StartRunInput): Promise<StartedRun> {
    return startRun(this.ctx, input, this.prepared)
  }

  stopRun(ref: string, options: { timeoutSeconds: number; reason: string }): Promise<void> {
    return stopRun(this.ctx, ref, options.timeoutSeconds)
  }

  killRun(ref: string, signal: string): Promise<void> {
    return killRun(this.ctx, ref, signal)
  }

  describeRuns(refs: string[]): Promise<RunObservation[]> {
    return describeRuns(this.ctx, refs)
  }

  listActiveRuns(): Promise<RunObservation[]> {
    return listActiveRuns(this.ctx)
  }

  logs(run: Run, options: LogOptions): AsyncIterable<LogLine> {
    return readLogs(this.ctx.docker, run, options, this.finishedLogs)
  }

  /** Removes (forced) every engine container of the container: the given runs and any labelled with its id. */
  async cleanup(container: Pick<Container, 'id' | 'namespace' | 'spec'>, runs: Run[]): Promise<void> {
    const labelled = await listEngineContainers({ ...this.ctx, labels: {} }, container.id)
    await removeContainers(this.ctx, [...runs.map(runRef), ...labelled.map((c) => c.Id)])
    for (const ref of runs.flatMap((r) => (r.ref ? [r.ref] : []))) {
      this.networkMarks.delete(ref)
      this.finishedLogs.delete(ref)
    }
  }

  listImages(_namespace: string): Promise<ImageInfo[]> {
    return images.listImages(this.ctx)
  }

  /** The engine's image inspect object; NotFoundError(`No such image: <ref>`) when missing. */
  inspectImage(ref: string): Promise<images.EngineImage> {
    return images.inspectImage(this.ctx, ref)
  }

  tagImage(source: string, repo: string, tag: string): Promise<void> {
    return images.tagImage(this.ctx, source, repo, tag)
  }

  removeImage(ref: string, options: { force?: boolean; noprune?: boolean } = {}): Promise<Record<string, string>[]> {
    return images.removeImage(this.ctx, ref, options)
  }

  /** Port shape of removeImage (no namespace locally): `docker rmi` without force. */
  deleteImage(_namespace: string, ref: string): Promise<{ deleted: string[] }> {
    return images.deleteImage(this.ctx, ref)
  }

  /** Port shape of tagImage (no namespace locally): `target` is `repo[:tag]`. */
  addImageTag(_namespace: string, source: string, target: string): Promise<void> {
    return images.addImageTag(this.ctx, source, target)
  }

  /** Pulls through the engine (fails with BackendError when the registry can't be reached). */
  pullImage(ref: string, options: Parameters<typeof images.pullImage>[2] = {}): Promise<void> {
    return images.pullImage(this.ctx, ref, options)
  }

  /**
   * Current usage of a running run, as one sample (the engine measures over about a second);
   * empty when the run is not running or gone. Network rates are per second since the previous
   * call for the run (the first call averages since the run started).
   */
  async usage(run: Run, since: number): Promise<UsageSample[]> {
    const ref = runRef(run)
    let stats: EngineStats
    try {
      stats = await statsOnce(this.ctx, ref)
    } catch (error) {
      if (error instanceof NotFoundError) return []
      throw error
    }
    if (isEmptyStats(stats)) return []
    const sample = usageFromStats(stats, this.networkMarks.get(ref), run.startedAt)
    this.networkMarks.set(ref, { time: isoToMicros(stats.read) / 1e6, bytes: networkBytes(stats) })
    return sample.time >= since ? [sample] : []
  }

  /** Raw engine stats (the Docker-compat `stats` body): one snapshot, or a stream about every second. */
  stats(run: Run, options?: { stream?: false }): Promise<EngineStats>
  stats(run: Run, options: { stream: true; signal?: AbortSignal }): AsyncIterable<EngineStats>
  stats(run: Run, options: { stream: boolean; signal?: AbortSignal }): Promise<EngineStats> | AsyncIterable<EngineStats>
  stats(run: Run, options: { stream?: boolean; signal?: AbortSignal } = {}): Promise<EngineStats> | AsyncIterable<EngineStats> {
    const ref = runRef(run)
    return options.stream ? statsStream(this.ctx, ref, options.signal) : statsOnce(this.ctx, ref)
  }

  /** `docker top`: the engine's `{Titles, Processes}` for a running run (ConflictError when not running). */
  top(run: Run, psArgs?: string): Promise<{ Titles: string[]; Processes: string[][] }> {
    return engineCall(() => this.ctx.docker.getContainer(runRef(run)).top(psArgs ? { ps_args: psArgs } : {}))
  }

  /** Engine events as RunObservations until `signal` aborts (see events.ts). */
  watchEvents(onObservation: (observation: RunObservation) => void, signal: AbortSignal, options?: WatchOptions): Promise<void> {
    return watchEvents(this.ctx, onObservation, signal, options)
  }
}
