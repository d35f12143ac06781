/** Context variants: each synthesizes (without bundling) and stays free of cdk-nag findings. */
import { PolicyStatement } from 'aws-cdk-lib/aws-iam'
import { beforeAll, describe, expect, it } from 'vitest'
import { FargatedConfigError } from '../../infra/fargated-config.js'
import { ENV } from '../../shared/config/env.js'
import { render } from './support/render.js'
import { logicalId, resourcesOfType, synthesize, type Synthesized } from './support/synth.js'

const env = (s: Synthesized) =>
  (s.json.Resources[logicalId(s.json, 'AWS::Lambda::Function', 'ApiHandlerFunction')].Properties?.Environment as { Variables: Record<string, unknown> }).Variables

describe('existing network', () => {
  it('imports VPC and subnets by id, creates the task group in that VPC, and turns public IPs off', () => {
    const s = synthesize({ vpcId: 'vpc-0a1b2c3d', subnetIds: 'subnet-0a1b2c3d,subnet-1a2b3c4d' })
    expect(s.violations).toEqual([])
    s.template.resourceCountIs('AWS::EC2::VPC', 0)
    s.template.resourceCountIs('AWS::EC2::Subnet', 0)
    s.template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0a1b2c3d' })
    expect(env(s)[ENV.subnets]).toBe('subnet-0a1b2c3d,subnet-1a2b3c4d')
    expect(env(s)[ENV.assignPublicIp]).toBe('DISABLED')
  })

  it('uses an existing security group as is', () => {
    const s = synthesize({ vpcId: 'vpc-0a1b2c3d', subnetIds: 'subnet-0a1b2c3d', securityGroupId: 'sg-0a1b2c3d' })
    expect(s.violations).toEqual([])
    s.template.resourceCountIs('AWS::EC2::SecurityGroup', 0)
    expect(env(s)[ENV.securityGroups]).toBe('sg-0a1b2c3d')
  })
})

describe('ingress', () => {
  it('opens exactly the configured ports to exactly the configured CIDRs', () => {
    const s = synthesize({ ingressCidrs: '203.0.113.0/24,2001:db8::/32', ingressPorts: '80,8000-8100/tcp,53/udp' })
    expect(s.violations).toEqual([])
    const [, group] = resourcesOfType(s.json, 'AWS::EC2::SecurityGroup')[0]
    const rules = (group.Properties?.SecurityGroupIngress as Record<string, unknown>[]).map((r) => `${r.CidrIp ?? r.CidrIpv6} ${r.IpProtocol} ${r.FromPort}-${r.ToPort}`)
    expect(rules.sort()).toEqual(
      [
        '203.0.113.0/24 tcp 80-80',
        '203.0.113.0/24 tcp 8000-8100',
        '203.0.113.0/24 udp 53-53',
        '2001:db8::/32 tcp 80-80',
        '2001:db8::/32 tcp 8000-8100',
        '2001:db8::/32 udp 53-53',
      ].sort(),
    )
  })

  it('acknowledges an internet-open group only because the operator asked for it', () => {
    const s = synthesize({ ingressCidrs: '0.0.0.0/0' })
    expect(s.violations).toEqual([])
    const [, group] = resourcesOfType(s.json, 'AWS::EC2::SecurityGroup')[0]
    expect(group.Properties?.SecurityGroupIngress).toHaveLength(2)
  })
})

describe('container insights', () => {
  it('disabled: no performance log group, no usage subscription, insights off', () => {
    const s = synthesize({ containerInsights: 'disabled' })
    expect(s.violations).toEqual([])
    s.template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'disabled' }] })
    s.template.resourceCountIs('AWS::Logs::SubscriptionFilter', 0)
    expect(resourcesOfType(s.json, 'AWS::Logs::LogGroup').filter(([id]) => id.startsWith('ComputePerformanceLogs'))).toEqual([])
    expect(env(s)[ENV.containerInsightsLogGroup]).toBeUndefined()
  })

  it('enabled: basic insights, samples still subscribed', () => {
    const s = synthesize({ containerInsights: 'enabled' })
    s.template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] })
    s.template.resourceCountIs('AWS::Logs::SubscriptionFilter', 1)
  })
})

describe('settings flow into the template', () => {
  let s: Synthesized
  beforeAll(() => {
    s = synthesize({
    stackName: 'FargatedTest',
    repositoryPrefix: 'team/fgd',
    tagMutability: 'IMMUTABLE',
    untaggedKeep: 3,
    logRetentionDays: 7,
    spotDefault: true,
    stageName: 'live',
    throttleRate: 5,
    throttleBurst: 10,
    tableDeletionProtection: false,
    apiGatewayCloudWatchRole: false,
    orphanPolicy: 'adopt',
    })
  })

  it('stays free of findings', () => {
    expect(s.violations).toEqual([])
  })

  it('names the cluster, secret and performance log group after the stack', () => {
    s.template.hasResourceProperties('AWS::ECS::Cluster', { ClusterName: 'FargatedTest' })
    s.template.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'fargated/FargatedTest/admin-api-key' })
    s.template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/ecs/containerinsights/FargatedTest/performance' })
  })

  it('applies the registry settings to the template, the push rule, IAM and the env', () => {
    s.template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', { Prefix: 'team/fgd', ImageTagMutability: 'IMMUTABLE' })
    const [, template] = resourcesOfType(s.json, 'AWS::ECR::RepositoryCreationTemplate')[0]
    expect(JSON.parse(template.Properties?.LifecyclePolicy as string).rules[0].selection.countNumber).toBe(3)
    s.template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { detail: { 'repository-name': [{ prefix: 'team/fgd/' }] } } })
    expect(JSON.stringify(s.json)).toContain(':repository/team/fgd/*')
    expect(JSON.stringify(s.json)).toContain(':task-definition/team-fgd-*')
    expect(env(s)).toMatchObject({
      [ENV.repositoryPrefix]: 'team/fgd',
      [ENV.taskFamilyPrefix]: 'team-fgd',
      [ENV.tagMutability]: 'IMMUTABLE',
      [ENV.untaggedKeep]: '3',
      [ENV.orphanPolicy]: 'adopt',
      [ENV.stage]: 'live',
    })
  })

  it('uses the retention for every log group but the 1-day performance group', () => {
    const retention = resourcesOfType(s.json, 'AWS::Logs::LogGroup').map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.Properties?.RetentionInDays])
    expect(Object.fromEntries(retention)).toEqual({
      ComputeTaskLogs: 7,
      ComputePerformanceLogs: 1,
      ApiHandlerLogs: 7,
      ApiAccessLogs: 7,
      EventsHandlerLogs: 7,
      ReaperHandlerLogs: 7,
    })
  })

  it('applies spot default, stage, throttling, deletion protection and the CloudWatch role choice', () => {
    s.template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', { DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE_SPOT', Weight: 1 }] })
    const [, stage] = resourcesOfType(s.json, 'AWS::ApiGateway::Stage')[0]
    expect(stage.Properties?.StageName).toBe('live')
    expect(stage.Properties?.MethodSettings).toEqual([expect.objectContaining({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })])
    s.template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false })
    s.template.resourceCountIs('AWS::ApiGateway::Account', 0)
    expect(render(s.json.Outputs?.DockerHost?.Value)).toMatch(/:443\/live$/)
  })
})

describe('cdk-nag', () => {
  it('runs on every synth: an unacknowledged wildcard is reported', () => {
    const s = synthesize({}, {
      mutate: (stack) => stack.reaper.handler.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] })),
    })
    // Only the action wildcard: the reaper's "*" resource (ListTasks) is acknowledged already.
    expect(s.violations).toEqual([
      { plugin: 'AwsSolutions', rule: 'AwsSolutions-IAM5[Action::s3:*]', severity: 'error', paths: ['Fargated/Reaper/Handler/Role/DefaultPolicy/Resource'] },
    ])
  })
})

describe('bad context', () => {
  it('stops the app before any construct is created', () => {
    expect(() => synthesize({ logRetentionDays: 8, containerInsights: 'full' })).toThrow(FargatedConfigError)
    expect(() => synthesize({ repositoryPrefix: 'Bad_Prefix' })).toThrow(/repositoryPrefix: "Bad_Prefix" breaks ECR naming/)
  })
})
