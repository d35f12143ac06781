/** The reaper: one entry point (runReaperTick) for the scheduled Lambda and the local timer. */
export { runReaperTick, summarize } from './reaper-tick.js'
export { startDueRestart, isRestartDue, restartWhenDue } from './restarts.js'
export { acquireLease, releaseLease } from './lease.js'
export type { ReaperDeps, ReaperOptions, TickResult, TickError, OrphanPolicy } from './reaper-types.js'
