import { describe, expect, it } from 'vitest'
import { hourlyPrice } from '../../../shared/core/fargate-prices.js'
import type { Container, Run } from '../../../shared/core/model.js'
import { parseSpec } from '../../../shared/core/spec.js'
import { containerUsage, STOP_SAVINGS_CAP_HOURS } from '../../../shared/core/usage/usage-summary.js'

const T = Date.parse('2026-03-02T00:00:00Z') / 1000
const iso = (s: number) => new Date(s * 1000).toISOString()

function container(over: Partial<Container> = {}, spec: Record<string, unknown> = {}): Container {
  return {
    id: 'a'.repeat(64),
    namespace: 'default',
    name: 'web',
    spec: parseSpec({ image: 'busybox', ...spec }),
    size: { cpu: 256, memory: 512 },
    state: { status: 'running', running: true, exitCode: null, oomKilled: false },
    createdAt: iso(T),
    runNumber: 1,
    restartCount: 0,
    version: 3,
    ...over,
  }
}

function run(number: number, over: Partial<Run> = {}): Run {
  return {
    containerId: 'a'.repeat(64),
    namespace: 'default',
    number,
    backend: 'ecs',
    ref: `arn:task/${number}`,
    size: { cpu: 256, memory: 512 },
    image: 'busybox',
    capacity: 'on-demand',
    lastStatus: 'RUNNING',
    createdAt: iso(T),
    startedAt: iso(T),
    eventVersion: 1,
    ...over,
  }
}

const small = hourlyPrice({ cpu: 256, memory: 512 })

describe('containerUsage', () => {
  it('adds the running run share to costToDate', () => {
    const u = containerUsage(container({ costToDate: 1.5 }), [run(1)], T + 3600)
    expect(u.spend).toBeCloseTo(1.5 + small, 5)
    expect(u.hourlyCost).toBeCloseTo(small, 5)
    expect(u.savings.total).toBe(0)
  })

  it('does not count a stopped current run twice', () => {
    const stopped = run(1, { lastStatus: 'STOPPED', stoppedAt: iso(T + 3600) })
    const u = containerUsage(container({ costToDate: 2, state: { status: 'exited', running: false, exitCode: 0, oomKilled: false } }), [stopped], T + 7200)
    expect(u.spend).toBe(2)
  })

  it('counts an idle stop until the next start, and a lifetime stop until now, capped', () => {
    const runs = [
      run(1, { lastStatus: 'STOPPED', stopCause: 'idle', stoppedAt: iso(T + 3600) }),
      run(2, { lastStatus: 'STOPPED', createdAt: iso(T + 3 * 3600), startedAt: iso(T + 3 * 3600), stopCause: 'lifetime', stoppedAt: iso(T + 4 * 3600) }),
    ]
    const c = container({ runNumber: 2, state: { status: 'exited', running: false, exitCode: 137, oomKilled: false } })
    const u = containerUsage(c, runs, T + 100 * 3600)
    expect(u.savings.idle).toBeCloseTo(2 * small, 6)
    expect(u.savings.lifetime).toBeCloseTo(STOP_SAVINGS_CAP_HOURS * small, 6)
    expect(u.savings.total).toBeCloseTo(u.savings.idle + u.savings.lifetime, 6)
  })

  it('counts the price difference of a run at a recommended size below the spec', () => {
    const big = { cpu: 1024, memory: 2048 }
    const c = container({ size: { cpu: 256, memory: 512 } }, { cpu: 1, memory: 2048, sizing: 'auto' })
    const u = containerUsage(c, [run(1, { size: { cpu: 256, memory: 512 } })], T + 2 * 3600)
    expect(u.savings.resize).toBeCloseTo(2 * (hourlyPrice(big) - small), 6)
  })

  it('counts an upsize as negative', () => {
    const c = container({}, { cpu: 0.25, memory: 512, sizing: 'auto' })
    const u = containerUsage(c, [run(1, { size: { cpu: 256, memory: 1024 } })], T + 3600)
    expect(u.savings.resize).toBeLessThan(0)
  })
})
