/**
 * The Lambda bundles as they ship (infra/bundle.ts, the build FargatedFunction deploys): size,
 * what fills them, and module init time (median of N fresh `node` processes importing the
 * bundle; for the API also its first request). Targets (issues 2 and 3): API bundle ≤ 1 MB
 * with the AWS SDK bundled, API module init ≤ 100 ms.
 *
 *   npx tsx bench/bundle/bundle-bench.ts [--runs 15] [--ablation]
 *
 * --ablation also builds the API without each esbuild plugin, to show what each one saves.
 */
import { build, type Metafile } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { bundleFunction, functionBuildOptions } from '../../infra/bundle.js'
import { PROBE_ENV, PROBE_SCRIPT } from './init-probe.js'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '15' }, ablation: { type: 'boolean', default: false } } })
const runs = Number(values.runs)
const SIZE_TARGET = 1_000_000
const INIT_TARGET_MS = 100

interface Probe {
  importMs: number
  importCpuMs: number
  firstRequestMs?: number
  status?: number
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const ms = (xs: number[]) => `${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`

function probe(file: string, ping: boolean): Probe {
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', PROBE_SCRIPT, file, ping ? 'ping' : ''], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', ...PROBE_ENV },
    timeout: 60_000,
  })
  const line = out.stdout.trim().split('\n').pop() ?? ''
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`probe of ${file} failed: ${out.stderr}`)
  return JSON.parse(line) as Probe
}

/** Bytes in the output per package (node_modules/<pkg>) or top folder of fargated's own code. */
function byPackage(metafile: Metafile): [string, number][] {
  const sizes = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? `${path.split('/')[0]}/ (fargated)`
      sizes.set(pkg, (sizes.get(pkg) ?? 0) + input.bytesInOutput)
    }
  }
  return [...sizes].sort((a, b) => b[1] - a[1])
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fargated-bench-bundle-'))
  const summary: string[] = []
  try {
    console.log(`Lambda bundles (infra/bundle.ts), module init over ${runs} fresh node ${process.version} processes, ms median (min–max); load average ${loadavg()[0].toFixed(2)}\n`)
    console.log('| function | bytes | init ms | init CPU ms | first request ms | largest parts |')
    console.log('|---|---|---|---|---|---|')
    for (const entry of ['api.ts', 'events.ts', 'reaper.ts']) {
      const outdir = join(dir, entry)
      const metafile = await bundleFunction(entry, outdir)
      const bytes = Object.values(metafile.outputs).reduce((a, o) => a + o.bytes, 0)
      const file = join(outdir, 'index.mjs')
      const isApi = entry === 'api.ts'
      probe(file, isApi) // warm the file cache; not counted
      const probes = Array.from({ length: runs }, () => probe(file, isApi))
      const statuses = new Set(probes.map((p) => p.status))
      if (isApi && (statuses.size !== 1 || !statuses.has(200))) throw new Error(`the API bundle answered /_ping with ${[...statuses].join(', ')}`)
      const init = probes.map((p) => p.importMs)
      const first = isApi ? ms(probes.map((p) => p.firstRequestMs ?? 0)) : '-'
      const parts = byPackage(metafile).slice(0, 6).map(([p, n]) => `${p} ${kb(n)}`).join(', ')
      const cpu = probes.map((p) => p.importCpuMs)
      console.log(`| ${entry.replace('.ts', '')} | ${bytes.toLocaleString('en-US')} | ${ms(init)} | ${ms(cpu)} | ${first} | ${parts} |`)
      if (isApi) {
        summary.push(`API bundle ${bytes.toLocaleString('en-US')} bytes (target ≤ ${SIZE_TARGET.toLocaleString('en-US')}: ${bytes <= SIZE_TARGET ? 'met' : 'NOT met'})`)
        summary.push(`API module init median ${median(init).toFixed(0)} ms wall, ${median(probes.map((p) => p.importCpuMs)).toFixed(0)} ms CPU (target ≤ ${INIT_TARGET_MS} ms: ${median(init) <= INIT_TARGET_MS ? 'met' : 'NOT met'}, load average ${loadavg()[0].toFixed(1)}); first request ${median(probes.map((p) => p.firstRequestMs ?? 0)).toFixed(0)} ms more`)
      }
    }
    if (values.ablation) {
      console.log('\nAPI bundle without each esbuild plugin (bytes, and what the plugin saves):\n')
      const full = functionBuildOptions('api.ts', join(dir, 'ablation'))
      const bytesOf = async (plugins: typeof full.plugins) => {
        const r = await build({ ...full, plugins, write: false })
        return Object.values(r.metafile?.outputs ?? {}).reduce((a, o) => a + o.bytes, 0)
      }
      const all = await bytesOf(full.plugins)
      console.log(`| build | bytes | saved |\n|---|---|---|\n| all plugins | ${all.toLocaleString('en-US')} | |`)
      for (const plugin of full.plugins ?? []) {
        const without = await bytesOf(full.plugins?.filter((p) => p !== plugin))
        console.log(`| without ${plugin.name} | ${without.toLocaleString('en-US')} | ${(without - all).toLocaleString('en-US')} |`)
      }
      console.log(`| no plugins | ${(await bytesOf([])).toLocaleString('en-US')} | |`)
    }
    console.log('')
    for (const line of summary) console.log(`summary: ${line}`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
