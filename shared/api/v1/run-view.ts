/** A run (one ECS task or engine container) as /v1 shows it. */
import { z } from '@hono/zod-openapi'
import type { Run } from '../../core/model.js'
import { SizeSchema, TASK_STATUS_VALUES } from './container-view.js'

export const RunViewSchema = z
  .object({
    number: z.number().int(),
    backend: z.enum(['ecs', 'docker']),
    ref: z.string().optional().openapi({ description: 'ECS task ARN or engine container id; absent until the runtime accepted the start' }),
    taskArn: z.string().optional(),
    image: z.string(),
    imageDigest: z.string().optional(),
    size: SizeSchema,
    capacity: z.enum(['on-demand', 'spot']),
    lastStatus: z.enum(TASK_STATUS_VALUES).openapi({ description: 'ECS lastStatus vocabulary' }),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    stoppingAt: z.string().optional(),
    stoppedAt: z.string().optional(),
    exitCode: z.number().int().nullable().optional(),
    stopCode: z.string().optional(),
    stoppedReason: z.string().optional(),
    stopCause: z.string().optional(),
    oomKilled: z.boolean().optional(),
    health: z.enum(['starting', 'healthy', 'unhealthy']).optional().openapi({ description: "The latest health check verdict the runtime reported; 'starting' = no verdict yet (ECS also reports that for a task without a check)" }),
    address: z.string().optional().openapi({ description: "The task's private IPv4 address (ECS)" }),
  })
  .openapi('Run')

export type RunView = z.infer<typeof RunViewSchema>

export function toRunView(r: Run): RunView {
  return {
    number: r.number,
    backend: r.backend,
    ref: r.ref,
    taskArn: r.backend === 'ecs' ? r.ref : undefined,
    image: r.image,
    imageDigest: r.imageDigest,
    size: { cpu: r.size.cpu, memory: r.size.memory, vcpu: r.size.cpu / 1024 },
    capacity: r.capacity,
    lastStatus: r.lastStatus,
    createdAt: r.createdAt,
    startedAt: r.startedAt,
    stoppingAt: r.stoppingAt,
    stoppedAt: r.stoppedAt,
    exitCode: r.exitCode,
    stopCode: r.stopCode,
    stoppedReason: r.stoppedReason,
    stopCause: r.stopCause,
    oomKilled: r.oomKilled,
    health: r.health,
    address: r.address,
  }
}
