import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  decodeSubscriptionEvent,
  ingestContainerInsights,
  isLogsSubscriptionEvent,
  parseContainerInsights,
  parsePerformanceEvent,
  type LogsSubscriptionEvent,
} from '../../../shared/backends/ecs/container-insights.js'
import { InvalidRequestError } from '../../../shared/core/errors.js'
import type { Run } from '../../../shared/core/model.js'
import { StoredUsageSource } from '../../../shared/core/usage/usage-source.js'
import { ManualClock, startTestStore, type TestStore } from '../../support/dynalite.js'

const TS = Date.parse('2026-03-02T10:05:00Z')
const TASK_ID = '7ac4dfba69214411b4783a3b8189c9ba'

/** A Type: Task performance event as Container Insights writes it (aws-facts §4.2). */
function taskEvent(over: Record<string, unknown> = {}) {
  return {
    Version: '0',
    Type: 'Task',
    TaskId: TASK_ID,
    TaskDefinitionFamily: 'fargated-default-0123456789abcdef',
    TaskDefinitionRevision: '1',
    ClusterName: 'fargated',
    AccountID: '123456789012',
    Region: 'us-east-1',
    AvailabilityZone: 'us-east-1a',
    KnownStatus: 'RUNNING',
    LaunchType: 'FARGATE',
    CreatedAt: TS - 600_000,
    StartedAt: TS - 590_000,
    Timestamp: TS,
    CpuUtilized: 12.5,
    CpuReserved: 256.0,
    MemoryUtilized: 48,
    MemoryReserved: 512,
    StorageReadBytes: 0,
    StorageWriteBytes: 1024,
    NetworkRxBytes: 300,
    NetworkRxDropped: 0,
    NetworkTxBytes: 200,
    EphemeralStorageReserved: 21.0,
    CloudWatchMetrics: [{ Namespace: 'ECS/ContainerInsights', Metrics: [{ Name: 'CpuUtilized', Unit: 'None' }], Dimensions: [['ClusterName']] }],
    ...over,
  }
}

/** The Lambda event a CloudWatch Logs subscription delivers: base64(gzip(JSON)). */
function subscription(messages: unknown[], messageType = 'DATA_MESSAGE'): LogsSubscriptionEvent {
  const payload = {
    messageType,
    owner: '123456789012',
    logGroup: '/aws/ecs/containerinsights/fargated/performance',
    logStream: 'FargateTelemetry-1234',
    subscriptionFilters: ['fargated-task-usage'],
    logEvents: messages.map((m, i) => ({ id: String(i), timestamp: TS + i, message: typeof m === 'string' ? m : JSON.stringify(m) })),
  }
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(payload))).toString('base64') } }
}

describe('Container Insights payload parsing', () => {
  it('recognises and decodes a subscription event', () => {
    const event = subscription([taskEvent()])
    expect(isLogsSubscriptionEvent(event)).toBe(true)
    expect(isLogsSubscriptionEvent({ detail: {} })).toBe(false)
    expect(isLogsSubscriptionEvent(null)).toBe(false)
    const data = decodeSubscriptionEvent(event)
    expect(data.logGroup).toBe('/aws/ecs/containerinsights/fargated/performance')
    expect(data.logEvents).toHaveLength(1)
  })

  it('turns a Task event into a sample: CPU units, MiB, rx+tx bytes/s, Timestamp in ms', () => {
    const { samples, skipped } = parseContainerInsights(decodeSubscriptionEvent(subscription([taskEvent()])))
    expect(skipped).toBe(0)
    expect(samples).toEqual([
      {
        taskId: TASK_ID,
        cluster: 'fargated',
        family: 'fargated-default-0123456789abcdef',
        sample: { time: TS / 1000, cpuUnits: 12.5, memoryMiB: 48, networkBytesPerSec: 500 },
      },
    ])
  })

  it('skips Container events, bad JSON and events without CPU or memory', () => {
    const container = { ...taskEvent(), Type: 'Container', ContainerName: 'main' }
    const noCpu = taskEvent({ CpuUtilized: undefined })
    const { samples, skipped } = parseContainerInsights(decodeSubscriptionEvent(subscription([container, '{not json', noCpu, taskEvent()])))
    expect(samples).toHaveLength(1)
    expect(skipped).toBe(3)
  })

  it('uses the log event time when the Timestamp is missing and accepts numeric strings', () => {
    const parsed = parsePerformanceEvent(JSON.stringify(taskEvent({ Timestamp: undefined, CpuUtilized: '3.5' })), TS + 42)
    expect(parsed?.sample).toMatchObject({ time: (TS + 42) / 1000, cpuUnits: 3.5 })
  })

  it('filters by cluster (name or ARN) and by fargated task family prefix', () => {
    const data = decodeSubscriptionEvent(subscription([taskEvent(), taskEvent({ TaskId: 'other', TaskDefinitionFamily: 'someone-else' }), taskEvent({ TaskId: 'x', ClusterName: 'prod' })]))
    expect(parseContainerInsights(data, { taskFamilyPrefix: 'fargated' }).samples.map((s) => s.taskId)).toEqual([TASK_ID, 'x'])
    expect(parseContainerInsights(data, { cluster: 'arn:aws:ecs:us-east-1:123456789012:cluster/fargated' }).samples.map((s) => s.taskId)).toEqual([TASK_ID, 'other'])
  })

  it('ignores control messages', () => {
    expect(parseContainerInsights(decodeSubscriptionEvent(subscription([taskEvent()], 'CONTROL_MESSAGE'))).samples).toEqual([])
  })

  it('rejects a payload that is not gzipped JSON', () => {
    expect(() => decodeSubscriptionEvent({ awslogs: { data: Buffer.from('plain').toString('base64') } })).toThrow(InvalidRequestError)
  })
})

describe('ingestContainerInsights', () => {
  let ts: TestStore
  beforeAll(async () => {
    ts = await startTestStore({ clock: new ManualClock(TS) })
  })
  afterAll(async () => ts.close())

  it('stores samples per task where the reaper reads them by the run ARN', async () => {
    const events = [0, 1, 2].map((m) => taskEvent({ Timestamp: TS + m * 60_000, CpuUtilized: m }))
    const out = await ingestContainerInsights(ts.store, subscription([...events, taskEvent({ TaskId: 'b'.repeat(32) })]))
    expect(out).toEqual({ tasks: 2, samples: 4, stored: 4, skipped: 0 })

    const again = await ingestContainerInsights(ts.store, subscription(events))
    expect(again.stored).toBe(0)

    const run = { ref: `arn:aws:ecs:us-east-1:123456789012:task/fargated/${TASK_ID}` } as Run
    const samples = await new StoredUsageSource(ts.store).samples(run, TS / 1000, TS / 1000 + 3600)
    expect(samples.map((s) => s.cpuUnits)).toEqual([0, 1, 2])
  })
})
