/**
 * A simulated ECS behind the real ECSClient (aws-sdk-client-mock at the SDK boundary), so the
 * benchmark drives the real EcsBackend and SdkAwsGateway. Each call sleeps 20–50 ms (seeded),
 * DescribeTasks refuses more than 100 ids as ECS does, and a token bucket per action stands in
 * for ECS throttling: a call over the rate waits for a token, as the SDK's retry with backoff
 * would, and the wait is counted. The bucket sizes are ASSUMPTIONS (aws-facts §10.1: the
 * per-action ECS throttle table is unconfirmed).
 */
import { DescribeTasksCommand, ECSClient, ListTasksCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs'
import { mockClient } from 'aws-sdk-client-mock'
import { mulberry32 } from '../cost/prng.js'

export const ASSUMED_RATE = { burst: 50, perSecond: 20 }

class TokenBucket {
  private tokens: number
  private last = performance.now()
  throttled = 0
  constructor(private readonly burst: number, private readonly perSecond: number) {
    this.tokens = burst
  }
  async take(): Promise<void> {
    let waited = false
    for (;;) {
      const now = performance.now()
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
      this.last = now
      if (this.tokens >= 1) {
        this.tokens -= 1
        return
      }
      if (!waited) this.throttled++
      waited = true
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.perSecond) * 1000)))
    }
  }
}

export interface FakeTask {
  arn: string
  containerId: string
  namespace: string
  run: number
  family: string
  lastStatus: string
  version: number
  startedAt: Date
  stoppedAt?: Date
  exitCode?: number
}

export class FakeEcs {
  readonly client = new ECSClient({ region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } })
  readonly tasks = new Map<string, FakeTask>()
  readonly calls = new Map<string, number>()
  private readonly buckets = new Map<string, TokenBucket>()
  private readonly random: () => number

  constructor(seed = 1, private readonly latency: [number, number] = [20, 50]) {
    this.random = mulberry32(seed)
    const mock = mockClient(this.client)
    mock.on(DescribeTasksCommand).callsFake(async (input: { tasks?: string[] }) => {
      await this.call('DescribeTasks')
      const ids = input.tasks ?? []
      if (ids.length > 100) throw Object.assign(new Error('tasks can have at most 100 items'), { name: 'InvalidParameterException', $fault: 'client' })
      const found = ids.flatMap((id) => (this.tasks.has(id) ? [this.toTask(this.tasks.get(id)!)] : []))
      const failures = ids.filter((id) => !this.tasks.has(id)).map((arn) => ({ arn, reason: 'MISSING' }))
      return { tasks: found, failures }
    })
    mock.on(ListTasksCommand).callsFake(async (input: { nextToken?: string; desiredStatus?: string; maxResults?: number }) => {
      await this.call('ListTasks')
      const running = [...this.tasks.values()].filter((t) => (input.desiredStatus ?? 'RUNNING') === 'RUNNING' ? t.lastStatus !== 'STOPPED' : t.lastStatus === 'STOPPED')
      const start = Number(input.nextToken ?? 0)
      const page = running.slice(start, start + (input.maxResults ?? 100))
      const next = start + page.length
      return { taskArns: page.map((t) => t.arn), nextToken: next < running.length ? String(next) : undefined }
    })
    mock.on(StopTaskCommand).callsFake(async (input: { task?: string }) => {
      await this.call('StopTask')
      const t = this.tasks.get(input.task ?? '')
      if (t && t.lastStatus !== 'STOPPED') {
        t.lastStatus = 'STOPPED'
        t.version++
        t.stoppedAt = new Date()
        t.exitCode = 143
      }
      return { task: t ? this.toTask(t) : undefined }
    })
  }

  private async call(action: string): Promise<void> {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1)
    let bucket = this.buckets.get(action)
    if (!bucket) this.buckets.set(action, (bucket = new TokenBucket(ASSUMED_RATE.burst, ASSUMED_RATE.perSecond)))
    await bucket.take()
    const [lo, hi] = this.latency
    await new Promise((r) => setTimeout(r, lo + (hi - lo) * this.random()))
  }

  /** Calls that had to wait for a token (each would have been throttled once or more). */
  throttledWaits(): number {
    return [...this.buckets.values()].reduce((sum, b) => sum + b.throttled, 0)
  }

  totalCalls(): number {
    return [...this.calls.values()].reduce((a, b) => a + b, 0)
  }

  resetCounts(): void {
    this.calls.clear()
    for (const b of this.buckets.values()) b.throttled = 0
  }

  toTask(t: FakeTask): Task {
    return {
      taskArn: t.arn,
      lastStatus: t.lastStatus,
      desiredStatus: t.lastStatus === 'STOPPED' ? 'STOPPED' : 'RUNNING',
      version: t.version,
      startedBy: t.containerId,
      taskDefinitionArn: `arn:aws:ecs:us-east-1:123456789012:task-definition/${t.family}:1`,
      startedAt: t.startedAt,
      stoppedAt: t.stoppedAt,
      stopCode: t.lastStatus === 'STOPPED' ? 'UserInitiated' : undefined,
      containers: [{ name: 'main', exitCode: t.exitCode }],
      tags: [
        { key: 'fargated:container', value: t.containerId },
        { key: 'fargated:namespace', value: t.namespace },
        { key: 'fargated:run', value: String(t.run) },
      ],
    }
  }
}
