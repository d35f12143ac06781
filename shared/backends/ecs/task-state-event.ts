/**
 * EventBridge "ECS Task State Change" → RunObservation (aws-facts §3.1). The detail mirrors
 * DescribeTasks' Task with ISO-string times; `detail.version` orders events of one task
 * (duplicates repeat a version; the store applies only newer ones).
 */
import { z } from 'zod'
import { InvalidRequestError } from '../../core/errors.js'
import type { RunObservation } from '../../core/model.js'
import { isFargatedTask, toObservation } from './task-observation.js'

export const TASK_STATE_CHANGE = 'ECS Task State Change'

const EnvelopeSchema = z.object({
  source: z.string(),
  'detail-type': z.string(),
  detail: z.unknown(),
})

const DetailSchema = z.object({
  taskArn: z.string().min(1),
  lastStatus: z.string().min(1),
  version: z.number().int().nonnegative(),
  desiredStatus: z.string().optional(),
  startedBy: z.string().optional(),
  taskDefinitionArn: z.string().optional(),
  stopCode: z.string().optional(),
  stoppedReason: z.string().optional(),
  startedAt: z.string().optional(),
  stoppingAt: z.string().optional(),
  stoppedAt: z.string().optional(),
  containers: z
    .array(
      z.object({
        name: z.string().optional(),
        exitCode: z.number().int().nullable().optional(),
        reason: z.string().optional(),
        healthStatus: z.string().optional(),
        networkInterfaces: z.array(z.object({ privateIpv4Address: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  healthStatus: z.string().optional(),
  attachments: z
    .array(z.object({ type: z.string().optional(), details: z.array(z.object({ name: z.string().optional(), value: z.string().optional() })).optional() }))
    .optional(),
  tags: z.array(z.object({ key: z.string().optional(), value: z.string().optional() })).optional(),
})

/**
 * Parses one EventBridge event. Returns undefined for events that are not an ECS Task State
 * Change or that concern a task fargated did not start; throws InvalidRequestError when an
 * ECS Task State Change does not have the expected shape.
 */
export function parseTaskStateChange(event: unknown, options: { taskFamilyPrefix: string }): RunObservation | undefined {
  const envelope = EnvelopeSchema.safeParse(event)
  if (!envelope.success || envelope.data.source !== 'aws.ecs' || envelope.data['detail-type'] !== TASK_STATE_CHANGE) return undefined
  const detail = DetailSchema.safeParse(envelope.data.detail)
  if (!detail.success) {
    const issues = detail.error.issues.map((i) => `${i.path.join('.') || 'detail'}: ${i.message}`).join('; ')
    throw new InvalidRequestError(`malformed ${TASK_STATE_CHANGE} event: ${issues}`)
  }
  if (!isFargatedTask(detail.data, options.taskFamilyPrefix)) return undefined
  return toObservation(detail.data, options.taskFamilyPrefix)
}
