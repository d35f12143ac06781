/** Every IAM statement: who may do what, on which resource, under which condition. */
import { beforeAll, describe, expect, it } from 'vitest'
import { PUSH_ACTIONS } from '../../../infra/constructs/registry.js'
import { TABLE_DATA_ACTIONS } from '../../../infra/constructs/state-table.js'
import { actionsOf, statements, statementsOf, type Statement } from '../support/iam.js'
import { render } from '../support/render.js'
import { logicalId, type Synthesized } from '../support/synth.js'

/** Actions without resource-level permissions: the only ones allowed on "*". */
const NO_RESOURCE_LEVEL = ['ecr:GetAuthorizationToken', 'ecs:ListTasks', 'ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition', 'ecs:DeleteTaskDefinitions']

export function iamChecks(get: () => Synthesized): void {
  let s: Synthesized
  let all: Statement[]
  let id: (type: string, prefix: string) => string
  beforeAll(() => {
    s = get()
    all = statements(s.json)
    id = (type, prefix) => logicalId(s.json, type, prefix)
  })

  const resources = (st: Statement) => st.resources.map((r) => (r.startsWith('{') ? render(JSON.parse(r)) : r))
  const bySid = (role: string, sid: string) => {
    const found = statementsOf(all, role).filter((st) => st.sid === sid)
    expect(found, `${role} ${sid}`).toHaveLength(1)
    return found[0]
  }
  const ARN = (service: string, rest: string) => `arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${rest}`

  describe('every statement', () => {
    it('allows, never denies, and names no wildcard action', () => {
      expect(all.length).toBeGreaterThan(20)
      for (const st of all) {
        expect(st.effect).toBe('Allow')
        for (const action of st.actions) expect(action, `${st.policy} ${st.sid}`).not.toContain('*')
      }
    })

    it('uses "*" resources only for actions without resource-level permissions', () => {
      const star = all.filter((st) => st.resources.includes('*'))
      expect(star.length).toBeGreaterThan(0)
      for (const st of star) {
        expect(st.resources, `${st.policy} ${st.sid}`).toEqual(['*'])
        for (const action of st.actions) expect(NO_RESOURCE_LEVEL, `${st.policy} ${st.sid}`).toContain(action)
      }
    })

    it('limits ListTasks to this cluster by condition', () => {
      const cluster = id('AWS::ECS::Cluster', 'ComputeCluster')
      for (const st of all.filter((x) => x.actions.includes('ecs:ListTasks'))) {
        expect(st.condition).toEqual({ ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [cluster, 'Arn'] } } })
      }
    })
  })

  describe('per function', () => {
    const ecsRun = ['ecs:RegisterTaskDefinition', 'ecs:RunTask', 'ecs:TagResource', 'iam:PassRole', 'ecs:StopTask', 'ecs:DescribeTasks']
    const own = ['logs:CreateLogStream', 'logs:PutLogEvents']

    it('api: containers, task definitions, logs, repositories, pusher, admin key', () => {
      expect(actionsOf(all, 'ApiHandlerRole')).toEqual(
        [
          ...own,
          ...TABLE_DATA_ACTIONS,
          ...ecsRun,
          'ecs:ListTasks',
          'ecs:DeregisterTaskDefinition',
          'ecs:DeleteTaskDefinitions',
          'logs:GetLogEvents',
          'logs:FilterLogEvents',
          'logs:StartLiveTail',
          'ecr:CreateRepository',
          'ecr:TagResource',
          'ecr:PutLifecyclePolicy',
          'ecr:PutImageScanningConfiguration',
          'ecr:DescribeRepositories',
          'ecr:DescribeImages',
          'ecr:ListImages',
          'ecr:BatchGetImage',
          'ecr:PutImage',
          'ecr:BatchDeleteImage',
          'sts:AssumeRole',
          'secretsmanager:GetSecretValue',
        ].sort(),
      )
    })

    it('events: the table, running and stopping tasks, its DLQ', () => {
      expect(actionsOf(all, 'EventsHandlerRole')).toEqual(
        [...own, ...TABLE_DATA_ACTIONS, ...ecsRun, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'].sort(),
      )
      const dlq = id('AWS::SQS::Queue', 'EventsDeadLetterQueue')
      const sqs = statementsOf(all, 'EventsHandlerRole').find((st) => st.actions.includes('sqs:SendMessage'))
      expect(sqs?.resources).toEqual([JSON.stringify({ 'Fn::GetAtt': [dlq, 'Arn'] })])
    })

    it('reaper: the table, listing, running and stopping tasks', () => {
      expect(actionsOf(all, 'ReaperHandlerRole')).toEqual([...own, ...TABLE_DATA_ACTIONS, ...ecsRun, 'ecs:ListTasks'].sort())
    })

    it.each(['ApiHandler', 'EventsHandler', 'ReaperHandler'])('%s writes only to its own log group', (name) => {
      const st = bySid(`${name}Role`, 'WriteOwnLogs')
      expect(resources(st)).toEqual([`\${${id('AWS::Logs::LogGroup', `${name}Logs`)}.Arn}`])
    })
  })

  describe('ECS', () => {
    const roles = ['ApiHandlerRole', 'EventsHandlerRole', 'ReaperHandlerRole']

    it.each(roles)('%s runs only this deployment\'s families in this cluster', (role) => {
      const st = bySid(role, 'RunTask')
      expect(st.actions).toEqual(['ecs:RunTask'])
      expect(resources(st)).toEqual([ARN('ecs', 'task-definition/fargated-*')])
      expect(st.condition).toEqual({ ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [id('AWS::ECS::Cluster', 'ComputeCluster'), 'Arn'] } } })
    })

    it.each(roles)('%s tags tasks only as part of RunTask', (role) => {
      const st = bySid(role, 'TagTasksAtLaunch')
      expect(st.actions).toEqual(['ecs:TagResource'])
      expect(resources(st)).toEqual([ARN('ecs', 'task/Fargated/*')])
      expect(st.condition).toEqual({ StringEquals: { 'ecs:CreateAction': 'RunTask' } })
    })

    it.each(roles)('%s tags task definitions only as part of RegisterTaskDefinition, in its families', (role) => {
      const st = bySid(role, 'TagTaskDefinitionsAtRegistration')
      expect(st.actions).toEqual(['ecs:TagResource'])
      expect(resources(st)).toEqual([ARN('ecs', 'task-definition/fargated-*')])
      expect(st.condition).toEqual({ StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } })
    })

    it('only the api deregisters and deletes task definitions', () => {
      const removers = all.filter((st) => st.actions.includes('ecs:DeregisterTaskDefinition') || st.actions.includes('ecs:DeleteTaskDefinitions'))
      expect(removers.flatMap((st) => st.roles)).toEqual([id('AWS::IAM::Role', 'ApiHandlerRole')])
    })

    it.each(roles)('%s passes only the two task roles, only to ECS tasks', (role) => {
      const st = bySid(role, 'PassTaskRoles')
      expect(st.actions).toEqual(['iam:PassRole'])
      expect(resources(st)).toEqual([
        `\${${id('AWS::IAM::Role', 'ComputeExecutionRole')}.Arn}`,
        `\${${id('AWS::IAM::Role', 'ComputeTaskRole')}.Arn}`,
      ])
      expect(st.condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } })
    })

    it.each(roles)('%s stops and describes tasks of this cluster only', (role) => {
      const st = bySid(role, 'StopAndDescribeTasks')
      expect(st.actions).toEqual(['ecs:StopTask', 'ecs:DescribeTasks'])
      expect(resources(st)).toEqual([ARN('ecs', 'task/Fargated/*')])
      expect(st.condition).toEqual({ ArnEquals: { 'ecs:cluster': { 'Fn::GetAtt': [id('AWS::ECS::Cluster', 'ComputeCluster'), 'Arn'] } } })
    })
  })

  describe('data, logs, registry, secrets', () => {
    it.each(['ApiHandlerRole', 'EventsHandlerRole', 'ReaperHandlerRole'])('%s reaches the table and its gsi1 index only', (role) => {
      const table = id('AWS::DynamoDB::Table', 'StateTable')
      expect(resources(bySid(role, 'StateTableData'))).toEqual([`\${${table}.Arn}`, `\${${table}.Arn}/index/gsi1`])
    })

    it('api reads the task log group only', () => {
      const logs = id('AWS::Logs::LogGroup', 'ComputeTaskLogs')
      expect(resources(bySid('ApiHandlerRole', 'ReadTaskLogs'))).toEqual([`\${${logs}.Arn}`, ARN('logs', `log-group:\${${logs}}`)])
    })

    it('api manages repositories under the prefix only', () => {
      expect(resources(bySid('ApiHandlerRole', 'ManageNamespaceRepositories'))).toEqual([ARN('ecr', 'repository/fargated/*')])
    })

    it('api assumes the pusher role, which trusts only the api role', () => {
      const pusher = id('AWS::IAM::Role', 'RegistryPusherRole')
      expect(resources(bySid('ApiHandlerRole', 'AssumePusher'))).toEqual([`\${${pusher}.Arn}`])
      const trust = s.json.Resources[pusher].Properties?.AssumeRolePolicyDocument as { Statement: Record<string, unknown>[] }
      expect(trust.Statement).toEqual([
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] } },
          Condition: { ArnEquals: { 'aws:PrincipalArn': [{ 'Fn::GetAtt': [id('AWS::IAM::Role', 'ApiHandlerRole'), 'Arn'] }] } },
        },
      ])
    })

    it('the pusher role can push to the prefix and get a registry token, nothing else', () => {
      expect(actionsOf(all, 'RegistryPusherRole')).toEqual([...PUSH_ACTIONS, 'ecr:CreateRepository', 'ecr:GetAuthorizationToken'].sort())
      expect(resources(bySid('RegistryPusherRole', 'PushNamespaceImages'))).toEqual([ARN('ecr', 'repository/fargated/*')])
    })

    it('the execution role pulls from the prefix, writes task logs and reads namespace secrets only', () => {
      expect(actionsOf(all, 'ComputeExecutionRole')).toEqual(
        ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage', 'logs:CreateLogStream', 'logs:PutLogEvents', 'secretsmanager:GetSecretValue', 'ssm:GetParameters'].sort(),
      )
      expect(resources(bySid('ComputeExecutionRole', 'ReadNamespaceSecrets'))).toEqual([ARN('secretsmanager', 'secret:fargated/namespaces/*')])
      expect(resources(bySid('ComputeExecutionRole', 'ReadNamespaceParameters'))).toEqual([ARN('ssm', 'parameter/fargated/namespaces/*')])
      expect(resources(bySid('ComputeExecutionRole', 'PullNamespaceImages'))).toEqual([ARN('ecr', 'repository/fargated/*')])
      expect(resources(bySid('ComputeExecutionRole', 'WriteTaskLogs'))).toEqual([`\${${id('AWS::Logs::LogGroup', 'ComputeTaskLogs')}.Arn}`])
    })

    it('api reads the admin secret only', () => {
      const st = bySid('ApiHandlerRole', 'ReadAdminKey')
      expect(st.actions).toEqual(['secretsmanager:GetSecretValue'])
      expect(resources(st)).toEqual([`\${${id('AWS::SecretsManager::Secret', 'AdminKeySecret')}}`])
    })
  })
}
