import { describe, expect, it } from 'vitest'
import { containerConfig } from '../../../shared/backends/docker/container-config.js'
import { UnsupportedError } from '../../../shared/core/errors.js'
import { runInput } from '../../support/engine.js'

const settings = { publishHost: '127.0.0.1', labels: { 'fargated.test': 'unit' } }

describe('containerConfig', () => {
  it('names and labels the engine container after the run', () => {
    const input = runInput({ labels: { app: 'web', 'fargated.token': 'spoofed' } }, { runNumber: 4 })
    const c = containerConfig(input, settings)
    expect(c.name).toBe(`fargated-${input.container.id.slice(0, 12)}-4`)
    expect(c.Labels).toEqual({
      app: 'web',
      'fargated.test': 'unit',
      'fargated.container': input.container.id,
      'fargated.namespace': 'test',
      'fargated.run': '4',
      'fargated.token': input.token,
      'fargated.config': expect.stringMatching(/^[0-9a-f]{32}$/),
    })
  })

  it('labels a hash of the create body: other settings, another hash; the same, the same', () => {
    const input = runInput({ env: { A: '1' } })
    const hash = (i: typeof input) => containerConfig(i, settings).Labels!['fargated.config']
    expect(hash(input)).toBe(hash({ ...input }))
    expect(hash({ ...input, container: { ...input.container, spec: { ...input.container.spec, env: { A: '2' } } } })).not.toBe(hash(input))
    expect(hash({ ...input, size: { cpu: 1024, memory: 2048 } })).not.toBe(hash(input))
  })

  it('applies the Fargate size as limits without swap', () => {
    const input = runInput({ cpu: 0.5, memory: 1024 })
    const host = containerConfig(input, settings).HostConfig!
    expect(input.size).toEqual({ cpu: 512, memory: 1024 })
    expect(host.NanoCpus).toBe(500_000_000)
    expect(host.Memory).toBe(1024 * 2 ** 20)
    expect(host.MemorySwap).toBe(host.Memory)
    expect(host.RestartPolicy).toEqual({ Name: 'no', MaximumRetryCount: 0 })
    expect(host.Privileged).toBe(false)
    expect(host.Binds).toBeUndefined()
  })

  it('exposes and publishes ports on the publish host (0 or missing = random)', () => {
    const c = containerConfig(runInput({ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'udp' }, { containerPort: 9000, hostPort: 0 }] }), settings)
    expect(c.ExposedPorts).toEqual({ '80/tcp': {}, '53/udp': {}, '9000/tcp': {} })
    expect(c.HostConfig!.PortBindings).toEqual({
      '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }],
      '53/udp': [{ HostIp: '127.0.0.1', HostPort: '' }],
      '9000/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }],
    })
  })

  it('passes cmd, entrypoint, env, workdir, user, tty and stop timeout', () => {
    const c = containerConfig(runInput({ cmd: ['-c', 'echo hi'], entrypoint: ['/bin/sh'], env: { A: '1', B: 'x=y' }, workdir: '/tmp', user: '1000:1000', tty: true, stopTimeout: 7 }), settings)
    expect(c).toMatchObject({ Cmd: ['-c', 'echo hi'], Entrypoint: ['/bin/sh'], Env: ['A=1', 'B=x=y'], WorkingDir: '/tmp', User: '1000:1000', Tty: true, StopTimeout: 7 })
  })

  it('converts the health check to nanoseconds', () => {
    const c = containerConfig(runInput({ healthcheck: { test: ['CMD-SHELL', 'true'], interval: '10s', timeout: 2, retries: 4, startPeriod: '1m' } }), settings)
    expect(c.Healthcheck).toEqual({ Test: ['CMD-SHELL', 'true'], Interval: 10e9, Timeout: 2e9, Retries: 4, StartPeriod: 60e9 })
    expect(() => runInput({ healthcheck: { test: ['wget -q localhost'] } })).toThrow(/CMD-SHELL/)
  })

  it('refuses secrets, which only AWS can resolve', () => {
    const input = runInput({ secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x' }] })
    expect(() => containerConfig(input, settings)).toThrow(UnsupportedError)
  })
})
