import type Dockerode from 'dockerode'
import type { StartRunInput } from '../../core/ports.js'
import { configHash, containerConfig } from './container-config.js'
import type { EngineContext } from './engine-context.js'

interface Prepared {
  token: string
  /** The create body's hash (`fargated.config` label). */
  config: string | undefined
  created: Promise<Dockerode.Container | undefined>
  timer: NodeJS.Timeout
}

/**
 * Engine containers created ahead of their start (ComputeBackend.prepareRun), by engine name
 * (one per run of a container): the engine's create, its slowest step after the start itself,
 * overlaps fargated's own work (the `docker create` answer, the store writes before a start).
 * A created container runs nothing. startRun takes the one prepared for exactly its token and
 * settings; any other (a start with another idempotency seed, a `docker update` in between) is
 * removed and created again, and one no start takes is removed after `ttlMs`.
 */
export class PreparedRuns {
  private readonly byName = new Map<string, Prepared>()

  constructor(
    private readonly ctx: EngineContext,
    private readonly ttlMs = 10 * 60_000,
    /** Beyond this many waiting preparations (a bulk `docker create`) no more are made: starts then create their own. */
    private readonly maxPending = 64,
  ) {}

  /** Never throws: a spec the engine cannot take (secrets) is left to startRun to refuse. */
  prepare(input: StartRunInput): void {
    let options: Dockerode.ContainerCreateOptions
    try {
      options = containerConfig(input, this.ctx)
    } catch {
      return
    }
    const name = options.name!
    const config = configHash(options)
    const previous = this.byName.get(name)
    if (previous && previous.token === input.token && previous.config === config) return
    if (!previous && this.byName.size >= this.maxPending) return
    if (previous) clearTimeout(previous.timer)
    // Another preparation under this name is removed first; a failure (the name exists: a
    // retried start) leaves the work to startRun, which knows how.
    const created = (previous ? previous.created.then((c) => c?.remove({ force: true })) : Promise.resolve())
      .then(() => this.ctx.docker.createContainer(options))
      .catch(() => undefined)
    const timer = setTimeout(() => void this.discard(name), this.ttlMs)
    timer.unref()
    this.byName.set(name, { token: input.token, config, created, timer })
  }

  /** The engine container prepared for this token with exactly `options`, waiting for its create; else undefined (after removing one that differs). */
  async take(token: string, options: Dockerode.ContainerCreateOptions): Promise<Dockerode.Container | undefined> {
    const name = options.name!
    const entry = this.byName.get(name)
    if (!entry) return undefined
    this.byName.delete(name)
    clearTimeout(entry.timer)
    const container = await entry.created
    if (!container || (entry.token === token && entry.config === configHash(options))) return container
    await container.remove({ force: true }).catch(() => undefined)
    return undefined
  }

  /** Preparations not yet taken. */
  get pending(): number {
    return this.byName.size
  }

  private async discard(name: string): Promise<void> {
    const entry = this.byName.get(name)
    if (!entry) return
    this.byName.delete(name)
    const container = await entry.created
    await container?.remove({ force: true }).catch(() => undefined)
  }
}
