import type { CoreDeps } from '../core-deps.js'
import type { Run, RunHealth as Health } from '../model.js'
import type { RepositoryNaming } from './image-pushed.js'

/** What a new run's health check says; undefined when the runtime does not report health. */
export type RunHealth = Health | undefined

export interface RolloutDeps extends CoreDeps {
  naming: RepositoryNaming
  /** How long a new run may take to be running (and healthy). @default 300 */
  timeoutSeconds?: number
  /**
   * A new run must have been RUNNING this long before it replaces the old one (catches a run
   * that crashes right after it starts, when there is no health check). @default 0
   */
  settleSeconds?: number
  /** Health of a run whose spec has a health check; default: the run's stored health (ECS healthStatus, engine State.Health, from the runtime's events). */
  health?: (run: Run) => Promise<RunHealth>
  /** Makes an image available to the runtime before it is resolved (local: pull from the registry). */
  prepareImage?: (image: string) => Promise<void>
  /**
   * Long-lived processes (local mode): drive each started rollout to its end in the background.
   * Lambdas leave it off and let the reaper tick (advanceAll) and run events (onObservation) finish them.
   */
  background?: boolean
  /** Waits between polls while driving a rollout (tests pass a fast one). */
  sleep?: (ms: number) => Promise<void>
}

/** What to roll a container out to. */
export interface RolloutTarget {
  /** The reference to resolve and run (`app@sha256:…`, or the spec image itself). */
  image: string
  /** The spec image once the rollout succeeds (`app:1.4.0`). */
  specImage: string
  digest?: string
  tag?: string
  /** What asked for it, for the event (`push`, `hook hk_…`). */
  cause: string
  /** Seeds the new run's runtime token: the same key never starts a second task. */
  key: string
}

/** The rollout in progress for a container; its record is the container's rollout lease. */
export interface RolloutRecord {
  namespace: string
  containerId: string
  target: RolloutTarget
  oldRunNumber: number
  newRunNumber: number
  newRef?: string
  digest?: string
  startedAt: string
  /** ISO time after which the new run counts as failed. */
  deadline: string
}

export type RolloutOutcome = 'started' | 'succeeded' | 'failed' | 'queued' | 'skipped'

export interface RolloutResult {
  namespace: string
  containerId: string
  name: string
  outcome: RolloutOutcome
  reason?: string
  digest?: string
  runNumber?: number
}

export const ROLLOUT_KIND = 'rollout'
export const ROLLOUT_NEXT_KIND = 'rollout-next'
/** Rollout records live in one partition so a tick can list every one in progress. */
export const ROLLOUT_NAMESPACE = '_'

export function rolloutId(namespace: string, containerId: string): string {
  return `${namespace}.${containerId}`
}
