import type { ApiDeps } from '../api/context.js'
import { runReaperTick, summarize, type ReaperOptions } from '../core/reaper/index.js'
import type { RolloutService } from '../core/rollout/index.js'
import { usageSourceFor } from '../core/usage/usage-source.js'

/**
 * Local mode's stand-in for the every-minute schedule: one reaper tick (reconcile, due
 * restarts, idle and lifetime stops, recommendations, usage sampling from the engine) every
 * `intervalSeconds`, never two at once, then rollouts are advanced. `options` tune the tick
 * (LocalConfig.reaper).
 */
export function startReaperTimer(
  deps: ApiDeps,
  intervalSeconds: number,
  log: (m: string) => void,
  options: Omit<ReaperOptions, 'log' | 'owner'> = {},
): { stop(): void; tick(): Promise<void> } {
  const usage = usageSourceFor(deps.store, deps.backend)
  const rollouts = deps.extras?.rollouts as RolloutService | undefined
  let running: Promise<void> | undefined
  let stopped = false
  const tick = (): Promise<void> => {
    running ??= (async () => {
      try {
        const result = await runReaperTick({ ...deps.containers.deps, usage }, { ...options, log: (m, fields) => { if (m !== 'reaper tick') log(`reaper: ${m}${fields ? ` ${JSON.stringify(fields)}` : ''}`) } })
        if (result.stopped.length || result.restarted.length || result.repaired.length || result.errors.length) log(`reaper: ${JSON.stringify(summarize(result))}`)
        await rollouts?.advanceAll()
      } catch (err) {
        log(`reaper: tick failed: ${(err as Error).message}`)
      } finally {
        running = undefined
      }
    })()
    return running
  }
  const timer = setInterval(() => {
    if (!stopped) void tick()
  }, intervalSeconds * 1000)
  timer.unref()
  return {
    stop() {
      stopped = true
      clearInterval(timer)
    },
    tick,
  }
}
