import type { Endpoint, RunHealth, RunObservation, TaskStatus } from '../../core/model.js'
import { runIdentity } from './labels.js'
import { isZeroTime, isoToMicros } from './time.js'

/** The part of an engine container inspect this backend reads. */
export interface EngineContainerView {
  Id: string
  Created: string
  State: {
    Status: string
    ExitCode: number
    OOMKilled: boolean
    StartedAt: string
    FinishedAt: string
    Error?: string
    Health?: { Status?: string }
  }
  Config: { Labels?: Record<string, string> | null }
  NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null }
}

/** ECS's words for an OOM kill, so both backends report it the same way. */
export const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage'

/**
 * Engine state → ECS-style lastStatus: created → PENDING (or STOPPED when the start failed),
 * running/restarting/paused → RUNNING, removing → DEPROVISIONING, exited/dead → STOPPED.
 */
export function taskStatus(state: EngineContainerView['State']): TaskStatus {
  switch (state.Status) {
    case 'created':
      return state.Error ? 'STOPPED' : 'PENDING'
    case 'running':
    case 'restarting':
    case 'paused':
      return 'RUNNING'
    case 'removing':
      return 'DEPROVISIONING'
    default:
      return 'STOPPED'
  }
}

/** The engine's port bindings (`"80/tcp": [{HostIp, HostPort}]`), one per container port, IPv4 first. */
export function publishedPorts(ports: NonNullable<EngineContainerView['NetworkSettings']>['Ports']): Endpoint[] {
  const out: Endpoint[] = []
  for (const [key, bindings] of Object.entries(ports ?? {})) {
    const [port, protocol] = key.split('/')
    const binding = (bindings ?? []).find((b) => b.HostPort && !b.HostIp?.includes(':')) ?? bindings?.find((b) => b.HostPort)
    if (!binding?.HostPort || !/^\d+$/.test(port)) continue
    out.push({ containerPort: Number(port), protocol: protocol === 'udp' ? 'udp' : 'tcp', ip: binding.HostIp || '0.0.0.0', port: Number(binding.HostPort) })
  }
  return out.sort((a, b) => a.containerPort - b.containerPort)
}

/** The engine's health status (State.Health.Status, or the `health_status: …` event suffix); none → undefined. */
export function engineHealth(status: string | undefined): RunHealth | undefined {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? status : undefined
}

/**
 * The observation of one engine container. `version` is the latest of Created, StartedAt and
 * FinishedAt in microseconds since the epoch: it grows with every state change the engine makes,
 * and engine events (stamped with their own, later, time) always sort after the inspect they follow.
 */
export function observe(info: EngineContainerView): RunObservation {
  const state = info.State
  const lastStatus = taskStatus(state)
  const times = [info.Created, state.StartedAt, state.FinishedAt].filter((t) => !isZeroTime(t))
  const version = Math.max(...times.map(isoToMicros))
  const obs: RunObservation = { ref: info.Id, ...runIdentity(info.Config.Labels ?? undefined), lastStatus, version }
  if (!isZeroTime(state.StartedAt)) obs.startedAt = state.StartedAt
  const health = engineHealth(state.Health?.Status)
  if (health && lastStatus === 'RUNNING') obs.health = health
  const endpoints = lastStatus === 'RUNNING' ? publishedPorts(info.NetworkSettings?.Ports) : []
  if (endpoints.length) obs.endpoints = endpoints
  if (lastStatus === 'STOPPED') {
    obs.exitCode = state.ExitCode
    obs.oomKilled = state.OOMKilled
    if (!isZeroTime(state.FinishedAt)) obs.stoppedAt = state.FinishedAt
    if (state.OOMKilled) obs.stoppedReason = OOM_REASON
    else if (state.Error) obs.stoppedReason = state.Error
    obs.reason = state.Error ? `failed to start: ${state.Error}` : `exited with code ${state.ExitCode}`
  }
  for (const k of Object.keys(obs) as (keyof RunObservation)[]) if (obs[k] === undefined) delete obs[k]
  return obs
}
