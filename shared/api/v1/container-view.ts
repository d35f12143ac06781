/** The one shape a container has on /v1, and the mapping from the core's Container and Run. */
import { z } from '@hono/zod-openapi'
import { shortId } from '../../core/ids.js'
import type { Container, Run } from '../../core/model.js'
import type { Store } from '../../core/ports.js'
import { ContainerSpecInputSchema } from '../../core/spec.js'
import { TASK_STATUSES } from '../../core/state.js'

const STATUSES = ['created', 'running', 'restarting', 'removing', 'exited', 'dead'] as const
const STOP_CAUSES = ['exited', 'user', 'idle', 'lifetime', 'oom', 'spot', 'failed-to-start', 'redeploy', 'resize', 'lost'] as const
export const TASK_STATUS_VALUES = TASK_STATUSES as unknown as readonly [Run['lastStatus'], ...Run['lastStatus'][]]

export const SizeSchema = z
  .object({
    cpu: z.number().int().openapi({ description: 'CPU units (1024 = 1 vCPU)', example: 256 }),
    memory: z.number().int().openapi({ description: 'Memory in MiB', example: 512 }),
    vcpu: z.number().openapi({ description: 'cpu / 1024', example: 0.25 }),
  })
  .openapi('Size')

const PairSchema = z.object({ cpu: z.number().int(), memory: z.number().int() })

export const ContainerStateSchema = z
  .object({
    status: z.enum(STATUSES).openapi({ description: "Docker's State.Status" }),
    detail: z.string().optional().openapi({ description: 'More than the status says, e.g. "Starting (PENDING)" or "Stopping"' }),
    running: z.boolean(),
    exitCode: z.number().int().nullable(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    oomKilled: z.boolean(),
    stopCause: z.enum(STOP_CAUSES).optional().openapi({ description: "fargated's cause for the last stop" }),
    stopReason: z.string().optional().openapi({ description: "The runtime's own words (ECS stoppedReason)" }),
    error: z.string().optional(),
    health: z.enum(['starting', 'healthy', 'unhealthy']).optional().openapi({ description: 'The health check verdict on the running run (with a spec health check)' }),
    endpoints: z
      .array(z.object({ containerPort: z.number().int(), protocol: z.enum(['tcp', 'udp']), ip: z.string(), port: z.number().int() }))
      .optional()
      .openapi({ description: "Where the running run's published ports answer: the engine's bindings locally, the task's address on Fargate" }),
  })
  .openapi('ContainerState')

export const RecommendationSchema = z
  .object({
    size: PairSchema,
    current: PairSchema,
    basis: z.object({ samples: z.number(), p95CpuUnits: z.number(), peakMemoryMiB: z.number(), lookbackSeconds: z.number() }),
    monthlyCostCurrent: z.number(),
    monthlyCostRecommended: z.number(),
    updatedAt: z.string(),
    reason: z.string().optional(),
  })
  .openapi('Recommendation')

export const CurrentRunSchema = z
  .object({
    number: z.number().int(),
    ref: z.string().optional().openapi({ description: 'Runtime reference: ECS task ARN or engine container id' }),
    taskArn: z.string().optional().openapi({ description: 'The ECS task ARN (ECS backend only)' }),
    lastStatus: z.enum(TASK_STATUS_VALUES),
    capacity: z.enum(['on-demand', 'spot']),
    startedAt: z.string().optional(),
    stoppedAt: z.string().optional(),
  })
  .openapi('CurrentRun')

/**
 * The spec as stored: defaults applied, durations in seconds, byte sizes in bytes. (`.extend({})`
 * makes a copy created after @hono/zod-openapi loaded: zod 4 gives `.openapi()` only to schemas
 * created after the extension, and the core's schemas may predate it.)
 */
export const StoredSpecSchema = ContainerSpecInputSchema.extend({}).openapi('ContainerSpec', {
  description: 'The spec as stored: the input with defaults applied, durations in seconds and byte sizes in bytes',
})

export const ContainerViewSchema = z
  .object({
    id: z.string().openapi({ description: '64 hex characters', example: 'f3c9...' }),
    shortId: z.string().openapi({ example: 'f3c91a2b7d4e' }),
    name: z.string().openapi({ example: 'web' }),
    namespace: z.string().openapi({ example: 'default' }),
    image: z.string().openapi({ example: 'nginx:1.27' }),
    imageDigest: z.string().optional(),
    state: ContainerStateSchema,
    spec: StoredSpecSchema,
    size: SizeSchema.openapi({ description: 'The Fargate size the next (or current) run uses' }),
    createdAt: z.string(),
    runNumber: z.number().int().openapi({ description: 'Number of the current or last run; 0 before the first start' }),
    restartCount: z.number().int(),
    restartAt: z.string().optional().openapi({ description: 'When the restart policy starts the next run' }),
    recommendation: RecommendationSchema.optional(),
    costToDate: z.number().optional().openapi({ description: 'Estimated cost of finished runs, USD' }),
    run: CurrentRunSchema.optional().openapi({ description: 'The current or last run (single-container responses)' }),
  })
  .openapi('Container')

export type ContainerView = z.infer<typeof ContainerViewSchema>

function currentRunView(run: Run): z.infer<typeof CurrentRunSchema> {
  return {
    number: run.number,
    ref: run.ref,
    taskArn: run.backend === 'ecs' ? run.ref : undefined,
    lastStatus: run.lastStatus,
    capacity: run.capacity,
    startedAt: run.startedAt,
    stoppedAt: run.stoppedAt,
  }
}

/** The /v1 view of a container (with its current run when the caller has it). */
export function toContainerView(c: Container, run?: Run): ContainerView {
  const s = c.state
  return {
    id: c.id,
    shortId: shortId(c.id),
    name: c.name,
    namespace: c.namespace,
    image: c.spec.image,
    imageDigest: c.imageDigest,
    state: {
      status: s.status,
      detail: s.detail,
      running: s.running,
      exitCode: s.exitCode,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      oomKilled: s.oomKilled,
      stopCause: s.stopCause,
      stopReason: s.stopReason,
      error: s.error,
      health: s.health,
      endpoints: s.endpoints,
    },
    spec: c.spec,
    size: { cpu: c.size.cpu, memory: c.size.memory, vcpu: c.size.cpu / 1024 },
    createdAt: c.createdAt,
    runNumber: c.runNumber,
    restartCount: c.restartCount,
    restartAt: c.restartAt,
    recommendation: c.recommendation,
    costToDate: c.costToDate,
    run: run && run.number === c.runNumber ? currentRunView(run) : undefined,
  }
}

/** The view with the current run: one extra read, for single-container responses. */
export async function containerViewWithRun(store: Pick<Store, 'getRun'>, c: Container): Promise<ContainerView> {
  const run = c.runNumber > 0 ? await store.getRun(c.id, c.runNumber) : undefined
  return toContainerView(c, run)
}
