/**
 * The reaper Lambda (EventBridge schedule, every minute): one runReaperTick — reconcile with
 * ECS, orphan scan, due restarts, idle and max-lifetime stops, size recommendations. Usage is
 * read from the store (Container Insights samples stored by the events function), so the only
 * AWS calls besides DynamoDB are DescribeTasks for the running tasks, StopTask for the stops
 * and, every 10 minutes, the orphan scan's ListTasks + DescribeTasks.
 *
 * Module init is cheap: the store, the ECS backend and their clients are built on the first
 * invocation (dynamic imports) and reused by warm invocations. A tick that overlaps a running
 * one (schedule retry, slow tick) finds the lease held and returns at once. Per-container
 * failures are in the returned summary and the log line; the invocation itself succeeds so
 * the scheduler does not retry a whole tick.
 */
import { LazyValue } from '../shared/aws/lazy-value.js'
import { ENV, readEnv, type AwsEnv } from '../shared/config/env.js'
import type { ReaperDeps, ReaperOptions, OrphanPolicy } from '../shared/core/reaper/index.js'

const lazyDeps = new LazyValue<ReaperDeps>(() => buildReaperDeps(readEnv()))

const ORPHAN_POLICIES: readonly OrphanPolicy[] = ['stop', 'adopt', 'ignore']

/** FARGATED_ORPHAN_POLICY, checked: stop (default, also for an unknown value), adopt or ignore. */
export function orphanPolicyOf(value: string | undefined): OrphanPolicy {
  return ORPHAN_POLICIES.find((p) => p === value) ?? 'stop'
}

/** The production composition root for the reaper: the shared AWS runtime, stored usage. */
export async function buildReaperDeps(env: AwsEnv): Promise<ReaperDeps & { rollouts?: { advanceAll(): Promise<unknown> } }> {
  const [{ buildAwsRuntime }, { StoredUsageSource }] = await Promise.all([
    import('../shared/aws/aws-runtime.js'),
    import('../shared/core/usage/usage-source.js'),
  ])
  const rt = await buildAwsRuntime(env)
  return { store: rt.store, backend: rt.backend, clock: rt.clock, usage: new StoredUsageSource(rt.store), rollouts: rt.hooks.rollouts }
}


/** Tests: use these deps (or a factory) instead of the environment; undefined restores it. */
export function setReaperDepsForTest(value: ReaperDeps | (() => Promise<ReaperDeps>) | undefined): void {
  lazyDeps.override(value)
}

function log(message: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ msg: message, ...fields }))
}

/** The part of the Lambda context the handler reads. */
export interface ReaperContext {
  getRemainingTimeInMillis?: () => number
}

export const handler = async (_event?: unknown, context?: ReaperContext): Promise<Record<string, unknown>> => {
  const { runReaperTick, summarize } = await import('../shared/core/reaper/index.js')
  const options: ReaperOptions = { log, orphanPolicy: orphanPolicyOf(process.env[ENV.orphanPolicy]) }
  // The lease outlives this invocation by a few seconds at most: a tick killed at the timeout
  // does not keep the next ticks out for long.
  const remaining = context?.getRemainingTimeInMillis?.()
  if (remaining !== undefined && remaining > 0) options.leaseSeconds = Math.ceil(remaining / 1000) + 5
  const deps = await lazyDeps.get()
  const result = await runReaperTick(deps, options)
  // Rollouts started by push events are driven to their end here and by run events.
  const rollouts = (deps as { rollouts?: { advanceAll(): Promise<unknown> } }).rollouts
  const advanced = await rollouts?.advanceAll().catch((err: unknown) => ({ error: String(err) }))
  return { ...summarize(result), rollouts: advanced }
}
