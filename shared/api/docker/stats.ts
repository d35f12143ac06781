import type { Hono } from 'hono'
import { NotFoundError } from '../../core/errors.js'
import type { Container, Run } from '../../core/model.js'
import type { UsageSample } from '../../core/ports.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { canStats, isAsyncIterable } from './backend-capabilities.js'
import { namespaceOf } from './docker-auth.js'
import { fromEngineStats, statsFromUsage, zeroStats } from './stats-json.js'
import { sleep } from '../../core/sleep.js'
import { streamBody } from './streams.js'

/** `docker stats` redraws about every second. */
export const STATS_INTERVAL_MS = 1000
/** Usage sources sample per minute (Container Insights): re-read them this often while streaming. */
export const USAGE_REFRESH_MS = 30_000
/** How far back the latest usage sample is looked for. */
const USAGE_LOOKBACK_S = 300

async function latestUsage(deps: ApiDeps, run: Run): Promise<UsageSample | undefined> {
  if (!deps.backend.usage) return undefined
  const now = deps.clock.now().getTime() / 1000
  const samples = await deps.backend.usage(run, now - USAGE_LOOKBACK_S).catch(() => [] as UsageSample[])
  return samples.sort((a, b) => a.time - b.time).at(-1)
}

/** One snapshot (stream=0): computed before answering, so a failure is a JSON error. */
async function snapshot(deps: ApiDeps, container: Container, run: Run): Promise<Record<string, unknown>> {
  if (!canStats(deps.backend)) return statsFromUsage(container, await latestUsage(deps, run), deps.clock.now())
  try {
    const result = deps.backend.stats(run, { stream: false })
    if (!isAsyncIterable(result)) return fromEngineStats(container, await result)
    for await (const s of result) return fromEngineStats(container, s)
    return zeroStats(container)
  } catch (err) {
    if (err instanceof NotFoundError) return zeroStats(container)
    throw err
  }
}

async function* engineStream(deps: ApiDeps, container: Container, run: Run, signal: AbortSignal): AsyncGenerator<string> {
  if (!canStats(deps.backend)) return
  const result = deps.backend.stats(run, { stream: true, signal })
  if (!isAsyncIterable(result)) {
    yield `${JSON.stringify(fromEngineStats(container, await result))}\n`
    return
  }
  try {
    for await (const s of result) {
      if (signal.aborted) return
      yield `${JSON.stringify(fromEngineStats(container, s))}\n`
    }
  } catch (err) {
    if (!signal.aborted && !(err instanceof NotFoundError)) throw err
  }
}

async function* usageStream(deps: ApiDeps, container: Container, run: Run, signal: AbortSignal): AsyncGenerator<string> {
  let sample = await latestUsage(deps, run)
  let readAt = Date.now()
  for (;;) {
    yield `${JSON.stringify(statsFromUsage(container, sample, deps.clock.now()))}\n`
    await sleep(STATS_INTERVAL_MS, signal)
    if (signal.aborted) return
    if (Date.now() - readAt >= USAGE_REFRESH_MS) {
      const fresh = await deps.store.getContainer(container.namespace, container.id)
      if (!fresh?.state.running || fresh.runNumber !== run.number) return
      sample = await latestUsage(deps, run)
      readAt = Date.now()
    }
  }
}

/**
 * GET /containers/{id}/stats?stream= : the engine's own stats when the backend has them
 * (local mode), else built from the usage source; a stopped container gets one zeroed object.
 * stream=1 (the default, plain `docker stats`) sends one object about every second.
 */
export function registerStats(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/containers/:id/stats', async (c) => {
    const { container, run } = await deps.containers.inspect(namespaceOf(c), c.req.param('id'))
    const raw = c.req.query('stream')
    const stream = raw === undefined ? true : !['0', 'false', 'False'].includes(raw)
    if (!container.state.running || !run?.ref) return c.json(zeroStats(container))
    if (!stream) return c.json(await snapshot(deps, container, run))
    const produce = (signal: AbortSignal) => (canStats(deps.backend) ? engineStream(deps, container, run, signal) : usageStream(deps, container, run, signal))
    return new Response(streamBody(produce, c.req.raw.signal), { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
}
