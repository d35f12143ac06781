import type { ApiDeps } from '../api/context.js'

/** Placeholder until the reaper lands: the timer that runs it in local mode. */
export function startReaperTimer(_deps: ApiDeps, _intervalSeconds: number, _log: (m: string) => void): { stop(): void } {
  return { stop() {} }
}
