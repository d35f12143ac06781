/**
 * AWS calls per Docker operation on the AWS backend: the real app, ContainerService and
 * EcsBackend, DynamoStore on in-process dynalite, AWS faked at the SDK (fake-aws.ts). Seeds
 * 1,000 containers first (docker create), so ps lists 1,000+. Prints calls per command and
 * the store's DynamoDB calls; targets: steady-state run = 1 ECS call, ps and inspect = 0.
 *
 *   npx tsx bench/aws-calls/aws-calls-bench.ts [--containers 1000]
 */
import { parseArgs } from 'node:util'
import { FakeAws, DIGEST, LOG_LINES } from './fake-aws.js'
import { startAwsStack, type AwsStack } from './aws-stack.js'

const { values } = parseArgs({ options: { containers: { type: 'string', default: '1000' } } })
const seedCount = Number(values.containers)

const ECS_COMMANDS = new Set(['RunTask', 'StopTask', 'DescribeTasks', 'ListTasks', 'RegisterTaskDefinition', 'DeregisterTaskDefinition', 'DeleteTaskDefinitions'])

interface Row {
  op: string
  aws: number
  ecs: number
  byCommand: string
  store: number
  target: string
  met?: boolean
}

async function ok(res: Response | Promise<Response>, what: string): Promise<Response> {
  const r = await res
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${await r.text()}`)
  return r
}

async function create(stack: AwsStack, name: string, image = 'app:1'): Promise<string> {
  const res = await ok(stack.docker('POST', `/containers/create?name=${name}`, { Image: image, Cmd: ['sleep', '300'], Labels: { bench: 'aws-calls' } }), `create ${name}`)
  return ((await res.json()) as { Id: string }).Id
}

async function main(): Promise<void> {
  const aws = new FakeAws()
  const stack = await startAwsStack()
  const rows: Row[] = []
  const measure = async (op: string, target: { ecs?: number; aws?: number } | undefined, fn: () => Promise<void>) => {
    aws.reset()
    stack.resetStoreCalls()
    await fn()
    const calls = aws.calls()
    const total = [...calls.values()].reduce((a, b) => a + b, 0)
    const ecs = [...calls].filter(([name]) => ECS_COMMANDS.has(name)).reduce((a, [, n]) => a + n, 0)
    const byCommand = [...calls].map(([name, n]) => `${name} ${n}`).join(', ') || '-'
    const met = target === undefined ? undefined : (target.ecs === undefined || ecs <= target.ecs) && (target.aws === undefined || total <= target.aws)
    const targetText = target === undefined ? '' : [target.ecs !== undefined ? `ECS ≤ ${target.ecs}` : '', target.aws !== undefined ? `AWS ≤ ${target.aws}` : ''].filter(Boolean).join(', ')
    rows.push({ op, aws: total, ecs, byCommand, store: stack.storeCalls(), target: targetText, met })
  }
  try {
    const started = performance.now()
    let seeded = 0
    await measure(`docker create ×${seedCount} (seeding)`, undefined, async () => {
      const workers = Array.from({ length: 8 }, async () => {
        while (seeded < seedCount) await create(stack, `seed-${seeded++}`)
      })
      await Promise.all(workers)
    })
    const seedSeconds = (performance.now() - started) / 1000

    let first = ''
    await measure('run -d, first of its spec (create + start)', undefined, async () => {
      first = await create(stack, 'first')
      await ok(stack.docker('POST', `/containers/${first}/start`), 'start first')
    })
    let second = ''
    await measure('run -d, same spec again (steady state)', { ecs: 1 }, async () => {
      second = await create(stack, 'second')
      await ok(stack.docker('POST', `/containers/${second}/start`), 'start second')
    })
    await measure('run -d, external image by digest (steady state)', { ecs: 1 }, async () => {
      const image = `public.ecr.aws/docker/library/busybox@${DIGEST}`
      const warm = await create(stack, 'external-warm', image)
      await ok(stack.docker('POST', `/containers/${warm}/start`), 'start external-warm')
      aws.reset()
      stack.resetStoreCalls()
      const id = await create(stack, 'external', image)
      await ok(stack.docker('POST', `/containers/${id}/start`), 'start external')
    })
    aws.runAll()
    let listed = 0
    await measure(`ps -a (${seedCount.toLocaleString('en-US')}+ containers)`, { aws: 0 }, async () => {
      const res = await ok(stack.docker('GET', '/containers/json?all=1'), 'ps')
      listed = ((await res.json()) as unknown[]).length
    })
    await measure('ps (running only)', { aws: 0 }, async () => {
      await ok(stack.docker('GET', '/containers/json'), 'ps running')
    })
    await measure('inspect', { aws: 0 }, async () => {
      await ok(stack.docker('GET', `/containers/${second}/json`), 'inspect')
    })
    await measure('stop', undefined, async () => {
      await ok(stack.docker('POST', `/containers/${first}/stop?t=1`), 'stop')
    })
    await measure('start (stopped container, steady state)', { ecs: 1 }, async () => {
      await ok(stack.docker('POST', `/containers/${first}/start`), 'restart first')
    })
    await ok(stack.docker('POST', `/containers/${second}/stop?t=1`), 'stop second')
    let lines = 0
    await measure(`logs (finished ${LOG_LINES}-line task)`, undefined, async () => {
      const res = await ok(stack.docker('GET', `/containers/${second}/logs?stdout=1&stderr=1`), 'logs')
      lines = ((await res.text()).match(/line \d+/g) ?? []).length
    })
    await measure('rm (stopped container)', undefined, async () => {
      await ok(stack.docker('DELETE', `/containers/${second}`), 'rm')
    })

    console.log(`AWS calls per Docker operation (AWS backend, AWS faked at the SDK, store on in-process dynalite)\n`)
    console.log(table(rows))
    console.log(`\nseeded ${seedCount} containers in ${seedSeconds.toFixed(1)} s; ps -a listed ${listed}; logs returned ${lines} lines`)
    for (const r of rows.filter((x) => x.met !== undefined)) console.log(`summary: ${r.op}: ${r.aws} AWS call(s) (${r.ecs} ECS) — target ${r.target}: ${r.met ? 'met' : 'NOT met'}`)
  } finally {
    await stack.close()
    aws.restore()
  }
}

function table(rows: Row[]): string {
  const head = ['operation', 'AWS calls', 'ECS', 'by command', 'DynamoDB calls', 'target', 'met']
  const body = rows.map((r) => [r.op, String(r.aws), String(r.ecs), r.byCommand, String(r.store), r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO'])
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)))
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n')
}

await main()
