import { formatDuration } from '../durations.js'
import { formatSize, type FargateSize } from '../fargate-sizes.js'
import type { StopCause } from '../model.js'
import type { UsageSample } from '../ports.js'
import type { ContainerSpec } from '../spec.js'
import { evaluateIdle } from './idle-policy.js'
import { evaluateLifetime } from './lifetime-policy.js'

export interface StopInput {
  spec: Pick<ContainerSpec, 'idle' | 'maxLifetime'>
  size: FargateSize
  startedAt: number
  now: number
  samples: readonly UsageSample[]
  sampleStep?: number
}

export interface StopDecision {
  cause: Extract<StopCause, 'idle' | 'lifetime'>
  /** For the run's stop reason and `docker events`. */
  reason: string
}

/**
 * What the reaper does with one running run: stop it for its max lifetime (checked first, it
 * needs no usage) or for idleness, or leave it running (undefined).
 */
export function evaluateStop({ spec, size, startedAt, now, samples, sampleStep }: StopInput): StopDecision | undefined {
  const lifetime = evaluateLifetime({ maxLifetime: spec.maxLifetime, startedAt, now })
  if (lifetime.expired) {
    return { cause: 'lifetime', reason: `reached its max lifetime of ${formatDuration(spec.maxLifetime ?? 0)}` }
  }
  if (!spec.idle) return undefined
  const idle = evaluateIdle({ policy: spec.idle, size, startedAt, now, samples, sampleStep })
  if (!idle.idle) return undefined
  const { cpuPercent, networkBytesPerSec } = spec.idle
  return {
    cause: 'idle',
    reason: `idle for ${formatDuration(now - idle.idleSince)} (CPU ≤ ${cpuPercent}% of ${formatSize(size)}, network ≤ ${networkBytesPerSec} B/s)`,
  }
}
