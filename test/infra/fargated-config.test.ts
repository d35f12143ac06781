import { describe, expect, it } from 'vitest'
import { FargatedConfigError, readConfig } from '../../infra/fargated-config.js'
import { CONTEXT_KEYS, DEFAULTS, type ContextKey } from '../../infra/fargated-defaults.js'

const read = (context: Partial<Record<ContextKey, unknown>>) => readConfig((key) => context[key])

function problemsOf(context: Partial<Record<ContextKey, unknown>>): string[] {
  try {
    read(context)
  } catch (error) {
    if (error instanceof FargatedConfigError) return error.problems
    throw error
  }
  throw new Error('expected a FargatedConfigError')
}

describe('readConfig defaults', () => {
  it('gives a new-VPC deployment with public IPs and no ingress', () => {
    const c = read({})
    expect(c.existingNetwork).toBeUndefined()
    expect(c.assignPublicIp).toBe(true)
    expect(c.ingressCidrs).toEqual([])
    expect(c.ingressPorts).toEqual(DEFAULTS.ingressPorts)
    expect(c).toMatchObject({
      stackName: 'Fargated',
      logRetentionDays: 30,
      repositoryPrefix: 'fargated',
      taskFamilyPrefix: 'fargated',
      tagMutability: 'MUTABLE',
      untaggedKeep: 10,
      containerInsights: 'enhanced',
      spotDefault: false,
      stageName: 'prod',
      throttleRate: 50,
      throttleBurst: 100,
      tableDeletionProtection: true,
      apiGatewayCloudWatchRole: true,
      orphanPolicy: 'stop',
    })
  })

  it('reads every key it declares', () => {
    const seen = new Set<string>()
    readConfig((key) => {
      seen.add(key)
      return undefined
    })
    expect([...seen].sort()).toEqual([...CONTEXT_KEYS].sort())
  })
})

describe('readConfig values', () => {
  it('accepts typed values (cdk.json) and strings (-c key=value) alike', () => {
    const typed = read({ untaggedKeep: 3, spotDefault: true, throttleRate: 2.5, ingressCidrs: ['10.0.0.0/8'] })
    const strings = read({ untaggedKeep: '3', spotDefault: 'true', throttleRate: '2.5', ingressCidrs: '10.0.0.0/8' })
    expect(strings).toEqual(typed)
  })

  it('reads lists as JSON arrays, JSON strings or comma-separated strings', () => {
    const a = read({ ingressCidrs: '10.0.0.0/8, 2001:db8::/32' }).ingressCidrs
    const b = read({ ingressCidrs: '["10.0.0.0/8","2001:db8::/32"]' }).ingressCidrs
    expect(a).toEqual(['10.0.0.0/8', '2001:db8::/32'])
    expect(b).toEqual(a)
  })

  it('imports an existing network with public IPs off unless asked', () => {
    const c = read({ vpcId: 'vpc-0a1b2c3d', subnetIds: 'subnet-0a1b2c3d,subnet-1a2b3c4d', securityGroupId: 'sg-0a1b2c3d' })
    expect(c.existingNetwork).toEqual({ vpcId: 'vpc-0a1b2c3d', subnetIds: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'], securityGroupId: 'sg-0a1b2c3d' })
    expect(c.assignPublicIp).toBe(false)
    expect(read({ vpcId: 'vpc-0a1b2c3d', subnetIds: 'subnet-0a1b2c3d', assignPublicIp: 'true' }).assignPublicIp).toBe(true)
  })

  it('parses ports, ranges and protocols', () => {
    expect(read({ ingressPorts: '80, 8000-8100, 53/udp' }).ingressPorts).toEqual([
      { from: 80, to: 80, protocol: 'tcp' },
      { from: 8000, to: 8100, protocol: 'tcp' },
      { from: 53, to: 53, protocol: 'udp' },
    ])
  })

  it('derives the task family prefix from the repository prefix', () => {
    expect(read({ repositoryPrefix: 'team/fargated' }).taskFamilyPrefix).toBe('team-fargated')
    expect(read({ repositoryPrefix: 'team/fargated', taskFamilyPrefix: 'tf' }).taskFamilyPrefix).toBe('tf')
  })
})

describe('readConfig rejects bad values with the key named', () => {
  const cases: [string, Partial<Record<ContextKey, unknown>>, RegExp][] = [
    ['retention not in the CloudWatch list', { logRetentionDays: 8 }, /^logRetentionDays: must be one of 1, 3, 5, 7, 14/],
    ['retention not a number', { logRetentionDays: 'week' }, /^logRetentionDays: must be a number/],
    ['uppercase repository prefix', { repositoryPrefix: 'Fargated' }, /^repositoryPrefix: "Fargated" breaks ECR naming/],
    ['repository prefix with an empty part', { repositoryPrefix: 'a//b' }, /^repositoryPrefix: .* breaks ECR naming/],
    ['repository prefix with a trailing separator', { repositoryPrefix: 'fargated-' }, /^repositoryPrefix: .* breaks ECR naming/],
    ['tag mutability', { tagMutability: 'mutable' }, /^tagMutability: "mutable" must be one of MUTABLE \| IMMUTABLE/],
    ['untaggedKeep zero', { untaggedKeep: 0 }, /^untaggedKeep: must be between 1 and 10000 \(got 0\)/],
    ['untaggedKeep fractional', { untaggedKeep: '2.5' }, /^untaggedKeep: must be a whole number/],
    ['container insights level', { containerInsights: 'on' }, /^containerInsights: "on" must be one of enhanced \| enabled \| disabled/],
    ['boolean', { spotDefault: 'yes' }, /^spotDefault: must be true or false/],
    ['deletion protection boolean', { tableDeletionProtection: 1 }, /^tableDeletionProtection: must be true or false/],
    ['stage name', { stageName: 'prod/v1' }, /^stageName: must be 1-128 characters/],
    ['throttle rate', { throttleRate: -1 }, /^throttleRate: must be greater than 0/],
    ['throttle burst', { throttleBurst: 0 }, /^throttleBurst: must be between 1 and 5000/],
    ['CIDR', { ingressCidrs: '10.0.0.0/33' }, /^ingressCidrs: "10.0.0.0\/33" is not an IPv4 or IPv6 CIDR/],
    ['port range', { ingressPorts: '9000-80' }, /^ingressPorts: "9000-80" must lie within 1-65535/],
    ['port syntax', { ingressPorts: 'http' }, /^ingressPorts: "http" is not a port/],
    ['vpc id', { vpcId: 'my-vpc', subnetIds: 'subnet-0a1b2c3d' }, /^vpcId: "my-vpc" is not a VPC id/],
    ['subnets without a VPC', { subnetIds: 'subnet-0a1b2c3d' }, /^subnetIds: needs vpcId/],
    ['VPC without subnets', { vpcId: 'vpc-0a1b2c3d' }, /^subnetIds: required with vpcId/],
    ['subnet id', { vpcId: 'vpc-0a1b2c3d', subnetIds: 'subnet-0a1b2c3d,sub-1' }, /^subnetIds: "sub-1" is not a subnet id/],
    ['security group without a VPC', { securityGroupId: 'sg-0a1b2c3d' }, /^securityGroupId: needs vpcId/],
    [
      'CIDRs with an existing group',
      { vpcId: 'vpc-0a1b2c3d', subnetIds: 'subnet-0a1b2c3d', securityGroupId: 'sg-0a1b2c3d', ingressCidrs: '10.0.0.0/8' },
      /^ingressCidrs: cannot be combined with securityGroupId/,
    ],
    ['orphan policy', { orphanPolicy: 'kill' }, /^orphanPolicy: "kill" must be one of stop \| adopt \| ignore/],
    ['stack name', { stackName: '1fargated' }, /^stackName: must start with a letter/],
    ['malformed JSON list', { ingressCidrs: '[10.0.0.0/8' }, /^ingressCidrs: is not a valid JSON list/],
  ]

  it.each(cases)('%s', (_name, context, expected) => {
    const problems = problemsOf(context)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(expected)
  })

  it('reports every problem at once', () => {
    const error = (() => {
      try {
        read({ logRetentionDays: 8, tagMutability: 'x', untaggedKeep: -1 })
      } catch (e) {
        return e as Error
      }
    })()
    expect(error).toBeInstanceOf(FargatedConfigError)
    expect(error?.message).toMatch(/^Invalid fargated context:\n {2}- logRetentionDays: .*\n {2}- tagMutability: .*\n {2}- untaggedKeep: /)
  })
})
