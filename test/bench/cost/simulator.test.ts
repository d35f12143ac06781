import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { runCost } from '../../../shared/core/fargate-prices.js'
import { hourlyPriceFor } from '../../../shared/core/policies/cost.js'
import { simulate } from '../../../bench/cost/simulator.js'
import { BUSY, HOUR, MIN, QUIET, T0, traceLine } from './trace-builder.js'

const price = (cpu: number, memory: number) => hourlyPriceFor({ cpu, memory }, 'linux/amd64', 'on-demand')
const AUTO = { 'fargated.sizing': 'auto' }

describe('simulate: idle policy', () => {
  const idleBox = (usage: (m: number) => typeof BUSY) => traceLine({ name: 'devbox', labels: { 'fargated.idle': '30m' }, until: T0 + 4 * HOUR }, usage)

  it('stops an idle box exactly its timeout after the last active minute', () => {
    const result = simulate([idleBox((m) => (m < 60 ? BUSY : QUIET))])
    const [box] = result.containers
    expect(result.runs).toEqual([{ container: 'devbox', start: T0, end: T0 + HOUR + 30 * MIN, size: { cpu: 1024, memory: 2048 }, cost: runCost(price(1024, 2048), 5400), stop: 'idle' }])
    expect(result.events).toMatchObject([{ time: T0 + 5400, kind: 'idle-stop', reason: expect.stringContaining('idle for 30m') }])
    expect(box).toMatchObject({ idleStops: 1, restartWaits: { count: 0, minutes: 0 }, harm: { idleMinutes: 0 } })
    expect(box.baseline.cost).toBeCloseTo(runCost(price(1024, 2048), 4 * HOUR), 12)
    expect(box.savingPercent).toBeCloseTo(100 * (1 - 5400 / (4 * HOUR)), 9)
  })

  it('a dev box (wake: user) is started by its user when they return: no harm, one restart wait, billed from the start request', () => {
    const trace = [idleBox((m) => (m < 60 || m >= 180 ? BUSY : QUIET))]
    const returns = T0 + 3 * HOUR
    const at = (restartDelay: number) => simulate(trace, { restartDelay })
    expect(trace[0].wake).toBe('user')
    expect(at(60).runs.map((r) => [r.start, r.end, r.stop])).toEqual([
      [T0, T0 + 5400, 'idle'],
      [returns, T0 + 4 * HOUR, 'window-end'],
    ])
    expect(at(60).containers[0]).toMatchObject({ idleStops: 1, restartWaits: { count: 1, minutes: 1 }, harm: { idleMinutes: 0 } })
    expect(at(60).events.map((e) => [e.time, e.kind])).toEqual([
      [T0 + 5400, 'idle-stop'],
      [returns, 'restart'],
    ])
    expect(at(300).containers[0]).toMatchObject({ restartWaits: { count: 1, minutes: 5 }, harm: { idleMinutes: 0 } })
    expect(at(300).runs[1].start).toBe(returns)
    expect(at(0).containers[0]).toMatchObject({ restartWaits: { count: 1, minutes: 0 }, harm: { idleMinutes: 0 } })
  })

  it('shifts the session after a restart wait: the next idle stop comes the delay later', () => {
    // Busy 1 h, quiet 2 h, back for 30 min, then quiet: stopped 30 min after the last active minute, plus the wait.
    const trace = [idleBox((m) => (m < 60 || (m >= 180 && m < 210) ? BUSY : QUIET))]
    const at = (restartDelay: number) => simulate(trace, { restartDelay }).runs.map((r) => [r.start, r.end, r.stop])
    expect(at(0)).toEqual([
      [T0, T0 + 5400, 'idle'],
      [T0 + 3 * HOUR, T0 + 4 * HOUR, 'idle'],
    ])
    expect(at(300)).toEqual([
      [T0, T0 + 5400, 'idle'],
      [T0 + 3 * HOUR, T0 + 4 * HOUR, 'window-end'],
    ])
    expect(at(120)[1]).toEqual([T0 + 3 * HOUR, T0 + 4 * HOUR, 'window-end'])
    const late = simulate([idleBox((m) => (m < 60 || (m >= 150 && m < 170) ? BUSY : QUIET))], { restartDelay: 120 }).runs.map((r) => [r.start, r.end, r.stop])
    expect(late[1]).toEqual([T0 + 150 * MIN, T0 + 200 * MIN + 120, 'idle'])
  })

  it('a service nobody starts (wake: none) loses the traffic that arrives while it is stopped: harm', () => {
    const svc = traceLine({ name: 'svc', wake: 'none', labels: { 'fargated.idle': '30m' }, until: T0 + 4 * HOUR }, (m) => (m < 60 || m >= 180 ? BUSY : QUIET))
    const result = simulate([svc])
    expect(result.runs.map((r) => [r.start, r.end, r.stop])).toEqual([[T0, T0 + 5400, 'idle']])
    expect(result.containers[0]).toMatchObject({ idleStops: 1, restartWaits: { count: 0, minutes: 0 }, harm: { idleMinutes: 60, lifetimeMinutes: 0 } })
    expect(result.total.harm.idleMinutes).toBe(60)
  })

  it('does not stop a box whose quiet stretches are shorter than the timeout', () => {
    const result = simulate([idleBox((m) => (m % 40 < 25 ? QUIET : BUSY))])
    expect(result.containers[0].idleStops).toBe(0)
    expect(result.runs).toHaveLength(1)
  })
})

describe('simulate: idle stops never cut off work (property)', () => {
  it('stops only after `after` of quiet samples; a wake-user box loses nothing and waits once per return', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 4, maxLength: 40 }), fc.constantFrom(0, 60, 300), (blocks, restartDelay) => {
        // 10-minute blocks of work or quiet; idle after 30 minutes.
        const box = traceLine({ name: 'devbox', labels: { 'fargated.idle': '30m' }, until: T0 + blocks.length * 10 * MIN }, (m) => (blocks[Math.floor(m / 10)] ? BUSY : QUIET))
        const result = simulate([box], { restartDelay })
        const [c] = result.containers
        expect(c.harm.idleMinutes).toBe(0)
        expect(c.restartWaits).toEqual({ count: result.runs.length - 1, minutes: ((result.runs.length - 1) * restartDelay) / 60 })
        if (restartDelay > 0) return
        for (const stop of result.events.filter((e) => e.kind === 'idle-stop')) {
          const window = box.samples.filter(([t]) => t >= stop.time - 30 * MIN && t < stop.time)
          expect(window).toHaveLength(30)
          expect(window.every(([, cpu]) => cpu === QUIET[0])).toBe(true)
        }
        // Every restart is at an active sample: the user came back.
        for (const run of result.runs.slice(1)) expect(blocks[Math.floor((run.start - T0) / (10 * MIN))]).toBe(true)
      }),
      { numRuns: 100 },
    )
  })
})

describe('simulate: lifetime policy', () => {
  it('stops at the max lifetime and counts later activity as harm, without restarting', () => {
    const ci = traceLine({ name: 'ci', labels: { 'fargated.max-lifetime': '1h' }, until: T0 + 3 * HOUR }, (m) => (m < 90 ? BUSY : QUIET))
    const result = simulate([ci])
    expect(result.runs.map((r) => [r.start, r.end, r.stop])).toEqual([[T0, T0 + HOUR, 'lifetime']])
    expect(result.containers[0]).toMatchObject({ lifetimeStops: 1, harm: { lifetimeMinutes: 30, idleMinutes: 0 } })
  })
})

describe('simulate: sizing', () => {
  const steady = (labels: Record<string, string>) =>
    traceLine({ name: 'admin', requested: { cpu: 4, memory: 16384 }, labels, restarts: [T0 + 2 * HOUR], until: T0 + 4 * HOUR }, () => [0.1, 400, 50_000])
  /** Hour-long memory lookback: the few-hour traces below then see memory shrink (default: a week). */
  const SHORT = { memoryLookbackSeconds: HOUR }

  it('resizes an oversized auto container to the expected pair at its next start', () => {
    const result = simulate([steady(AUTO)], SHORT)
    const [admin] = result.containers
    // p95 0.1 vCPU × 1.2 → 0.25 vCPU; 400 MiB × 1.2 = 480 → 512 MiB.
    expect(admin.sizes).toEqual([{ cpu: 4096, memory: 16384 }, { cpu: 256, memory: 512 }])
    expect(admin.resizes).toBe(1)
    expect(result.events).toMatchObject([{ time: T0 + 2 * HOUR, kind: 'resize', from: { cpu: 4096, memory: 16384 }, size: { cpu: 256, memory: 512 } }])
    expect(admin.fargated.cost).toBeCloseTo(runCost(price(4096, 16384), 2 * HOUR) + runCost(price(256, 512), 2 * HOUR), 12)
    expect(admin.baseline.cost).toBeCloseTo(runCost(price(4096, 16384), 4 * HOUR), 12)
  })

  it('keeps memory (shrinks CPU only) before a week of usage is seen, with the default memory lookback', () => {
    const result = simulate([steady(AUTO)])
    expect(result.containers[0].sizes).toEqual([{ cpu: 4096, memory: 16384 }, { cpu: 2048, memory: 16384 }])
    expect(result.events[0].reason).toContain('memory kept at 16384 MiB until 7 days of usage are seen (0.1 days so far)')
  })

  it('only recommends with sizing=recommend', () => {
    const [admin] = simulate([steady({})], SHORT).containers
    expect(admin).toMatchObject({ sizing: 'recommend', resizes: 0, sizes: [{ cpu: 4096, memory: 16384 }], savingPercent: 0 })
    expect(admin.recommendation?.size).toEqual({ cpu: 256, memory: 512 })
  })

  it('a memory spike after a resize is an OOM kill (harm, caused by resizing), then memory steps up', () => {
    const spiky = traceLine({ name: 'api', labels: AUTO, restarts: [T0 + 2 * HOUR], until: T0 + 4 * HOUR }, (m) => [0.1, m >= 180 && m < 200 ? 700 : 300, 50_000])
    const result = simulate([spiky], SHORT)
    const [api] = result.containers
    expect(api.harm).toMatchObject({ oomSamples: 1, oomSamplesFromResize: 1 })
    expect(api.oomKills).toBe(1)
    expect(result.events.map((e) => [e.time, e.kind, e.size])).toEqual([
      [T0 + 2 * HOUR, 'resize', { cpu: 256, memory: 512 }],
      [T0 + 3 * HOUR, 'oom', { cpu: 256, memory: 512 }],
      // Capped samples at 512 MiB say ≥ 615 MiB → 1024; the OOM steps up one more → 2048.
      [T0 + 3 * HOUR + MIN, 'resize', { cpu: 256, memory: 2048 }],
    ])
    expect(result.runs.map((r) => [r.start, r.end, r.stop])).toEqual([
      [T0, T0 + 2 * HOUR, 'redeploy'],
      [T0 + 2 * HOUR, T0 + 3 * HOUR + MIN, 'oom'],
      [T0 + 3 * HOUR + MIN, T0 + 4 * HOUR, 'window-end'],
    ])
  })

  it('a weekly memory peak: the 7-day lookback keeps the memory it needs, a 1-day lookback OOM-kills it', () => {
    // 700 MiB, but Sundays (day 6, 13) 23:00–23:40 a reindex ramps to 2200 MiB; redeployed daily at 16:00.
    const DAY = 86_400
    const restarts = Array.from({ length: 13 }, (_, d) => T0 + d * DAY + 16 * HOUR)
    const indexer = traceLine({ name: 'indexer', wake: 'none', requested: { cpu: 1, memory: 3072 }, labels: AUTO, restarts, until: T0 + 14 * DAY }, (m) => {
      const inDay = m % 1440
      const reindex = Math.floor(m / 1440) % 7 === 6 && inDay >= 23 * 60 && inDay < 23 * 60 + 40
      return [0.1, reindex ? 700 + 1500 * ((inDay - 23 * 60) / 40) : 700, 50_000]
    })
    const [week] = simulate([indexer]).containers
    expect(week.harm).toMatchObject({ oomSamples: 0, oomSamplesFromResize: 0 })
    expect(week.sizes.every((s) => s.memory >= 3072)).toBe(true)
    const [day] = simulate([indexer], { memoryLookbackSeconds: DAY }).containers
    expect(day.harm.oomSamplesFromResize).toBeGreaterThan(0)
    expect(day.sizes).toContainEqual({ cpu: 256, memory: 1024 })
  })

  it('counts OOM at the requested size as harm not caused by resizing', () => {
    const small = traceLine({ name: 'tiny', requested: { cpu: 0.25, memory: 512 }, labels: { 'fargated.sizing': 'fixed' } }, (m) => [0.1, m === 30 ? 600 : 300, 0])
    const [tiny] = simulate([small]).containers
    expect(tiny).toMatchObject({ oomKills: 1, harm: { oomSamples: 1, oomSamplesFromResize: 0 }, sizes: [{ cpu: 256, memory: 512 }] })
  })

  it('counts CPU demand above a resized size as throttling caused by resizing', () => {
    const line = traceLine({ name: 'w', requested: { cpu: 2, memory: 4096 }, labels: AUTO, restarts: [T0 + 2 * HOUR] }, (m) => [m >= 150 && m < 160 ? 0.5 : 0.1, 300, 50_000])
    const [w] = simulate([line], SHORT).containers
    expect(w.sizes[1]).toEqual({ cpu: 256, memory: 512 })
    expect(w.harm).toMatchObject({ throttledSamples: 10, throttledSamplesFromResize: 10, oomSamples: 0 })
  })

  it('carries usage history across runs of the same name (a nightly job): memory shrinks on the 8th night', () => {
    const night = (d: number) =>
      traceLine({ name: 'etl', requested: { cpu: 4, memory: 16384 }, labels: AUTO, start: T0 + d * 86_400, end: T0 + d * 86_400 + HOUR }, () => [2, 5000, 0])
    const result = simulate([7, 3, 0, 1, 2, 4, 5, 6].map(night))
    expect(result.containers[0].sizes).toEqual([{ cpu: 4096, memory: 16384 }, { cpu: 4096, memory: 8192 }])
    expect(result.events.map((e) => [e.time, e.kind])).toEqual([[T0 + 7 * 86_400, 'resize']])
    expect(result.baselineRuns).toHaveLength(8)
    expect(() => simulate([night(0), { ...night(0), start: T0 + 30 * MIN }])).toThrow(/overlaps/)
  })
})

describe('simulate: totals', () => {
  it('sums containers, scales the saving to a month, and is deterministic', () => {
    const trace = [
      traceLine({ name: 'a', labels: { 'fargated.idle': '30m' }, until: T0 + 4 * HOUR }, (m) => (m < 60 ? BUSY : QUIET)),
      traceLine({ name: 'b', until: T0 + 4 * HOUR }, () => BUSY),
    ]
    const result = simulate(trace)
    expect(result.total.baseline.cost).toBeCloseTo(result.containers[0].baseline.cost + result.containers[1].baseline.cost, 12)
    expect(result.total.savingPerMonth).toBeCloseTo((result.total.saving * 730) / 4, 9)
    expect(result.total.idleStops).toBe(1)
    expect(simulate(trace)).toEqual(result)
  })
})
