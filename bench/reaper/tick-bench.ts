/**
 * Reaper tick at N running containers, with ECS simulated behind the real ECSClient (20–50 ms
 * per call, DescribeTasks ≤ 100 ids, assumed throttle buckets) and an in-memory store with
 * DynamoDB-like latency (3–6 ms per operation). Runs the real runReaperTick → EcsBackend →
 * SdkAwsGateway path. Prints AWS calls per tick and wall time, for a regular tick and for a
 * tick with the orphan scan (every 10 minutes by default), and an "idle storm" (20% of the
 * largest fleet idle at once; stops capped by maxStopsPerTick).
 *
 *   npx tsx bench/reaper/tick-bench.ts [--sizes 100,1000,10000] [--concurrency 16] [--storm 20] [--json out.json]
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs'
import { ECRClient } from '@aws-sdk/client-ecr'
import { fixedAwsClients } from '../../shared/backends/ecs/aws-clients.js'
import { EcsBackend } from '../../shared/backends/ecs/ecs-backend.js'
import { SdkAwsGateway } from '../../shared/backends/ecs/sdk-aws-gateway.js'
import { systemClock } from '../../shared/core/ports.js'
import { runReaperTick, type TickResult } from '../../shared/core/reaper/index.js'
import { StoredUsageSource } from '../../shared/core/usage/usage-source.js'
import { mulberry32 } from '../cost/prng.js'
import { ASSUMED_RATE, FakeEcs } from './fake-ecs.js'
import { seedFleet } from './fleet.js'
import { MemoryStore } from './memory-store.js'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    concurrency: { type: 'string', default: '16' },
    /** Also run an "idle storm" at the largest size: this many % of the fleet idle at once. */
    storm: { type: 'string', default: '20' },
    json: { type: 'string' },
  },
})
const sizes = values.sizes!.split(',').map(Number)
const concurrency = Number(values.concurrency)

type TickKind = 'regular' | 'orphan scan' | 'idle storm'

interface Row {
  n: number
  tick: TickKind
  describeTasks: number
  listTasks: number
  stopTask: number
  awsCalls: number
  /** AWS calls that are not part of a stop (StopTask, and the DescribeTasks stopContainer makes after it). */
  callsBesidesStops: number
  target: number
  stops: number
  deferred: number
  repaired: number
  recommendations: number
  storeOps: number
  throttledWaits: number
  wallSeconds: number
  errors: number
}

async function bench(n: number, kinds: readonly TickKind[], idlePercent = 3): Promise<Row[]> {
  const store = new MemoryStore(systemClock)
  const ecs = new FakeEcs(n)
  const config = {
    cluster: 'fargated',
    region: 'us-east-1',
    subnets: ['subnet-1'],
    securityGroups: [],
    assignPublicIp: true,
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec',
    taskRoleArn: 'arn:aws:iam::123456789012:role/task',
    logGroup: '/fargated/containers',
    repositoryPrefix: 'fargated',
    taskFamilyPrefix: 'fargated',
    registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
  }
  const clients = fixedAwsClients({ ecs: ecs.client, ecr: new ECRClient({ region: 'us-east-1' }), logs: new CloudWatchLogsClient({ region: 'us-east-1' }) })
  const backend = new EcsBackend({ gateway: new SdkAwsGateway(clients), store, config, clock: systemClock })
  const deps = { store, backend, clock: systemClock, usage: new StoredUsageSource(store) }
  await seedFleet(n, store, ecs, Date.now(), idlePercent)
  const random = mulberry32(n + 7)
  store.latency = () => 3 + 3 * random()

  const rows: Row[] = []
  for (const tick of kinds) {
    store.resetOps()
    ecs.resetCounts()
    const t0 = performance.now()
    const result: TickResult = await runReaperTick(deps, { concurrency, forceOrphanScan: tick === 'orphan scan', orphanScanIntervalSeconds: Number.POSITIVE_INFINITY })
    const wallSeconds = (performance.now() - t0) / 1000
    const describeTasks = ecs.calls.get('DescribeTasks') ?? 0
    const stopTask = ecs.calls.get('StopTask') ?? 0
    const stops = result.stopped.length + result.orphans.filter((o) => o.action === 'stopped').length
    const stopCalls = stopTask + result.stopped.length // each stopContainer describes its run once after StopTask
    rows.push({
      n,
      tick,
      describeTasks,
      listTasks: ecs.calls.get('ListTasks') ?? 0,
      stopTask,
      awsCalls: ecs.totalCalls(),
      callsBesidesStops: ecs.totalCalls() - stopCalls,
      target: Math.ceil(n / 100),
      stops,
      deferred: result.deferredStops,
      repaired: result.repaired.length,
      recommendations: result.recommendations.length,
      storeOps: store.totalOps(),
      throttledWaits: ecs.throttledWaits(),
      wallSeconds,
      errors: result.errors.length,
    })
    if (result.errors.length > 0) console.error(JSON.stringify(result.errors.slice(0, 3)))
  }
  return rows
}

function table(rows: Row[]): string {
  const head = ['N', 'tick', 'Describe', 'List', 'Stop', 'AWS calls', 'besides stops', 'target ⌈N/100⌉', 'stops', 'deferred', 'repaired', 'recs', 'store ops', 'throttled', 'wall s']
  const body = rows.map((r) => [
    r.n, r.tick, r.describeTasks, r.listTasks, r.stopTask, r.awsCalls, r.callsBesidesStops, r.target, r.stops, r.deferred, r.repaired, r.recommendations, r.storeOps, r.throttledWaits, r.wallSeconds.toFixed(2),
  ].map(String))
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
}

const all: Row[] = []
for (const n of sizes) all.push(...(await bench(n, ['regular', 'orphan scan'])))
const storm = Number(values.storm)
if (storm > 0) all.push(...(await bench(Math.max(...sizes), ['idle storm'], storm)))
console.log(`Reaper tick (ECS 20–50 ms per call, DescribeTasks ≤ 100 ids, assumed buckets ${ASSUMED_RATE.burst} burst / ${ASSUMED_RATE.perSecond} per s; store 3–6 ms per op; concurrency ${concurrency})\n`)
console.log(table(all))
const worst = all.filter((r) => r.tick !== 'orphan scan').every((r) => r.callsBesidesStops <= r.target)
console.log(`\nregular ticks within ⌈N/100⌉ AWS calls besides stops: ${worst ? 'yes' : 'NO'}; every tick under 60 s: ${all.every((r) => r.wallSeconds <= 60) ? 'yes' : 'NO'}`)
if (values.json) {
  mkdirSync(dirname(values.json), { recursive: true })
  writeFileSync(values.json, JSON.stringify(all, null, 2))
}
