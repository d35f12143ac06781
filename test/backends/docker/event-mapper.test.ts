import { describe, expect, it } from 'vitest'
import { EventMapper, type EngineEvent } from '../../../shared/backends/docker/events.js'
import { OOM_REASON } from '../../../shared/backends/docker/observation.js'

const ID = 'a'.repeat(64)
const labels = { 'fargated.container': 'c'.repeat(64), 'fargated.namespace': 'ns', 'fargated.run': '2', name: 'fargated-cccccccccccc-2' }

function event(action: string, timeNano: bigint, extra: Record<string, string> = {}): EngineEvent {
  return { Type: 'container', Action: action, Actor: { ID, Attributes: { ...labels, ...extra } }, time: Number(timeNano / 1_000_000_000n), timeNano: timeNano.toString() }
}

describe('EventMapper', () => {
  it('maps start to RUNNING with the event time (µs) as version', () => {
    const o = new EventMapper().map(event('start', 1795966792935580090n))
    expect(o).toEqual({
      ref: ID,
      containerId: 'c'.repeat(64),
      namespace: 'ns',
      runNumber: 2,
      lastStatus: 'RUNNING',
      version: 1795966792935580,
      startedAt: '2026-11-29T15:39:52.935580090Z',
    })
  })

  it('maps die to STOPPED with the exit code from the attributes', () => {
    const o = new EventMapper().map(event('die', 1795966800000000000n, { exitCode: '3' }))
    expect(o).toMatchObject({ lastStatus: 'STOPPED', exitCode: 3, oomKilled: false, stoppedAt: '2026-11-29T15:40:00.000000000Z' })
  })

  it('marks the die that follows an oom event as OOM-killed, and only that one', () => {
    const m = new EventMapper()
    expect(m.map(event('oom', 1795966800000000000n))).toBeUndefined()
    expect(m.map(event('die', 1795966800000001000n, { exitCode: '137' }))).toMatchObject({ exitCode: 137, oomKilled: true, stoppedReason: OOM_REASON })
    expect(m.map(event('die', 1795966900000000000n, { exitCode: '0' }))).toMatchObject({ oomKilled: false })
  })

  it('ignores non-container events and state-less actions', () => {
    const m = new EventMapper()
    expect(m.map({ ...event('start', 1n), Type: 'image' })).toBeUndefined()
    expect(m.map(event('rename', 1n))).toBeUndefined()
  })
})

describe('EventMapper: health', () => {
  it('maps health_status events to the verdict on a RUNNING run', () => {
    const mapper = new EventMapper()
    expect(mapper.map(event('health_status: healthy', 1795966792935580090n))).toMatchObject({ lastStatus: 'RUNNING', health: 'healthy', version: 1795966792935580 })
    expect(mapper.map(event('health_status: unhealthy', 1795966792935580091n))).toMatchObject({ health: 'unhealthy' })
    expect(mapper.map(event('health_status: starting', 1795966792935580092n))).toMatchObject({ health: 'starting' })
    expect(mapper.map(event('health_status: bogus', 1795966792935580093n))).toBeUndefined()
  })
})
