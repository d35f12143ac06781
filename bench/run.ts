/**
 * `npm run bench`: runs the benchmarks one after another, each in its own process, and ends
 * with one summary. Benchmarks print figures; a target they miss is reported, not failed.
 *
 *   npm run bench                      # bundle, aws-calls, local
 *   npm run bench -- <name> [args…]    # one bench, with its own options
 *   npm run bench -- all               # also reaper and cost
 *   npm run bench -- --list
 */
import { spawn } from 'node:child_process'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'

interface Bench {
  what: string
  /** Scripts run in order (path from bench/, arguments). */
  steps: [string, string[]][]
  optional?: boolean
  /** The lines of its output that go into the final summary. */
  summarize: (lines: string[]) => string[]
}

const tagged = (lines: string[]) => lines.filter((l) => l.startsWith('summary: ')).map((l) => l.slice('summary: '.length))

const BENCHES: Record<string, Bench> = {
  bundle: { what: 'Lambda bundle sizes and module init (issues 2, 3)', steps: [['bundle/bundle-bench.ts', []]], summarize: tagged },
  'aws-calls': { what: 'AWS calls per Docker operation on the AWS backend', steps: [['aws-calls/aws-calls-bench.ts', []]], summarize: tagged },
  local: { what: 'local mode vs the engine: latency ratio, server memory', steps: [['local/local-bench.ts', []]], summarize: tagged },
  reaper: {
    what: 'one reaper tick at N containers (default here: 100 and 1,000, no storm)',
    optional: true,
    steps: [['reaper/tick-bench.ts', ['--sizes', '100,1000', '--storm', '0']]],
    summarize: (lines) => lines.filter((l) => l.startsWith('regular ticks within')),
  },
  cost: {
    what: 'cost simulator on the generated trace (seed 1, 7 days)',
    optional: true,
    steps: [
      ['cost/generate-trace.ts', ['--out', 'bench/out/trace.jsonl']],
      ['cost/simulate.ts', ['bench/out/trace.jsonl']],
    ],
    summarize: (lines) => lines.filter((l) => /^(Bill with no policy|Saving|Harm):/.test(l)),
  },
}

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** Runs one script under tsx, echoing its output; resolves with its stdout lines and exit code. */
function runScript(script: string, args: string[]): Promise<{ lines: string[]; code: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${script}`, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk)
      out += chunk.toString()
    })
    child.on('close', (code) => resolve({ lines: out.split('\n'), code: code ?? 1 }))
  })
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--list' || argv[0] === '--help') {
    for (const [name, b] of Object.entries(BENCHES)) console.log(`${name.padEnd(10)} ${b.optional ? '(optional) ' : ''}${b.what}`)
    return 0
  }
  const [first, ...rest] = argv
  const names = first === undefined ? Object.keys(BENCHES).filter((n) => !BENCHES[n].optional) : first === 'all' ? Object.keys(BENCHES) : [first]
  const unknown = names.filter((n) => !(n in BENCHES))
  if (unknown.length > 0) {
    console.error(`unknown bench ${unknown.join(', ')}; one of: ${Object.keys(BENCHES).join(', ')}, all`)
    return 2
  }
  const extra = names.length === 1 && first !== 'all' ? rest : []
  const summary: string[] = []
  let failed = 0
  const started = Date.now()
  console.log(`node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (1, 5, 15 min)`)
  for (const name of names) {
    const bench = BENCHES[name]
    console.log(`\n=== ${name}: ${bench.what}\n`)
    const t0 = Date.now()
    const lines: string[] = []
    let code = 0
    for (const [i, [script, args]] of bench.steps.entries()) {
      // Extra arguments go to the last step (the measuring one).
      const result = await runScript(script, i === bench.steps.length - 1 ? [...args, ...extra] : args)
      lines.push(...result.lines)
      code = result.code
      if (code !== 0) break
    }
    const seconds = ((Date.now() - t0) / 1000).toFixed(0)
    if (code !== 0) {
      failed++
      summary.push(`${name}: FAILED (exit ${code}, ${seconds} s)`)
      continue
    }
    summary.push(`${name} (${seconds} s):`, ...bench.summarize(lines).map((l) => `  ${l}`))
  }
  console.log(`\n=== summary (${((Date.now() - started) / 1000).toFixed(0)} s)\n`)
  for (const line of summary) console.log(line)
  return failed > 0 ? 1 : 0
}

process.exitCode = await main(process.argv.slice(2))
