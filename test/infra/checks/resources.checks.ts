/** Network, compute, registry, state table and admin key. */
import { Match } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { TABLE_KEYS } from '../../../shared/store/table-schema.js'
import { logicalId, resourcesOfType, type Synthesized } from '../support/synth.js'

export function resourceChecks(get: () => Synthesized): void {
  let s: Synthesized
  beforeAll(() => {
    s = get()
  })

  describe('network', () => {
    it('is a new VPC with two public subnets and no NAT gateway', () => {
      s.template.resourceCountIs('AWS::EC2::VPC', 1)
      s.template.resourceCountIs('AWS::EC2::Subnet', 2)
      s.template.resourceCountIs('AWS::EC2::NatGateway', 0)
      s.template.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: true })
    })

    it('has a task security group with open egress and no ingress', () => {
      s.template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
        SecurityGroupIngress: Match.absent(),
      })
      s.template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0)
    })
  })

  describe('compute', () => {
    it('is a cluster named after the stack with enhanced Container Insights', () => {
      s.template.hasResourceProperties('AWS::ECS::Cluster', {
        ClusterName: 'Fargated',
        ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
      })
    })

    it('has FARGATE and FARGATE_SPOT with FARGATE as the default', () => {
      s.template.hasResourceProperties('AWS::ECS::ClusterCapacityProviderAssociations', {
        CapacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        DefaultCapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Weight: 1 }],
      })
    })

    it('creates the performance log group (1 day) before the cluster', () => {
      const id = logicalId(s.json, 'AWS::Logs::LogGroup', 'ComputePerformanceLogs')
      expect(s.json.Resources[id].Properties).toEqual({ LogGroupName: '/aws/ecs/containerinsights/Fargated/performance', RetentionInDays: 1 })
      expect(s.json.Resources[logicalId(s.json, 'AWS::ECS::Cluster', 'ComputeCluster')].DependsOn).toContain(id)
    })

    it('keeps task logs for the configured retention, retained with the stack', () => {
      const logs = s.json.Resources[logicalId(s.json, 'AWS::Logs::LogGroup', 'ComputeTaskLogs')]
      expect(logs.Properties).toEqual({ RetentionInDays: 30 })
      expect(logs.DeletionPolicy).toBe('Retain')
    })

    it('has an execution role and a task role for ecs-tasks; the task role has no policy', () => {
      const taskRole = logicalId(s.json, 'AWS::IAM::Role', 'ComputeTaskRole')
      for (const prefix of ['ComputeExecutionRole', 'ComputeTaskRole']) {
        const role = s.json.Resources[logicalId(s.json, 'AWS::IAM::Role', prefix)]
        expect(role.Properties?.AssumeRolePolicyDocument).toEqual({
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' } }],
          Version: '2012-10-17',
        })
      }
      const attached = resourcesOfType(s.json, 'AWS::IAM::Policy').flatMap(([, p]) => (p.Properties?.Roles as { Ref: string }[]).map((r) => r.Ref))
      expect(attached).not.toContain(taskRole)
      expect(s.json.Resources[taskRole].Properties?.ManagedPolicyArns).toBeUndefined()
    })
  })

  describe('registry', () => {
    it('has a creation template for the prefix with mutability and the untagged lifecycle rule', () => {
      s.template.hasResourceProperties('AWS::ECR::RepositoryCreationTemplate', {
        Prefix: 'fargated',
        AppliedFor: ['CREATE_ON_PUSH', 'PULL_THROUGH_CACHE'],
        ImageTagMutability: 'MUTABLE',
        EncryptionConfiguration: { EncryptionType: 'AES256' },
      })
      const [, template] = resourcesOfType(s.json, 'AWS::ECR::RepositoryCreationTemplate')[0]
      expect(JSON.parse(template.Properties?.LifecyclePolicy as string)).toEqual({
        rules: [
          {
            rulePriority: 1,
            description: 'keep the last 10 untagged images',
            selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 10 },
            action: { type: 'expire' },
          },
        ],
      })
    })
  })

  describe('state table', () => {
    it('uses the shared key schema, on demand, PITR, encryption, TTL and deletion protection', () => {
      const k = TABLE_KEYS
      s.template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: [
            { AttributeName: k.partitionKey, KeyType: 'HASH' },
            { AttributeName: k.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: [
            {
              IndexName: k.gsi1.name,
              KeySchema: [
                { AttributeName: k.gsi1.partitionKey, KeyType: 'HASH' },
                { AttributeName: k.gsi1.sortKey, KeyType: 'RANGE' },
              ],
              Projection: { ProjectionType: 'ALL' },
            },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          TimeToLiveSpecification: { AttributeName: k.ttlAttribute, Enabled: true },
          DeletionProtectionEnabled: true,
        },
      })
    })
  })

  describe('admin key', () => {
    it('is generated by Secrets Manager under a fixed name', () => {
      s.template.hasResourceProperties('AWS::SecretsManager::Secret', {
        Name: 'fargated/Fargated/admin-api-key',
        GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true },
        SecretString: Match.absent(),
      })
    })
  })
}
