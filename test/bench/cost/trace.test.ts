import { describe, expect, it } from 'vitest'
import { mulberry32, Random } from '../../../bench/cost/prng.js'
import { formatTrace, parseTrace, traceWindow } from '../../../bench/cost/trace.js'
import { DEFAULT_TRACE_START, generateTrace } from '../../../bench/cost/trace-generator.js'

const valid = { name: 'a', platform: 'linux/amd64', capacity: 'spot', requested: { cpu: 1, memory: 2048 }, start: 100, end: 400, samples: [[100, 0.5, 300, 10], [160, 0.5, 300, 10]] }

describe('trace format', () => {
  it('parses JSON Lines with defaults and skips blank lines', () => {
    const [line] = parseTrace(`\n${JSON.stringify(valid)}\n\n`)
    expect(line).toMatchObject({ name: 'a', labels: {}, step: 60, restarts: [], end: 400, wake: 'user' })
    expect(parseTrace(JSON.stringify({ ...valid, wake: 'none' }))[0].wake).toBe('none')
    expect(() => parseTrace(JSON.stringify({ ...valid, wake: 'cron' }))).toThrow(/trace line 1: wake/)
  })

  it('names the line and field of a bad line', () => {
    expect(() => parseTrace(`${JSON.stringify(valid)}\n{"name":`)).toThrow(/trace line 2/)
    expect(() => parseTrace(JSON.stringify({ ...valid, platform: 'windows' }))).toThrow(/trace line 1: platform/)
    expect(() => parseTrace(JSON.stringify({ ...valid, samples: [[500, 1, 1, 1]] }))).toThrow(/outside \[start, end\)/)
    expect(() => parseTrace(JSON.stringify({ ...valid, samples: [[160, 1, 1, 1], [100, 1, 1, 1]] }))).toThrow(/not after/)
    expect(() => parseTrace(JSON.stringify({ ...valid, extra: 1 }))).toThrow(/extra/)
  })

  it('runs the window from the first start to the last end; an open line ends a step after its last sample', () => {
    const open = { ...valid, name: 'b', start: 50, end: null, samples: [[50, 0, 0, 0], [900, 0, 0, 0]] }
    expect(traceWindow(parseTrace(formatTrace([valid, open] as never)))).toEqual({ start: 50, end: 960 })
  })
})

describe('generator', () => {
  it('mulberry32 is a deterministic uniform source', () => {
    const a = mulberry32(42)
    const b = mulberry32(42)
    const xs = Array.from({ length: 1000 }, () => a())
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()))
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / 1000 - 0.5)).toBeLessThan(0.05)
    expect(new Random(1).fork('x').next()).toBe(new Random(1).fork('x').next())
    expect(new Random(1).fork('x').next()).not.toBe(new Random(1).fork('y').next())
  })

  it('is deterministic per seed, round-trips through the format, and covers the window', () => {
    const one = formatTrace(generateTrace({ seed: 7, days: 1 }))
    expect(formatTrace(generateTrace({ seed: 7, days: 1 }))).toBe(one)
    expect(formatTrace(generateTrace({ seed: 8, days: 1 }))).not.toBe(one)
    const parsed = parseTrace(one)
    expect(traceWindow(parsed)).toEqual({ start: DEFAULT_TRACE_START, end: DEFAULT_TRACE_START + 86_400 })
  })

  it('draws every kind of workload the issue lists', () => {
    const trace = parseTrace(formatTrace(generateTrace({ seed: 1, days: 7 })))
    const names = new Set(trace.map((l) => l.name))
    expect(trace.some((l) => l.capacity === 'spot')).toBe(true)
    expect(trace.some((l) => l.platform === 'linux/arm64')).toBe(true)
    expect(trace.filter((l) => l.name === 'nightly-etl' && l.end !== null)).toHaveLength(7)
    expect(trace.some((l) => l.labels['fargated.idle'])).toBe(true)
    expect(trace.some((l) => l.labels['fargated.max-lifetime'])).toBe(true)
    for (const n of ['web-api', 'queue-worker', 'devbox-alice', 'admin-panel', 'notebook', 'redis-cache']) expect(names).toContain(n)
    // People start their own boxes again; nobody starts a stopped service or batch job.
    const woken = new Set(trace.filter((l) => l.wake === 'user').map((l) => l.name))
    expect([...woken].sort()).toEqual(['devbox-alice', 'devbox-bob', 'devbox-carol', 'notebook'])
    expect(trace.filter((l) => l.labels['fargated.idle']).every((l) => l.wake === 'user')).toBe(true)
    // Memory-hungry ones stay near, never over, their requested memory.
    const notebook = trace.find((l) => l.name === 'notebook')!
    const peak = Math.max(...notebook.samples.map((s) => s[2]))
    expect(peak).toBeGreaterThan(0.9 * notebook.requested.memory)
    expect(peak).toBeLessThanOrEqual(notebook.requested.memory)
  })

  it('rejects a window that does not start on a Monday', () => {
    expect(() => generateTrace({ start: DEFAULT_TRACE_START + 86_400 })).toThrow(/Monday/)
  })
})
