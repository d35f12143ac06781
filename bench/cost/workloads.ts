import type { Random } from './prng.js'
import type { TraceContainerInput } from './trace.js'
import { bursts, dayOf, days, dayStart, diurnal, HOUR, hourOf, isWeekday, line, type Clock, type Usage } from './workload-shapes.js'

/**
 * The fleet the generator draws: each function returns the trace lines of one kind of
 * workload. Sizes are what people typically ask for; usage follows the shape named.
 */
type Workload = (clock: Clock, rng: Random) => TraceContainerInput[]

const AUTO = { 'fargated.sizing': 'auto' }
/** Weekday deploys at `hour` on the given weekdays (0 = Monday). */
const deploys = (clock: Clock, hour: number, weekdays: number[]) =>
  Array.from({ length: days(clock) }, (_, d) => d)
    .filter((d) => weekdays.includes(d % 7))
    .map((d) => dayStart(clock, d) + hour * HOUR)

/** Steady web services with a daily cycle, quieter at weekends, redeployed on weekdays. */
const webServices: Workload = (clock, rng) => {
  const service = (name: string, o: { platform: 'linux/amd64' | 'linux/arm64'; cpu: number; memory: number; base: number; peak: number; mem: number; memDay: number; deployHour: number; deployDays: number[]; labels: Record<string, string> }) => {
    const r = rng.fork(name)
    let lastDeploy = clock.start
    const restarts = deploys(clock, o.deployHour, o.deployDays)
    return line(clock, { name, platform: o.platform, capacity: 'on-demand', wake: 'none', requested: { cpu: o.cpu, memory: o.memory }, labels: o.labels, start: clock.start, end: null, restarts }, (t) => {
      if (restarts.includes(t)) lastDeploy = t
      const load = diurnal(clock, t) * (isWeekday(clock, t) ? 1 : 0.45)
      const spike = r.chance(0.01) ? r.uniform(0.1, 0.3) * o.peak : 0
      const leak = ((t - lastDeploy) / HOUR) * 1.5
      return [(o.base + o.peak * load) * r.jitter(0.12) + spike, o.mem + o.memDay * load + leak + 15 * r.normal(), (20_000 + 2_000_000 * load) * r.jitter(0.3)]
    })
  }
  return [
    service('web-api', { platform: 'linux/amd64', cpu: 2, memory: 4096, base: 0.06, peak: 0.45, mem: 650, memDay: 150, deployHour: 14, deployDays: [0, 1, 2, 3, 4], labels: AUTO }),
    service('web-frontend', { platform: 'linux/arm64', cpu: 1, memory: 2048, base: 0.03, peak: 0.15, mem: 280, memDay: 40, deployHour: 11, deployDays: [1, 3], labels: AUTO }),
    service('admin-panel', { platform: 'linux/amd64', cpu: 4, memory: 16384, base: 0.01, peak: 0.04, mem: 420, memDay: 20, deployHour: 10, deployDays: [2], labels: AUTO }),
    // sizing=recommend is the default: the recommendation is shown, the bill does not change.
    service('billing-api', { platform: 'linux/amd64', cpu: 2, memory: 8192, base: 0.05, peak: 0.2, mem: 1400, memDay: 200, deployHour: 15, deployDays: [1, 3], labels: {} }),
  ]
}

/** Queue workers: long quiet stretches, CPU and memory bursts when jobs arrive; redeployed with the API. */
const burstyWorkers: Workload = (clock, rng) => {
  const r = rng.fork('queue-worker')
  const busy = bursts(r, (t) => (diurnal(clock, t) > 0 ? 0.05 : 0.015), () => r.int(3, 12))
  return [
    line(clock, { name: 'queue-worker', platform: 'linux/amd64', capacity: 'on-demand', wake: 'none', requested: { cpu: 4, memory: 8192 }, labels: AUTO, start: clock.start, end: null, restarts: deploys(clock, 14, [0, 1, 2, 3, 4]) }, (t): Usage => {
      const on = busy(t)
      return on ? [r.uniform(0.9, 1.6), r.uniform(850, 1000), r.uniform(50_000, 400_000)] : [0.02 * r.jitter(0.3), 520 + 20 * r.normal(), 3_000 * r.jitter(0.3)]
    }),
  ]
}

/** Spot workers: steady CPU, recycled every night. */
const spotWorkers: Workload = (clock, rng) =>
  ['render-spot-1', 'render-spot-2'].map((name) => {
    const r = rng.fork(name)
    return line(clock, { name, platform: 'linux/amd64', capacity: 'spot', wake: 'none', requested: { cpu: 2, memory: 4096 }, labels: AUTO, start: clock.start, end: null, restarts: deploys(clock, 3, [0, 1, 2, 3, 4, 5, 6]) }, () => [
      0.5 * r.jitter(0.12),
      1500 + 60 * r.normal(),
      200_000 * r.jitter(0.3),
    ])
  })

/** A nightly batch job: one line per night (same name, so history carries over), exits when done. */
const batchJobs: Workload = (clock, rng) => {
  const r = rng.fork('nightly-etl')
  return Array.from({ length: days(clock) }, (_, d) => {
    const start = dayStart(clock, d) + 2 * HOUR
    const minutes = r.int(55, 80)
    const scale = r.uniform(0.92, 1.08)
    return line(clock, { name: 'nightly-etl', platform: 'linux/amd64', capacity: 'on-demand', wake: 'none', requested: { cpu: 4, memory: 16384 }, labels: AUTO, start, end: start + minutes * 60 }, (t) => {
      const progress = (t - start) / (minutes * 60)
      return [(1.6 + 0.8 * Math.sin(Math.PI * progress)) * r.jitter(0.08), (2000 + 3800 * Math.min(1, progress * 1.4)) * scale + 40 * r.normal(), 5_000_000 * r.jitter(0.2)]
    })
  })
}

/** Two CI runners taking jobs back to back on weekdays (default sizing: recommend), and one job that hung. */
const ciJobs: Workload = (clock, rng) => {
  const out: TraceContainerInput[] = []
  for (const name of ['ci-runner-a', 'ci-runner-b']) {
    const r = rng.fork(name)
    for (let d = 0; d < days(clock); d++) {
      if (d % 7 >= 5) continue
      let t = dayStart(clock, d) + r.uniform(8.5, 9.5) * HOUR
      while (hourOf(clock, t) < 19) {
        const start = Math.round(t / 60) * 60
        const minutes = r.int(8, 25)
        const cpu = r.uniform(1.0, 1.6)
        const mem = r.uniform(1500, 2600)
        out.push(line(clock, { name, platform: 'linux/amd64', capacity: 'on-demand', wake: 'none', requested: { cpu: 2, memory: 4096 }, labels: {}, start, end: start + minutes * 60 }, () => [cpu * r.jitter(0.1), mem + 50 * r.normal(), 1_000_000 * r.jitter(0.3)]))
        t = start + minutes * 60 + r.uniform(5, 60) * 60
      }
    }
  }
  const r = rng.fork('ci-stuck')
  const start = dayStart(clock, 1) + 10 * HOUR
  out.push(
    line(clock, { name: 'ci-e2e-hung', platform: 'linux/amd64', capacity: 'on-demand', wake: 'none', requested: { cpu: 2, memory: 4096 }, labels: { 'fargated.max-lifetime': '2h' }, start, end: null }, (t) =>
      t - start < 20 * 60 ? [1.3 * r.jitter(0.1), 2200 + 50 * r.normal(), 800_000 * r.jitter(0.3)] : [0.001, 1800, 0],
    ),
  )
  return out
}

/** Developer boxes: busy in working hours with lunch and meetings, idle at night and weekends. */
const devBoxes: Workload = (clock, rng) => {
  const box = (name: string, platform: 'linux/amd64' | 'linux/arm64', evenings: number[]) => {
    const r = rng.fork(name)
    const sessions: [number, number][] = []
    for (let d = 0; d < days(clock); d++) {
      const day = dayStart(clock, d)
      if (d % 7 < 5) {
        const lunch = day + r.uniform(12, 12.75) * HOUR
        sessions.push([day + r.uniform(8.5, 9.5) * HOUR, lunch], [lunch + r.uniform(45, 70) * 60, day + r.uniform(17.5, 19) * HOUR])
      }
      if (evenings.includes(d)) sessions.push([day + 20 * HOUR, day + 21.5 * HOUR])
    }
    const meeting = bursts(r, () => 1 / 120, () => r.int(10, 25))
    const compile = bursts(r, () => 1 / 20, () => r.int(1, 6))
    const start = dayStart(clock, 0) + 8 * HOUR
    return line(clock, { name, platform, capacity: 'on-demand', wake: 'user', requested: { cpu: 2, memory: 8192 }, labels: { 'fargated.idle': '30m' }, start, end: null }, (t): Usage => {
      const present = sessions.some(([a, b]) => t >= a && t < b)
      const inMeeting = present && meeting(t)
      if (!present || inMeeting) return [0.003 * r.jitter(0.3), 2100 + 20 * r.normal(), 150 * r.jitter(0.3)]
      if (compile(t)) return [r.uniform(0.6, 1.7), 3800 + 300 * r.normal(), 40_000 * r.jitter(0.5)]
      return r.chance(0.1) ? [0.01, 2600, 600] : [r.uniform(0.02, 0.12), 2600 + 200 * r.normal(), 8_000 * r.jitter(0.5)]
    })
  }
  const r = rng.fork('devbox-carol')
  const carolStart = dayStart(clock, 0) + 10 * HOUR
  const forgotten = line(
    clock,
    { name: 'devbox-carol', platform: 'linux/amd64', capacity: 'on-demand', wake: 'user', requested: { cpu: 4, memory: 16384 }, labels: { 'fargated.idle': '1h' }, start: carolStart, end: null },
    (t) => (t - carolStart < 2 * HOUR ? [r.uniform(0.05, 1.5), 5000 + 300 * r.normal(), 20_000 * r.jitter(0.4)] : [0.004 * r.jitter(0.3), 3100, 120 * r.jitter(0.3)]),
  )
  return [box('devbox-alice', 'linux/amd64', []), box('devbox-bob', 'linux/arm64', [2]), forgotten]
}

/** Memory-hungry containers near their limit: a notebook server (auto, idle-stopped), a cache (fixed). */
const memoryHungry: Workload = (clock, rng) => {
  const r = rng.fork('notebook')
  const work = bursts(r, (t) => (isWeekday(clock, t) && hourOf(clock, t) >= 9 && hourOf(clock, t) < 18 ? 0.08 : 0), () => r.int(5, 40))
  const c = rng.fork('redis-cache')
  return [
    line(clock, { name: 'notebook', platform: 'linux/amd64', capacity: 'on-demand', wake: 'user', requested: { cpu: 2, memory: 8192 }, labels: { ...AUTO, 'fargated.idle': '2h' }, start: clock.start + 9 * HOUR, end: null }, (t): Usage =>
      work(t) ? [r.uniform(0.3, 1.5), r.uniform(7000, 7900), 30_000 * r.jitter(0.5)] : [0.004, 6800 + 30 * r.normal(), 200 * r.jitter(0.3)],
    ),
    line(clock, { name: 'redis-cache', platform: 'linux/arm64', capacity: 'on-demand', wake: 'none', requested: { cpu: 1, memory: 4096 }, labels: { 'fargated.sizing': 'fixed' }, start: clock.start, end: null }, (t) => [
      (0.02 + 0.1 * diurnal(clock, t)) * c.jitter(0.2),
      3550 + 40 * c.normal(),
      300_000 * (0.2 + diurnal(clock, t)) * c.jitter(0.2),
    ]),
  ]
}

/**
 * A service with a weekly job (Sunday 23:00 full reindex) that needs 3× its usual memory:
 * a 24 h lookback never sees it before the weekday redeploys resize the service.
 */
const weeklySpike: Workload = (clock, rng) => {
  const r = rng.fork('search-indexer')
  return [
    line(clock, { name: 'search-indexer', platform: 'linux/amd64', capacity: 'on-demand', wake: 'none', requested: { cpu: 1, memory: 3072 }, labels: AUTO, start: clock.start, end: null, restarts: deploys(clock, 16, [1, 3]) }, (t) => {
      const reindex = dayOf(clock, t) === 6 && hourOf(clock, t) >= 23 ? (hourOf(clock, t) - 23) / (2 / 3) : -1
      if (reindex >= 0 && reindex < 1) return [0.9 * r.jitter(0.1), 700 + 1500 * reindex + 20 * r.normal(), 2_000_000 * r.jitter(0.2)]
      return [(0.04 + 0.1 * diurnal(clock, t)) * r.jitter(0.15), 700 + 20 * r.normal(), 100_000 * r.jitter(0.3)]
    }),
  ]
}

/** Small always-on sidecars already at the smallest size. */
const smallAgents: Workload = (clock, rng) => {
  const r = rng.fork('log-shipper')
  return [line(clock, { name: 'log-shipper', platform: 'linux/arm64', capacity: 'on-demand', wake: 'none', requested: { cpu: 0.25, memory: 512 }, labels: AUTO, start: clock.start, end: null }, () => [0.01 * r.jitter(0.3), 110 + 5 * r.normal(), 8_000 * r.jitter(0.3)])]
}

export const FLEET: readonly Workload[] = [webServices, burstyWorkers, spotWorkers, batchJobs, ciJobs, devBoxes, memoryHungry, weeklySpike, smallAgents]

