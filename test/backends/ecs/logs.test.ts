import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockClient } from 'aws-sdk-client-mock'
import { CloudWatchLogsClient, GetLogEventsCommand, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs'
import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs'
import type { Run } from '../../../shared/core/model.js'
import type { LogLine, LogOptions } from '../../../shared/core/ports.js'
import { TASK_ARN, sdkBackend } from './support.js'

const logs = mockClient(CloudWatchLogsClient)
const ecs = mockClient(ECSClient)
beforeEach(() => {
  logs.reset()
  ecs.reset()
})
afterEach(() => {
  logs.reset()
  ecs.reset()
})

const T0 = Date.parse('2026-03-02T10:00:00Z')
const run = (lastStatus: Run['lastStatus'] = 'STOPPED'): Run => ({
  containerId: 'c'.repeat(64), namespace: 'team-a', number: 1, backend: 'ecs', ref: TASK_ARN, size: { cpu: 256, memory: 512 },
  image: 'x', capacity: 'on-demand', lastStatus, createdAt: '', eventVersion: 1,
})

/** A log stream whose forward tokens are positions (`f/<n>`); `pageSize` events per page. */
function stream(lines: string[], pageSize = 10_000) {
  logs.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
    const at = (i: number) => ({ timestamp: T0 + i * 1000, message: `${lines[i]}\n`, ingestionTime: T0 })
    if (!input.startFromHead && !input.nextToken) {
      const from = Math.max(0, lines.length - (input.limit ?? 10_000))
      return { events: lines.slice(from).map((_, k) => at(from + k)), nextForwardToken: `f/${lines.length}`, nextBackwardToken: `b/${from}` }
    }
    const pos = input.nextToken ? Number(input.nextToken.slice(2)) : 0
    const end = Math.min(lines.length, pos + pageSize)
    return { events: lines.slice(pos, end).map((_, k) => at(pos + k)), nextForwardToken: `f/${end}`, nextBackwardToken: `b/${pos}` }
  })
}

async function collect(r: Run, options: LogOptions): Promise<LogLine[]> {
  const out: LogLine[] = []
  for await (const line of sdkBackend().backend.logs(r, options)) out.push(line)
  return out
}
const getCalls = () => logs.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input)

describe('logs', () => {
  it('reads the computed stream from the head: a 10-line task costs 2 GetLogEvents calls', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`)
    stream(lines)
    const got = await collect(run(), {})
    expect(got.map((l) => l.message)).toEqual(lines)
    expect(got[0]).toEqual({ stream: 'stdout', time: '2026-03-02T10:00:00.000Z', message: 'line 1' })
    expect(getCalls()).toHaveLength(2)
    expect(getCalls()[0]).toMatchObject({ logGroupName: '/fargated/runs', logStreamName: 'team-a/main/9a8b7c6d5e4f40312a1b2c3d4e5f6a7b', startFromHead: true })
    expect(ecs.calls()).toHaveLength(0)
  })

  it('pages through a long stream', async () => {
    stream(Array.from({ length: 25 }, (_, i) => `l${i}`), 10)
    expect(await collect(run(), {})).toHaveLength(25)
    expect(getCalls().map((c) => c.nextToken)).toEqual([undefined, 'f/10', 'f/20', 'f/25'])
  })

  it('tail N is one call for the newest N lines, oldest first', async () => {
    stream(['a', 'b', 'c', 'd'])
    expect((await collect(run(), { tail: 2 })).map((l) => l.message)).toEqual(['c', 'd'])
    expect(getCalls()).toEqual([expect.objectContaining({ startFromHead: false, limit: 2 })])
    expect(await collect(run(), { tail: 0 })).toEqual([])
    expect(getCalls()).toHaveLength(1)
  })

  it('passes since/until as startTime/endTime in ms', async () => {
    stream([])
    await collect(run(), { since: 1_772_445_600.5, until: 1_772_445_700 })
    expect(getCalls()[0]).toMatchObject({ startTime: 1_772_445_600_500, endTime: 1_772_445_700_000 })
  })

  it('has nothing for stdout=false (awslogs merges stderr into stdout) or a run with no task', async () => {
    stream(['a'])
    expect(await collect(run(), { stdout: false, stderr: true })).toEqual([])
    expect(await collect({ ...run(), ref: undefined }, {})).toEqual([])
    expect(logs.calls()).toHaveLength(0)
  })

  it('follow: polls until the task is STOPPED and a later poll finds nothing new', async () => {
    const lines = ['first', 'second']
    stream(lines)
    let describes = 0
    ecs.on(DescribeTasksCommand).callsFake(() => {
      describes++
      if (describes === 1) lines.push('third') // arrives while RUNNING
      if (describes === 2) lines.push('last words') // flushed right after the stop
      return { tasks: [{ taskArn: TASK_ARN, lastStatus: describes >= 2 ? 'STOPPED' : 'RUNNING', version: describes }] }
    })
    const got = await collect(run('RUNNING'), { follow: true })
    expect(got.map((l) => l.message)).toEqual(['first', 'second', 'third', 'last words'])
    expect(describes).toBe(2)
    expect(getCalls().every((c, i) => i === 0 || c.nextToken !== undefined)).toBe(true)
  })

  it('follow with tail 0 starts at the end of the stream', async () => {
    const lines = ['old']
    stream(lines)
    ecs.on(DescribeTasksCommand).callsFake(() => {
      lines.push('new')
      return { tasks: [{ taskArn: TASK_ARN, lastStatus: 'STOPPED', version: 9 }] }
    })
    expect((await collect(run('RUNNING'), { follow: true, tail: 0 })).map((l) => l.message)).toEqual(['new'])
  })

  it('follow ends when the signal aborts', async () => {
    stream(['a'])
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'RUNNING', version: 1 }] })
    const ac = new AbortController()
    const out: string[] = []
    for await (const line of sdkBackend().backend.logs(run('RUNNING'), { follow: true, signal: ac.signal })) {
      out.push(line.message)
      ac.abort()
    }
    expect(out).toEqual(['a'])
  })

  it('a stream that does not exist yet has no lines', async () => {
    logs.on(GetLogEventsCommand).rejects({ name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' })
    expect(await collect(run(), {})).toEqual([])
  })
})
