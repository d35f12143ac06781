import type { FargateSize } from '../../shared/core/fargate-sizes.js'
import type { ContainerReport, SimulationResult } from './simulation-types.js'

/** "0.25v/0.5G": vCPU and GiB, short enough for a table cell. */
export const shortSize = (s: FargateSize) => `${s.cpu / 1024}v/${+(s.memory / 1024).toFixed(2)}G`
const money = (x: number) => `$${x.toFixed(2)}`
const pct = (x: number) => `${(Math.abs(x) < 0.05 ? 0 : x).toFixed(1)}%`
const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10)
const num = (x: number) => `${+x.toFixed(2)}`

const COLUMNS: { head: string; right?: boolean; cell: (c: ContainerReport) => string }[] = [
  { head: 'container', cell: (c) => c.name },
  { head: 'sizing', cell: (c) => c.sizing },
  { head: 'policies', cell: (c) => c.policies || '-' },
  { head: 'requested → ran', cell: (c) => `${shortSize(c.requested)} → ${c.sizes.map(shortSize).join(', ') || '-'}` },
  { head: 'no policy', right: true, cell: (c) => money(c.baseline.cost) },
  { head: 'fargated', right: true, cell: (c) => money(c.fargated.cost) },
  { head: 'saving', right: true, cell: (c) => pct(c.savingPercent) },
  { head: 'idle', right: true, cell: (c) => `${c.idleStops}` },
  { head: 'waits (min)', right: true, cell: (c) => `${c.restartWaits.count} (${num(c.restartWaits.minutes)})` },
  { head: 'life', right: true, cell: (c) => `${c.lifetimeStops}` },
  { head: 'resize', right: true, cell: (c) => `${c.resizes}` },
  { head: 'harm idle', right: true, cell: (c) => num(c.harm.idleMinutes) },
  { head: 'harm life', right: true, cell: (c) => num(c.harm.lifetimeMinutes) },
  { head: 'OOM (resize)', right: true, cell: (c) => `${c.harm.oomSamples} (${c.harm.oomSamplesFromResize})` },
  { head: 'throttled (resize)', right: true, cell: (c) => `${c.harm.throttledSamples} (${c.harm.throttledSamplesFromResize})` },
]

/** The per-container table, then the totals, as plain text. */
export function formatReport(result: SimulationResult): string {
  const rows = [COLUMNS.map((c) => c.head), ...result.containers.map((r) => COLUMNS.map((c) => c.cell(r)))]
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => [...r[i]].length)))
  const render = (r: string[]) =>
    r.map((cell, i) => (COLUMNS[i].right ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd()
  const { total: t, window: w, options: o } = result
  const days = (w.end - w.start) / 86_400
  return [
    render(rows[0]),
    widths.map((n) => '-'.repeat(n)).join('  '),
    ...rows.slice(1).map(render),
    '',
    `Window: ${days.toFixed(1)} days (${day(w.start)} to ${day(w.end)}), ${result.containers.length} containers, ${result.baselineRuns.length} runs in the trace, ${result.runs.length} runs with fargated`,
    `Bill with no policy: ${money(t.baseline.cost)} (${money(t.baselinePerMonth)}/month), with fargated: ${money(t.fargated.cost)} (${money(t.fargatedPerMonth)}/month)`,
    `Saving: ${pct(t.savingPercent)} = ${money(t.saving)} over the window, ${money(t.savingPerMonth)}/month`,
    `Stops: ${t.idleStops} idle, ${t.lifetimeStops} lifetime; ${t.resizes} resizes; ${t.oomKills} OOM kills`,
    `Restart waits: ${t.restartWaits.count} returns waited ${o.restartDelay} s each for their container to start again (${num(t.restartWaits.minutes)} min in all)`,
    `Harm: ${num(t.harm.idleMinutes)} active minutes cut off by idle stops, ${num(t.harm.lifetimeMinutes)} after lifetime stops; ` +
      `${t.harm.oomSamples} OOM samples (${t.harm.oomSamplesFromResize} caused by resizing); ${t.harm.throttledSamples} throttled samples (${t.harm.throttledSamplesFromResize} caused by resizing)`,
  ].join('\n')
}
