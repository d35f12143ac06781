/**
 * Cost simulator: replays a usage trace with and without fargated's policies.
 *   npm run bench:cost -- TRACE [--json OUT.json] [--plot OUT.svg] [--restart-delay S]
 *     [--lookback S] [--memory-lookback S] [--min-samples N] [--cpu-headroom F] [--memory-headroom F]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { plotSvg } from './plot.js'
import { formatReport } from './report.js'
import type { SimulationOptions } from './simulation-types.js'
import { simulate } from './simulator.js'
import { parseTrace } from './trace.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'string' },
    plot: { type: 'string' },
    'restart-delay': { type: 'string' },
    lookback: { type: 'string' },
    'memory-lookback': { type: 'string' },
    'min-samples': { type: 'string' },
    'cpu-headroom': { type: 'string' },
    'memory-headroom': { type: 'string' },
  },
})

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number ≥ 0 (got ${value})`)
  return n
}

const file = positionals[0]
if (!file) {
  console.error('usage: npm run bench:cost -- TRACE.jsonl [--json OUT.json] [--plot OUT.svg] [--restart-delay S]')
  process.exit(2)
}
const options: Partial<SimulationOptions> = {}
const restartDelay = num('restart-delay', values['restart-delay'])
if (restartDelay !== undefined) options.restartDelay = restartDelay
options.lookbackSeconds = num('lookback', values.lookback)
options.memoryLookbackSeconds = num('memory-lookback', values['memory-lookback'])
options.minSamples = num('min-samples', values['min-samples'])
options.headroom = { cpu: num('cpu-headroom', values['cpu-headroom']), memory: num('memory-headroom', values['memory-headroom']) }

const result = simulate(parseTrace(readFileSync(file, 'utf8')), options)
console.log(formatReport(result))
for (const [out, text] of [
  [values.json, JSON.stringify(result, null, 2) + '\n'],
  [values.plot, plotSvg(result)],
] as const) {
  if (!out) continue
  mkdirSync(dirname(out), { recursive: true })
  writeFileSync(out, text)
  console.log(`wrote ${out}`)
}
