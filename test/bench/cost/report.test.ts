import { describe, expect, it } from 'vitest'
import { cumulativeCost, plotSvg } from '../../../bench/cost/plot.js'
import { formatReport } from '../../../bench/cost/report.js'
import { simulate } from '../../../bench/cost/simulator.js'
import { BUSY, HOUR, QUIET, T0, traceLine } from './trace-builder.js'

const result = simulate([
  traceLine({ name: 'devbox', labels: { 'fargated.idle': '30m' }, until: T0 + 4 * HOUR }, (m) => (m < 60 || m >= 180 ? BUSY : QUIET)),
  traceLine({ name: 'admin', requested: { cpu: 4, memory: 16384 }, labels: { 'fargated.sizing': 'auto' }, restarts: [T0 + 2 * HOUR], until: T0 + 4 * HOUR }, () => [0.1, 400, 50_000]),
])

describe('formatReport', () => {
  it('prints a row per container and the totals', () => {
    const text = formatReport(result)
    expect(text).toMatch(/^container +sizing +policies +requested → ran/)
    expect(text).toMatch(/admin +auto +- +4v\/16G → 4v\/16G, 2v\/16G/)
    expect(text).toMatch(/devbox +recommend +idle 30m +1v\/2G → 1v\/2G/)
    expect(text).toContain(`Saving: ${result.total.savingPercent.toFixed(1)}%`)
    expect(text).toMatch(/devbox +recommend +idle 30m +1v\/2G → 1v\/2G +\$\d+\.\d\d +\$\d+\.\d\d +\d+\.\d% +1 +1 \(1\) +0 +0 +0 +0/)
    expect(text).toContain('Stops: 1 idle, 0 lifetime; 1 resizes; 0 OOM kills')
    expect(text).toContain('Restart waits: 1 returns waited 60 s each for their container to start again (1 min in all)')
    expect(text).toContain('Harm: 0 active minutes cut off by idle stops, 0 after lifetime stops')
  })
})

describe('plotSvg', () => {
  it('accrues each run evenly and reaches the totals at the window end', () => {
    expect(cumulativeCost(result.runs, result.window.end)).toBeCloseTo(result.total.fargated.cost, 12)
    expect(cumulativeCost(result.baselineRuns, result.window.end)).toBeCloseTo(result.total.baseline.cost, 12)
    expect(cumulativeCost(result.runs, result.window.start)).toBe(0)
    const [first] = result.baselineRuns
    expect(cumulativeCost([first], (first.start + first.end) / 2)).toBeCloseTo(first.cost / 2, 12)
  })

  it('draws both lines and one mark per stop, resize and OOM', () => {
    const svg = plotSvg(result)
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true)
    expect(svg.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(2)
    expect(svg.match(/<title>/g)).toHaveLength(result.events.filter((e) => e.kind !== 'restart').length)
    expect(svg).toContain('devbox: idle-stop')
    expect(svg).toContain('admin: resize')
    expect(plotSvg(result)).toBe(svg)
  })
})
