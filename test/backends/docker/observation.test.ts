import { describe, expect, it } from 'vitest'
import { OOM_REASON, observe, publishedPorts, taskStatus, type EngineContainerView } from '../../../shared/backends/docker/observation.js'

const ZERO = '0001-01-01T00:00:00Z'

function view(state: Partial<EngineContainerView['State']>, labels: Record<string, string> = {}): EngineContainerView {
  return {
    Id: 'e'.repeat(64),
    Created: '2026-11-29T15:00:00.000000001Z',
    State: { Status: 'created', ExitCode: 0, OOMKilled: false, StartedAt: ZERO, FinishedAt: ZERO, Error: '', ...state },
    Config: { Labels: labels },
  }
}

describe('engine state → RunObservation', () => {
  it('maps each engine status to an ECS status', () => {
    expect(taskStatus(view({ Status: 'created' }).State)).toBe('PENDING')
    expect(taskStatus(view({ Status: 'created', Error: 'exec: "nope": not found' }).State)).toBe('STOPPED')
    expect(taskStatus(view({ Status: 'running' }).State)).toBe('RUNNING')
    expect(taskStatus(view({ Status: 'restarting' }).State)).toBe('RUNNING')
    expect(taskStatus(view({ Status: 'removing' }).State)).toBe('DEPROVISIONING')
    expect(taskStatus(view({ Status: 'exited' }).State)).toBe('STOPPED')
    expect(taskStatus(view({ Status: 'dead' }).State)).toBe('STOPPED')
  })

  it('carries the fargated identity from the labels', () => {
    const o = observe(view({ Status: 'running', StartedAt: '2026-11-29T15:00:01.5Z' }, {
      'fargated.container': 'c'.repeat(64),
      'fargated.namespace': 'team-a',
      'fargated.run': '3',
    }))
    expect(o).toMatchObject({ ref: 'e'.repeat(64), containerId: 'c'.repeat(64), namespace: 'team-a', runNumber: 3, lastStatus: 'RUNNING', startedAt: '2026-11-29T15:00:01.5Z' })
    expect(o.exitCode).toBeUndefined()
  })

  it('reports exit code, finish time and the OOM flag of a stopped container', () => {
    const o = observe(view({ Status: 'exited', ExitCode: 137, OOMKilled: true, StartedAt: '2026-11-29T15:00:01Z', FinishedAt: '2026-11-29T15:00:09.123456789Z' }))
    expect(o).toMatchObject({ lastStatus: 'STOPPED', exitCode: 137, oomKilled: true, stoppedAt: '2026-11-29T15:00:09.123456789Z', stoppedReason: OOM_REASON })
  })

  it('reports a failed start as STOPPED with the engine error', () => {
    const o = observe(view({ Status: 'created', ExitCode: 127, Error: 'exec: "nope": executable file not found in $PATH' }))
    expect(o).toMatchObject({ lastStatus: 'STOPPED', exitCode: 127, stoppedReason: 'exec: "nope": executable file not found in $PATH' })
  })

  it('uses the latest engine time in microseconds as the version, so later states sort after earlier ones', () => {
    const created = observe(view({ Status: 'created' }))
    const running = observe(view({ Status: 'running', StartedAt: '2026-11-29T15:00:01.000002Z' }))
    const stopped = observe(view({ Status: 'exited', StartedAt: '2026-11-29T15:00:01.000002Z', FinishedAt: '2026-11-29T15:00:01.000003999Z' }))
    expect(created.version).toBe(Date.parse('2026-11-29T15:00:00Z') * 1000)
    expect(running.version).toBe(Date.parse('2026-11-29T15:00:01Z') * 1000 + 2)
    expect(stopped.version).toBe(running.version + 1)
  })
})

describe('engine health → RunObservation', () => {
  it('carries State.Health.Status while running, nothing for none or once stopped', () => {
    const running = { Status: 'running', StartedAt: '2026-11-29T15:00:01.5Z' }
    expect(observe(view({ ...running, Health: { Status: 'healthy' } })).health).toBe('healthy')
    expect(observe(view({ ...running, Health: { Status: 'starting' } })).health).toBe('starting')
    expect(observe(view({ ...running, Health: { Status: 'none' } })).health).toBeUndefined()
    expect(observe(view({ Status: 'exited', StartedAt: running.StartedAt, FinishedAt: '2026-11-29T15:00:09Z', Health: { Status: 'unhealthy' } })).health).toBeUndefined()
  })
})

describe('engine port bindings → endpoints', () => {
  it('takes one binding per container port, IPv4 first, sorted; unpublished ports are left out', () => {
    expect(publishedPorts({
      '8080/tcp': [{ HostIp: '::', HostPort: '32769' }, { HostIp: '127.0.0.1', HostPort: '32768' }],
      '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }],
      '9000/tcp': null,
    })).toEqual([
      { containerPort: 53, protocol: 'udp', ip: '127.0.0.1', port: 5353 },
      { containerPort: 8080, protocol: 'tcp', ip: '127.0.0.1', port: 32768 },
    ])
    expect(publishedPorts(undefined)).toEqual([])
  })
  it('are reported while the container runs', () => {
    const info = { ...view({ Status: 'running', StartedAt: '2026-11-29T15:00:01.5Z' }), NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '40001' }] } } }
    expect(observe(info).endpoints).toEqual([{ containerPort: 80, protocol: 'tcp', ip: '127.0.0.1', port: 40001 }])
  })
})
