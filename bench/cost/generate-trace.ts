/**
 * Writes a synthetic usage trace (JSON Lines) for the cost simulator.
 *   npm run bench:trace -- [--seed N] [--days D] [--out FILE]   (defaults: seed 1, 28 days, bench/out/trace.jsonl; - for stdout)
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { formatTrace } from './trace.js'
import { DEFAULT_TRACE_DAYS, generateTrace } from './trace-generator.js'

const { values } = parseArgs({
  options: { seed: { type: 'string', default: '1' }, days: { type: 'string', default: String(DEFAULT_TRACE_DAYS) }, out: { type: 'string', default: 'bench/out/trace.jsonl' } },
})
const seed = Number(values.seed)
const days = Number(values.days)
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer (got ${values.seed})`)
const lines = generateTrace({ seed, days })
const text = formatTrace(lines)
if (values.out === '-') process.stdout.write(text)
else {
  mkdirSync(dirname(values.out), { recursive: true })
  writeFileSync(values.out, text)
  const samples = lines.reduce((n, l) => n + l.samples.length, 0)
  console.log(`wrote ${values.out}: ${lines.length} lines, ${new Set(lines.map((l) => l.name)).size} containers, ${samples} samples (seed ${seed}, ${days} days)`)
}
