import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../../shared/core/errors.js'
import { canonicalJson } from '../../../shared/core/canonical-json.js'
import { familyName, namespaceOfFamily, planTaskDefinition, toHealthCheck } from '../../../shared/backends/ecs/task-definition.js'
import { config, DIGEST, REGISTRY, spec } from './support.js'

const image = `${REGISTRY}/fargated/team-a/app@${DIGEST}`
const plan = (s = spec(), size = { cpu: 512, memory: 1024 }, img = image, namespace = 'team-a') =>
  planTaskDefinition({ namespace, spec: s, size, image: img, config })

describe('planTaskDefinition', () => {
  it('maps a spec to a Fargate awsvpc definition with one essential container "main"', () => {
    const s = spec({
      entrypoint: ['/bin/sh', '-c'],
      workdir: '/srv',
      user: '1000:1000',
      tty: true,
      ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 53, protocol: 'udp' }],
      platform: 'linux/arm64',
      stopTimeout: 45,
      ephemeralStorage: 50,
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:db-abc' }],
      healthcheck: { test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: '10s', timeout: 3, retries: 2, startPeriod: '1m' },
    })
    const { input, hash, family } = plan(s)
    expect(family).toBe(`fargated-team-a-${hash}`)
    expect(hash).toMatch(/^[0-9a-f]{16}$/)
    expect(input).toMatchObject({
      family,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: '512',
      memory: '1024',
      runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
      ephemeralStorage: { sizeInGiB: 50 },
      executionRoleArn: config.executionRoleArn,
      taskRoleArn: config.taskRoleArn,
      tags: [
        { key: 'fargated:namespace', value: 'team-a' },
        { key: 'fargated:spec-hash', value: hash },
      ],
    })
    const c = input.containerDefinitions![0]
    expect(c).toEqual({
      name: 'main',
      image,
      essential: true,
      entryPoint: ['/bin/sh', '-c'],
      workingDirectory: '/srv',
      user: '1000:1000',
      pseudoTerminal: true,
      portMappings: [
        { containerPort: 80, protocol: 'tcp' },
        { containerPort: 53, protocol: 'udp' },
      ],
      stopTimeout: 45,
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:db-abc' }],
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 10, timeout: 3, retries: 2, startPeriod: 60 },
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': '/fargated/runs', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'team-a' },
      },
    })
  })

  it('keeps cmd and env out of the definition, so they do not change the hash', () => {
    const a = plan(spec({ cmd: ['a'], env: { X: '1' } }))
    const b = plan(spec({ cmd: ['b', 'c'], env: { Y: '2' } }))
    expect(a.hash).toBe(b.hash)
    expect(JSON.stringify(a.input)).not.toMatch(/"command"|"environment"/)
  })

  it('changes the hash with anything the definition holds', () => {
    const base = plan().hash
    expect(plan(spec(), { cpu: 1024, memory: 2048 }).hash).not.toBe(base)
    expect(plan(spec({ platform: 'linux/arm64' })).hash).not.toBe(base)
    expect(plan(spec({ ports: [{ containerPort: 80 }] })).hash).not.toBe(base)
    expect(plan(spec({ entrypoint: ['x'] })).hash).not.toBe(base)
    expect(plan(spec({ stopTimeout: 30 })).hash).not.toBe(base)
    expect(plan(spec({ ephemeralStorage: 30 })).hash).not.toBe(base)
    expect(plan(spec(), undefined, `${REGISTRY}/fargated/team-a/app@sha256:${'1'.repeat(64)}`).hash).not.toBe(base)
    expect(plan(spec(), undefined, image, 'team-b').hash).not.toBe(base)
    const other = planTaskDefinition({ namespace: 'team-a', spec: spec(), size: { cpu: 512, memory: 1024 }, image, config: { ...config, taskRoleArn: 'arn:aws:iam::1:role/other' } })
    expect(other.hash).not.toBe(base)
  })

  it('does not depend on labels, policies or restart settings', () => {
    const base = plan().hash
    expect(plan(spec({ labels: { a: 'b' }, idle: { after: '15m' }, maxLifetime: '2h', restartPolicy: { name: 'always' } })).hash).toBe(base)
  })

  it('omits optional parts a plain spec does not use', () => {
    const c = plan().input.containerDefinitions![0]
    expect(c).not.toHaveProperty('portMappings')
    expect(c).not.toHaveProperty('healthCheck')
    expect(c).not.toHaveProperty('secrets')
    expect(c).not.toHaveProperty('pseudoTerminal')
    expect(plan().input).not.toHaveProperty('ephemeralStorage')
    expect(plan().input.runtimePlatform?.cpuArchitecture).toBe('X86_64')
  })
})

describe('toHealthCheck', () => {
  const h = { interval: 30, timeout: 5, retries: 3, startPeriod: 0 }
  it('wraps a bare command in CMD-SHELL and disables NONE', () => {
    expect(toHealthCheck({ test: ['curl', '-f', 'http://x'], ...h })?.command).toEqual(['CMD-SHELL', 'curl -f http://x'])
    expect(toHealthCheck({ test: ['NONE'], ...h })).toBeUndefined()
    expect(toHealthCheck({ test: ['CMD', 'true'], ...h })).toEqual({ command: ['CMD', 'true'], interval: 30, timeout: 5, retries: 3 })
  })
  it('rejects intervals Fargate does not accept', () => {
    expect(() => toHealthCheck({ test: ['CMD', 'true'], ...h, interval: 2 })).toThrow(InvalidSpecError)
    expect(() => toHealthCheck({ test: ['CMD', 'true'], ...h, timeout: 90 })).toThrow(/healthcheck.timeout must be 2-60/)
  })
})

describe('family names', () => {
  it('sanitises characters ECS rejects and round-trips the namespace', () => {
    expect(familyName('fargated', 'team.a', '0123456789abcdef')).toBe('fargated-team-a-0123456789abcdef')
    expect(namespaceOfFamily('fargated-team-a-0123456789abcdef', 'fargated')).toBe('team-a')
    expect(namespaceOfFamily('sample-fargate', 'fargated')).toBeUndefined()
    expect(familyName('p', 'n'.repeat(400), '0123456789abcdef')).toHaveLength(255)
  })
  it('canonical JSON ignores key order and undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 2 }] })).toBe(canonicalJson({ a: [{ c: 2 }], b: 1 }))
  })
})
