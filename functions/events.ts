/**
 * The events Lambda. Three sources reach it:
 * - EventBridge "ECS Task State Change" (this cluster): the run and container state, the
 *   restart policy, and the next step of any rollout waiting on that run;
 * - EventBridge "ECR Image Action" PUSH/SUCCESS (the repository prefix): redeploy tracking
 *   containers;
 * - a CloudWatch Logs subscription on the Container Insights performance log group: usage
 *   samples for the reaper (idle stop, right-sizing).
 * Events repeat and reorder; every path is idempotent (newer-version writes, deduped pushes).
 * An error is thrown (so EventBridge retries, then the DLQ keeps it) only for failures worth
 * retrying; unknown event shapes are logged and dropped.
 */
import { readEnv } from '../shared/config/env.js'
import type { AwsRuntime } from '../shared/aws/aws-runtime.js'
import { LazyValue } from '../shared/aws/lazy-value.js'

/** A restart due within this many seconds is started by this invocation (Docker-like latency). */
const RESTART_INLINE_SECONDS = 20

const runtime = new LazyValue<AwsRuntime>(async () => (await import('../shared/aws/aws-runtime.js')).buildAwsRuntime(readEnv()))

/** Tests: use this runtime (or a factory); undefined restores the environment. */
export function setRuntimeForTest(value: AwsRuntime | (() => Promise<AwsRuntime>) | undefined): void {
  runtime.override(value)
}

function log(msg: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ msg, ...fields }))
}

export async function handler(event: unknown): Promise<Record<string, unknown>> {
  const rt = await runtime.get()
  const detailType = (event as { 'detail-type'?: unknown })?.['detail-type']

  const insights = await import('../shared/backends/ecs/container-insights.js')
  if (insights.isLogsSubscriptionEvent(event)) {
    const result = await insights.ingestContainerInsights(rt.store, event, { cluster: rt.env.cluster, taskFamilyPrefix: rt.env.taskFamilyPrefix })
    log('usage samples stored', result)
    return { kind: 'usage', ...result }
  }

  if (detailType === 'ECS Task State Change') {
    const { parseTaskStateChange } = await import('../shared/backends/ecs/task-state-event.js')
    const obs = parseTaskStateChange(event, { taskFamilyPrefix: rt.env.taskFamilyPrefix })
    if (!obs) return { kind: 'task', outcome: 'ignored' }
    const outcome = await rt.containers.observe(obs)
    await rt.hooks.rollouts.onObservation(obs)
    if (outcome === 'applied' && obs.lastStatus === 'STOPPED' && obs.containerId && obs.namespace) {
      const { restartWhenDue } = await import('../shared/core/reaper/index.js')
      await restartWhenDue(rt.containers.deps, obs.namespace, obs.containerId, RESTART_INLINE_SECONDS)
    }
    log('task state applied', { ref: obs.ref, status: obs.lastStatus, version: obs.version, outcome })
    return { kind: 'task', outcome }
  }

  if (detailType === 'ECR Image Action') {
    const { imagePushedFromEcr } = await import('../shared/backends/ecs/ecr-image-pushed.js')
    const push = imagePushedFromEcr(event, rt.env)
    if (!push) return { kind: 'image', outcome: 'ignored' }
    const results = await rt.hooks.rollouts.imagePushed(push)
    log('image pushed', { repository: push.repository, tag: push.tag, rollouts: results.length })
    return { kind: 'image', rollouts: results.length }
  }

  log('event ignored', { detailType: typeof detailType === 'string' ? detailType : undefined })
  return { kind: 'unknown', outcome: 'ignored' }
}
