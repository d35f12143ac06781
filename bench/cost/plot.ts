import type { SimEvent, SimRun, SimulationResult } from './simulation-types.js'

const W = 960
const H = 480
const M = { left: 70, right: 44, top: 48, bottom: 56 }
const DAY = 86_400
const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** Cumulative cost at `t`, each run's cost accruing evenly over its run time. */
export function cumulativeCost(runs: readonly SimRun[], t: number): number {
  let sum = 0
  for (const r of runs) {
    if (t <= r.start) continue
    sum += r.end > r.start ? r.cost * Math.min(1, (t - r.start) / (r.end - r.start)) : r.cost
  }
  return sum
}

function niceStep(max: number, ticks = 5): number {
  const raw = max / ticks
  const mag = 10 ** Math.floor(Math.log10(raw))
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const f = (x: number) => x.toFixed(1)

function mark(e: SimEvent, x: number, y: number): string {
  const title = `<title>${esc(`${new Date(e.time * 1000).toISOString().slice(0, 16)} ${e.container}: ${e.kind}${e.reason ? ` (${e.reason})` : ''}`)}</title>`
  switch (e.kind) {
    case 'idle-stop':
      return `<path d="M${f(x - 4)},${f(y - 10)} L${f(x + 4)},${f(y - 10)} L${f(x)},${f(y - 3)} Z" fill="#d62728">${title}</path>`
    case 'lifetime-stop':
      return `<rect x="${f(x - 4)}" y="${f(y - 12)}" width="8" height="8" fill="#111">${title}</rect>`
    case 'resize':
      return `<circle cx="${f(x)}" cy="${f(y + 8)}" r="4" fill="none" stroke="#1f77b4" stroke-width="1.5">${title}</circle>`
    case 'oom':
      return `<path d="M${f(x - 4)},${f(y + 4)} L${f(x + 4)},${f(y + 12)} M${f(x + 4)},${f(y + 4)} L${f(x - 4)},${f(y + 12)}" stroke="#ff7f0e" stroke-width="2">${title}</path>`
    default:
      return ''
  }
}

/** A hand-written SVG: cumulative bill over time, no policy vs fargated, with stop and resize marks. */
export function plotSvg(result: SimulationResult, points = 336): string {
  const { start, end } = result.window
  const span = Math.max(1, end - start)
  const max = Math.max(1e-9, result.total.baseline.cost, result.total.fargated.cost)
  const step = niceStep(max)
  const top = Math.ceil(max / step) * step
  const x = (t: number) => M.left + ((t - start) / span) * (W - M.left - M.right)
  const y = (cost: number) => H - M.bottom - (cost / top) * (H - M.top - M.bottom)
  const line = (runs: readonly SimRun[]) =>
    Array.from({ length: points + 1 }, (_, i) => start + (span * i) / points)
      .map((t, i) => `${i === 0 ? 'M' : 'L'}${f(x(t))},${f(y(cumulativeCost(runs, t)))}`)
      .join(' ')
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="20" font-size="15" font-weight="bold">Cumulative Fargate bill: no policy vs fargated (saving ${result.total.savingPercent.toFixed(1)}%)</text>`,
  ]
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e5e5e5"/>`)
    out.push(`<text x="${M.left - 6}" y="${f(y(v) + 4)}" text-anchor="end">$${+v.toFixed(2)}</text>`)
  }
  // A label a day up to two weeks, then a label a week (gridlines stay daily).
  const labelEvery = span > 14 * DAY ? 7 : 1
  for (let t = start, i = 0; t <= end; t += DAY, i++) {
    const d = new Date(t * 1000)
    out.push(`<line x1="${f(x(t))}" x2="${f(x(t))}" y1="${M.top}" y2="${H - M.bottom}" stroke="${i % labelEvery === 0 ? '#e0e0e0' : '#f4f4f4'}"/>`)
    if (i % labelEvery === 0) out.push(`<text x="${f(x(t))}" y="${H - M.bottom + 16}" text-anchor="middle">${WEEKDAY[d.getUTCDay()]} ${d.toISOString().slice(5, 10)}</text>`)
  }
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`)
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`)
  out.push(`<path d="${line(result.baselineRuns)}" fill="none" stroke="#7f7f7f" stroke-width="2"/>`)
  out.push(`<path d="${line(result.runs)}" fill="none" stroke="#1f77b4" stroke-width="2"/>`)
  for (const e of result.events) if (e.kind !== 'restart') out.push(mark(e, x(e.time), y(cumulativeCost(result.runs, e.time))))
  const legend: [string, string][] = [
    ['<line x1="0" x2="18" y1="0" y2="0" stroke="#7f7f7f" stroke-width="2"/>', 'no policy (requested size, whole run)'],
    ['<line x1="0" x2="18" y1="0" y2="0" stroke="#1f77b4" stroke-width="2"/>', 'fargated'],
    ['<path d="M5,-5 L13,-5 L9,2 Z" fill="#d62728"/>', 'idle stop'],
    ['<rect x="5" y="-4" width="8" height="8" fill="#111"/>', 'lifetime stop'],
    ['<circle cx="9" cy="0" r="4" fill="none" stroke="#1f77b4" stroke-width="1.5"/>', 'resize'],
    ['<path d="M5,-4 L13,4 M13,-4 L5,4" stroke="#ff7f0e" stroke-width="2"/>', 'OOM kill'],
  ]
  legend.forEach(([icon, label], i) => out.push(`<g transform="translate(${M.left + 12},${M.top + 10 + i * 18})">${icon}<text x="24" y="4">${esc(label)}</text></g>`))
  out.push(`<text x="${M.left}" y="${H - 12}" fill="#555">Each run's cost accrues evenly over its run time; the totals include Fargate's one-minute minimum.</text>`)
  out.push('</svg>')
  return out.join('\n') + '\n'
}
