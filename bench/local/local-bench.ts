/**
 * Local mode against the engine it wraps: the same Docker operations with dockerode straight
 * to the engine (its socket) and to fargated local mode (its unix socket, as the docker CLI
 * uses it; the reads again over TCP on loopback), the server in its own process
 * (server-child.ts), both warmed up first. Median latency of N per operation, the ratio (target ≤ 1.15×),
 * and where fargated's time goes (its store, its engine calls, the rest: HTTP, app, auth).
 * Then the server's memory with 1,000 containers in its store (created, not started).
 * Needs an engine and the test image (scripts/engine.sh); skips with a message otherwise.
 *
 *   npx tsx bench/local/local-bench.ts [--runs 20] [--containers 1000] [--warmup 30] [--cli-runs 15]
 */
import { fork, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import Dockerode from 'dockerode'
import type { ChildMessage, ChildStats } from './server-child.js'
import { cliAvailable, cliConfig, measureCli, type CliRow } from './cli-ops.js'
import { LOG_COMMAND, logsOf, median, waitExited } from './docker-ops.js'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, containers: { type: 'string', default: '1000' }, warmup: { type: 'string', default: '30' }, 'cli-runs': { type: 'string', default: '15' } } })
const runs = Number(values.runs)
const seedCount = Number(values.containers)
const warmup = Number(values.warmup)
const cliRuns = Number(values['cli-runs'])
const IMAGE = 'fargated-test/busybox:1'
const RATIO_TARGET = 1.15
const LABEL = 'fargated.bench'

interface Child {
  process: ChildProcess
  url: string
  socketPath?: string
  /** Store and engine time since the last reset; with `gc`, memory after a full GC. */
  stats(gc?: boolean): Promise<ChildStats>
  reset(): void
  close(): Promise<void>
}

async function startChild(dataDir: string, key: string, label: string): Promise<Child> {
  const child = fork(fileURLToPath(new URL('./server-child.ts', import.meta.url)), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: { ...process.env, FARGATED_DATA_DIR: dataDir, FARGATED_ADMIN_KEY: key, BENCH_ENGINE_LABEL: label },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const ready = await new Promise<{ url: string; socketPath?: string }>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    child.on('message', (m: ChildMessage) => {
      if ('ready' in m) resolve(m)
    })
  })
  return {
    process: child,
    url: ready.url,
    socketPath: ready.socketPath,
    stats: (gc = false) =>
      new Promise((resolve) => {
        const onMessage = (m: ChildMessage) => {
          if (!('stats' in m)) return
          child.off('message', onMessage)
          resolve(m.stats)
        }
        child.on('message', onMessage)
        child.send(gc ? 'memory' : 'stats')
      }),
    reset: () => child.send('reset'),
    close: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit')
        child.once('exit', () => resolve())
        child.send('close')
      }),
  }
}

async function engineReady(docker: Dockerode): Promise<string | undefined> {
  try {
    await Promise.race([docker.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 3 s')), 3000))])
  } catch (err) {
    return `no engine answers (${err instanceof Error ? err.message : String(err)}); start one with: sudo bash scripts/engine.sh`
  }
  try {
    await docker.getImage(IMAGE).inspect()
  } catch {
    return `the engine has no ${IMAGE}; build it with: sudo bash scripts/engine.sh`
  }
  return undefined
}

interface OpResult {
  op: string
  direct: number[]
  fargated: number[]
  /** Means per fargated request: the server's time in its store and in engine calls, and calls made. */
  store: number
  storeCalls: number
  engine: number
  engineCalls: number
}

async function main(): Promise<void> {
  const engine = new Dockerode()
  const skip = await engineReady(engine)
  if (skip) {
    console.log(`local bench skipped: ${skip}`)
    console.log(`summary: skipped (${skip.split(';')[0]})`)
    return
  }
  const tag = `local-${randomBytes(4).toString('hex')}`
  const dataDir = mkdtempSync(join(tmpdir(), 'fargated-bench-local-'))
  const key = `fgd_bench-${randomBytes(16).toString('hex')}`
  const child = await startChild(dataDir, key, tag)
  const port = Number(new URL(child.url).port)
  // The docker CLI's way in: fargated's unix socket, as the engine's (its TCP port as well, for curl and remote tools).
  const headers = { Authorization: `Bearer ${key}` }
  const viaTcp = new Dockerode({ host: '127.0.0.1', port, protocol: 'http', headers })
  if (!child.socketPath) throw new Error('the server serves no unix socket')
  const via = new Dockerode({ socketPath: child.socketPath, headers } as Dockerode.DockerOptions)
  const labels = { [LABEL]: tag }
  const results: OpResult[] = []
  const created: { direct: string[]; fargated: string[] } = { direct: [], fargated: [] }
  try {
    // Timed: `docker` runs `op` against one side; the server's store/engine time is read for fargated.
    // Warm-up rounds, not counted: both servers answer warm, as a long-running daemon does
    // (the engine is compiled ahead of time; fargated's JIT needs a few dozen requests).
    const measure = async (op: string, fn: (docker: Dockerode, side: 'direct' | 'fargated', i: number) => Promise<void>, rounds = warmup) => {
      const r: OpResult = { op, direct: [], fargated: [], store: 0, storeCalls: 0, engine: 0, engineCalls: 0 }
      for (let i = 0; i < rounds; i++) {
        await fn(engine, 'direct', -1)
        await fn(via, 'fargated', -1)
      }
      for (let i = 0; i < runs; i++) {
        let t = performance.now()
        await fn(engine, 'direct', i)
        r.direct.push(performance.now() - t)
        child.reset()
        t = performance.now()
        await fn(via, 'fargated', i)
        r.fargated.push(performance.now() - t)
        const s = await child.stats()
        r.store += s.store.ms / runs
        r.storeCalls += s.store.calls / runs
        r.engine += s.engine.ms / runs
        r.engineCalls += s.engine.calls / runs
      }
      results.push(r)
    }

    // The floor: one request each server answers without work (no key, no store, no engine).
    await measure('_ping (HTTP floor)', async (docker) => {
      await docker.ping()
    })
    await measure('run -d (create + start)', async (docker, side) => {
      const c = await docker.createContainer({ Image: IMAGE, Cmd: ['sleep', '300'], Labels: labels })
      await c.start()
      created[side].push(c.id)
    }, 3)
    await measure('ps -a', async (docker) => {
      await docker.listContainers({ all: true })
    })
    await measure('inspect', async (docker, side) => {
      await docker.getContainer(created[side][0]).inspect()
    })
    const logged: Record<'direct' | 'fargated', string> = { direct: '', fargated: '' }
    for (const [side, docker] of [['direct', engine], ['fargated', via]] as const) {
      const c = await docker.createContainer({ Image: IMAGE, Cmd: LOG_COMMAND, Labels: labels })
      await c.start()
      await waitExited(c)
      logged[side] = c.id
      created[side].push(c.id)
    }
    let lines = 0
    await measure('logs (exited, 10 lines)', async (docker, side) => {
      lines = (await logsOf(docker.getContainer(logged[side]))).split('\n').filter(Boolean).length
    })
    // The same reads with fargated over TCP on loopback (the engine still on its socket).
    const tcp = (docker: Dockerode, side: 'direct' | 'fargated') => (side === 'fargated' ? viaTcp : docker)
    await measure('ps -a, fargated over TCP', async (docker, side) => {
      await tcp(docker, side).listContainers({ all: true })
    })
    await measure('inspect, fargated over TCP', async (docker, side) => {
      await tcp(docker, side).getContainer(created[side][0]).inspect()
    })
    await measure('logs, fargated over TCP', async (docker, side) => {
      await logsOf(tcp(docker, side).getContainer(logged[side]))
    })

    // The docker CLI, as users run it (each command a new process).
    let cliRows: CliRow[] = []
    if (await cliAvailable()) {
      cliRows = await measureCli(
        {
          engine: { host: process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock', configDir: cliConfig(join(dataDir, 'cli-engine')) },
          fargated: { host: `unix://${child.socketPath}`, configDir: cliConfig(join(dataDir, 'cli-fargated'), key) },
        },
        {
          image: IMAGE, labels: ['--label', `${LABEL}=${tag}`], runs: Math.min(runs, cliRuns), warmup: 2,
          exited: { engine: logged.direct, fargated: logged.fargated },
          onCreated: (side, id) => created[side === 'engine' ? 'direct' : 'fargated'].push(id),
        },
      )
    }

    const engineCount = async () => (await engine.listContainers({ all: true, filters: { label: [`${LABEL}=${tag}`] } })).length
    const before = await child.stats(true)
    const engineBefore = await engineCount()
    const seedStarted = performance.now()
    let seeded = 0
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (seeded < seedCount) await via.createContainer({ name: `seed-${tag}-${seeded++}`, Image: IMAGE, Cmd: ['true'], Labels: labels })
      }),
    )
    const seedSeconds = (performance.now() - seedStarted) / 1000
    const after = await child.stats(true)
    const engineAfter = await engineCount()
    const ps1000: number[] = []
    for (let i = 0; i < Math.min(runs, 10); i++) {
      const t = performance.now()
      await via.listContainers({ all: true })
      ps1000.push(performance.now() - t)
    }
    const listed = (await via.listContainers({ all: true })).length

    console.log(`Local mode vs the engine (dockerode; each on its unix socket unless the row says TCP; fargated's server in its own process), median of ${runs} after ${warmup} warm-up rounds, ms; load average ${loadavg()[0].toFixed(2)}\n`)
    console.log('| operation | engine | fargated | ratio | fargated mean | in its store (calls) | in engine calls (calls) | rest: HTTP, app, auth |')
    console.log('|---|---|---|---|---|---|---|---|')
    const summary: string[] = []
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
    for (const r of results) {
      const d = median(r.direct)
      const f = median(r.fargated)
      const total = mean(r.fargated)
      const rest = total - r.store - r.engine
      console.log(`| ${r.op} | ${d.toFixed(1)} | ${f.toFixed(1)} | ${(f / d).toFixed(2)}× | ${total.toFixed(1)} | ${r.store.toFixed(1)} (${r.storeCalls.toFixed(0)}) | ${r.engine.toFixed(1)} (${r.engineCalls.toFixed(0)}) | ${rest.toFixed(1)} |`)
      summary.push(`${r.op}: ${(f / d).toFixed(2)}× (${d.toFixed(1)} → ${f.toFixed(1)} ms; target ≤ ${RATIO_TARGET}×: ${f / d <= RATIO_TARGET ? 'met' : 'NOT met'})`)
    }
    if (cliRows.length) {
      console.log(`\nThe same through the docker CLI (each command a new process; median of ${Math.min(runs, cliRuns)}, ms):\n`)
      console.log('| command | engine | fargated | ratio |')
      console.log('|---|---|---|---|')
      for (const r of cliRows) {
        console.log(`| ${r.op} | ${r.engine.toFixed(1)} | ${r.fargated.toFixed(1)} | ${(r.fargated / r.engine).toFixed(2)}× |`)
        summary.push(`${r.op} (CLI): ${(r.fargated / r.engine).toFixed(2)}× (${r.engine.toFixed(1)} → ${r.fargated.toFixed(1)} ms; target ≤ ${RATIO_TARGET}×: ${r.fargated / r.engine <= RATIO_TARGET ? 'met' : 'NOT met'})`)
      }
    } else console.log('\n(no docker CLI on PATH: the CLI rows are skipped)')
    const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`
    console.log(`\n(engine, fargated: medians; the last four columns: means per fargated request, the server's time in its store (embedded dynalite, key lookup included) and in engine calls; logs returned ${lines} lines)`)
    console.log(`\nServer memory (after GC): ${mib(before.rssBytes)} RSS, ${mib(before.heapUsedBytes)} heap with ${created.fargated.length} containers;`)
    console.log(`after creating ${seedCount} more (not started, ${seedSeconds.toFixed(1)} s): ${mib(after.rssBytes)} RSS, ${mib(after.heapUsedBytes)} heap`)
    console.log(`this run's engine containers before/after seeding: ${engineBefore}/${engineAfter}; ps -a through fargated with ${listed} containers: ${median(ps1000).toFixed(1)} ms median`)
    for (const line of summary) console.log(`summary: ${line}`)
    console.log(`summary: server RSS ${mib(after.rssBytes)} with ${listed} containers in the store (${mib(before.rssBytes)} with ${created.fargated.length}); ps -a of ${listed}: ${median(ps1000).toFixed(1)} ms`)
  } finally {
    await Promise.all(created.fargated.map((id) => via.getContainer(id).remove({ force: true }).catch(() => undefined)))
    await child.close()
    const leftovers = await engine.listContainers({ all: true, filters: { label: [`${LABEL}=${tag}`] } })
    await Promise.all(leftovers.map((c) => engine.getContainer(c.Id).remove({ force: true }).catch(() => undefined)))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

await main()
