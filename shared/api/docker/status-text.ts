import type { ContainerState } from '../../core/model.js'
import type { ContainerSpec } from '../../core/spec.js'

/** go-units HumanDuration, which the engine uses for `docker ps` STATUS. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  if (seconds < 1) return 'Less than a second'
  if (seconds === 1) return '1 second'
  if (seconds < 60) return `${seconds} seconds`
  const minutes = Math.floor(seconds / 60)
  if (minutes === 1) return 'About a minute'
  if (minutes < 60) return `${minutes} minutes`
  const hours = Math.round(seconds / 3600)
  if (hours === 1) return 'About an hour'
  if (hours < 48) return `${hours} hours`
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`
  return `${Math.floor(seconds / 3600 / 24 / 365)} years`
}

function since(iso: string | undefined, now: Date): string {
  const t = iso ? Date.parse(iso) : NaN
  return humanDuration(Number.isNaN(t) ? 0 : Math.max(0, now.getTime() - t))
}

/** The engine's suffix: " (healthy)", " (unhealthy)", " (health: starting)". */
function healthText(state: ContainerState): string {
  if (!state.health) return ''
  return state.health === 'starting' ? ' (health: starting)' : ` (${state.health})`
}

/**
 * `docker ps` STATUS: "Up 5 minutes", "Exited (0) 2 minutes ago", "Created",
 * "Restarting (1) 3 seconds ago", "Dead", and fargated's runtime phases ("Starting (PENDING)",
 * "Stopping") while a task is not yet or no longer running.
 */
export function statusText(state: ContainerState, now: Date): string {
  switch (state.status) {
    case 'running':
      return state.detail ?? `Up ${since(state.startedAt, now)}${healthText(state)}`
    case 'restarting':
      return `Restarting (${state.exitCode ?? 0}) ${since(state.finishedAt, now)} ago`
    case 'removing':
      return 'Removal In Progress'
    case 'dead':
      return 'Dead'
    case 'created':
      return 'Created'
    case 'exited':
      return state.finishedAt ? `Exited (${state.exitCode ?? 0}) ${since(state.finishedAt, now)} ago` : `Exited (${state.exitCode ?? 0})`
  }
}

/** Docker's Path and Args: the entrypoint's first word, then the rest and the command. */
export function pathAndArgs(spec: Pick<ContainerSpec, 'cmd' | 'entrypoint'>): { path: string; args: string[] } {
  const words = [...(spec.entrypoint ?? []), ...(spec.cmd ?? [])]
  return { path: words[0] ?? '', args: words.slice(1) }
}

/** `docker ps` COMMAND as the engine builds it: arguments with a space are single-quoted. */
export function commandLine(spec: Pick<ContainerSpec, 'cmd' | 'entrypoint'>): string {
  const { path, args } = pathAndArgs(spec)
  if (args.length === 0) return path
  return `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`
}
