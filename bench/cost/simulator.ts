import { HOURS_PER_MONTH } from '../../shared/core/fargate-prices.js'
import { ContainerSimulation, specOf } from './container-simulation.js'
import { DEFAULT_SIMULATION, type ContainerReport, type Harm, type SimulationOptions, type SimulationResult, type SimulationTotal } from './simulation-types.js'
import { traceWindow, type TraceContainer } from './trace.js'
import { sizeOf } from '../../shared/core/spec.js'

const noHarm = (): Harm => ({ idleMinutes: 0, lifetimeMinutes: 0, oomSamples: 0, oomSamplesFromResize: 0, throttledSamples: 0, throttledSamplesFromResize: 0 })

function policiesOf(line: TraceContainer): string {
  const spec = specOf(line)
  const parts: string[] = []
  if (spec.idle) parts.push(`idle ${line.labels['fargated.idle'] ?? `${spec.idle.after}s`}`)
  if (spec.maxLifetime !== undefined) parts.push(`lifetime ${line.labels['fargated.max-lifetime'] ?? `${spec.maxLifetime}s`}`)
  return parts.join(', ')
}

function newReport(line: TraceContainer): ContainerReport {
  return {
    name: line.name,
    platform: line.platform,
    capacity: line.capacity,
    sizing: specOf(line).sizing,
    policies: policiesOf(line),
    requested: sizeOf(specOf(line)),
    sizes: [],
    baseline: { cost: 0, hours: 0 },
    fargated: { cost: 0, hours: 0 },
    saving: 0,
    savingPercent: 0,
    idleStops: 0,
    restartWaits: { count: 0, minutes: 0 },
    lifetimeStops: 0,
    resizes: 0,
    oomKills: 0,
    harm: noHarm(),
  }
}

const percent = (saving: number, baseline: number) => (baseline > 0 ? (100 * saving) / baseline : 0)

function totalOf(containers: ContainerReport[], windowSeconds: number): SimulationTotal {
  const sum = (f: (c: ContainerReport) => number) => containers.reduce((n, c) => n + f(c), 0)
  const harm = noHarm()
  for (const key of Object.keys(harm) as (keyof Harm)[]) harm[key] = sum((c) => c.harm[key])
  const baseline = { cost: sum((c) => c.baseline.cost), hours: sum((c) => c.baseline.hours) }
  const fargated = { cost: sum((c) => c.fargated.cost), hours: sum((c) => c.fargated.hours) }
  const perMonth = windowSeconds > 0 ? (HOURS_PER_MONTH * 3600) / windowSeconds : 0
  return {
    baseline,
    fargated,
    saving: baseline.cost - fargated.cost,
    savingPercent: percent(baseline.cost - fargated.cost, baseline.cost),
    savingPerMonth: (baseline.cost - fargated.cost) * perMonth,
    baselinePerMonth: baseline.cost * perMonth,
    fargatedPerMonth: fargated.cost * perMonth,
    idleStops: sum((c) => c.idleStops),
    restartWaits: { count: sum((c) => c.restartWaits.count), minutes: sum((c) => c.restartWaits.minutes) },
    lifetimeStops: sum((c) => c.lifetimeStops),
    resizes: sum((c) => c.resizes),
    oomKills: sum((c) => c.oomKills),
    harm,
  }
}

/**
 * Replays a trace twice: as it ran (every line at its requested size for its whole run) and
 * with fargated's policies (ContainerSimulation). Deterministic: no clock, no randomness.
 */
export function simulate(trace: readonly TraceContainer[], options: Partial<SimulationOptions> = {}): SimulationResult {
  const opts: SimulationOptions = { ...DEFAULT_SIMULATION, ...options }
  const window = traceWindow(trace)
  const byName = new Map<string, TraceContainer[]>()
  for (const line of trace) byName.set(line.name, [...(byName.get(line.name) ?? []), line])
  const sims: ContainerSimulation[] = []
  for (const [name, lines] of byName) {
    lines.sort((a, b) => a.start - b.start)
    const sim = new ContainerSimulation(newReport(lines[0]), opts)
    lines.forEach((line, i) => {
      const previousEnd = i > 0 ? (lines[i - 1].end ?? window.end) : -Infinity
      if (line.start < previousEnd) throw new Error(`container ${name}: a run starting at ${line.start} overlaps the previous run`)
      sim.play(line, window.end)
    })
    const r = sim.report
    r.saving = r.baseline.cost - r.fargated.cost
    r.savingPercent = percent(r.saving, r.baseline.cost)
    r.recommendation = sim.finalRecommendation()
    sims.push(sim)
  }
  const containers = sims.map((s) => s.report).sort((a, b) => b.baseline.cost - a.baseline.cost || a.name.localeCompare(b.name))
  return {
    window,
    options: opts,
    containers,
    total: totalOf(containers, window.end - window.start),
    baselineRuns: sims.flatMap((s) => s.baselineRuns),
    runs: sims.flatMap((s) => s.runs),
    events: sims.flatMap((s) => s.events).sort((a, b) => a.time - b.time || a.container.localeCompare(b.container)),
  }
}
