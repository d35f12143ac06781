import { describe, expect, it } from 'vitest'
import { containerInspect, containerSummary } from '../../../shared/api/docker/containers-json.js'
import type { Container, Run } from '../../../shared/core/model.js'
import { endpointsOf } from '../../../shared/core/run-observation.js'
import { parseSpec } from '../../../shared/core/spec.js'

const spec = parseSpec({ image: 'busybox', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'udp' }] })

describe('endpointsOf', () => {
  it('on Fargate: the task address with each container port (no host port mapping)', () => {
    expect(endpointsOf({ spec }, { address: '10.0.0.139' })).toEqual([
      { containerPort: 80, protocol: 'tcp', ip: '10.0.0.139', port: 80 },
      { containerPort: 53, protocol: 'udp', ip: '10.0.0.139', port: 53 },
    ])
  })
  it("locally: the engine's bindings as reported", () => {
    const endpoints = [{ containerPort: 80, protocol: 'tcp' as const, ip: '127.0.0.1', port: 8080 }]
    expect(endpointsOf({ spec }, { address: '10.0.0.1', endpoints })).toBe(endpoints)
  })
  it('nothing without an address, bindings or ports', () => {
    expect(endpointsOf({ spec }, {})).toBeUndefined()
    expect(endpointsOf({ spec: parseSpec({ image: 'busybox' }) }, { address: '10.0.0.1' })).toBeUndefined()
  })
})

describe('ps and inspect show where ports answer', () => {
  const c = {
    id: 'c'.repeat(64), namespace: 'ns', name: 'web', spec, size: { cpu: 256, memory: 512 }, createdAt: '2026-11-29T10:00:00Z', runNumber: 1, restartCount: 0, version: 3,
    state: { status: 'running', running: true, exitCode: null, oomKilled: false, startedAt: '2026-11-29T10:00:01Z', endpoints: endpointsOf({ spec }, { address: '10.0.0.139' }) },
  } as Container
  const run = { address: '10.0.0.139' } as Run
  it('ps: the task address and container port', () => {
    expect(containerSummary(c, new Date('2026-11-29T10:05:00Z'), 'ecs').Ports).toEqual([
      { IP: '10.0.0.139', PrivatePort: 80, PublicPort: 80, Type: 'tcp' },
      { IP: '10.0.0.139', PrivatePort: 53, PublicPort: 53, Type: 'udp' },
    ])
  })
  it('inspect: NetworkSettings.IPAddress and Ports', () => {
    const ns = containerInspect(c, run, 'ecs').NetworkSettings as { IPAddress: string; Ports: Record<string, unknown> }
    expect(ns.IPAddress).toBe('10.0.0.139')
    expect(ns.Ports['80/tcp']).toEqual([{ HostIp: '10.0.0.139', HostPort: '80' }])
  })
})
