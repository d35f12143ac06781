/** EventBridge rules, the usage subscription, the reaper schedule and the alarms. */
import { beforeAll, describe, expect, it } from 'vitest'
import { TASK_USAGE_PATTERN } from '../../../infra/constructs/events.js'
import { render } from '../support/render.js'
import { logicalId, resourcesOfType, type Synthesized, type CfnResource } from '../support/synth.js'

export function eventsChecks(get: () => Synthesized): void {
  let s: Synthesized
  let ids: { cluster: string; events: string; reaper: string; dlq: string; perf: string }
  beforeAll(() => {
    s = get()
    ids = {
      cluster: logicalId(s.json, 'AWS::ECS::Cluster', 'ComputeCluster'),
      events: logicalId(s.json, 'AWS::Lambda::Function', 'EventsHandlerFunction'),
      reaper: logicalId(s.json, 'AWS::Lambda::Function', 'ReaperHandlerFunction'),
      dlq: logicalId(s.json, 'AWS::SQS::Queue', 'EventsDeadLetterQueue'),
      perf: logicalId(s.json, 'AWS::Logs::LogGroup', 'ComputePerformanceLogs'),
    }
  })

  const rule = (prefix: string): CfnResource => s.json.Resources[logicalId(s.json, 'AWS::Events::Rule', prefix)]

  describe('event rules', () => {
    it('takes ECS Task State Change events of this cluster only', () => {
      expect(rule('EventsTaskStateChange').Properties?.EventPattern).toEqual({
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { clusterArn: [{ 'Fn::GetAtt': [ids.cluster, 'Arn'] }] },
      })
    })

    it('takes successful ECR pushes under the repository prefix only', () => {
      expect(rule('EventsImagePush').Properties?.EventPattern).toEqual({
        source: ['aws.ecr'],
        'detail-type': ['ECR Image Action'],
        detail: { 'action-type': ['PUSH'], result: ['SUCCESS'], 'repository-name': [{ prefix: 'fargated/' }] },
      })
    })

    it.each(['EventsTaskStateChange', 'EventsImagePush'])('%s targets the events function with retries and the DLQ', (prefix) => {
      expect(rule(prefix).Properties?.Targets).toEqual([
        {
          Arn: { 'Fn::GetAtt': [ids.events, 'Arn'] },
          Id: 'Target0',
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 21600 },
        },
      ])
    })

    it('sends failed asynchronous invocations of the events function to the DLQ', () => {
      s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: ids.events },
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.dlq, 'Arn'] } } },
      })
    })

    it('has an encrypted DLQ that refuses non-TLS access', () => {
      expect(s.json.Resources[ids.dlq].Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 })
      const [, policy] = resourcesOfType(s.json, 'AWS::SQS::QueuePolicy')[0]
      const statements = (policy.Properties?.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      )
      // EventBridge may send only from the two rules.
      const send = statements.filter((st) => st.Effect === 'Allow')
      expect(send.map((st) => render((st.Condition as { ArnEquals: Record<string, unknown> }).ArnEquals['aws:SourceArn'])).sort()).toEqual([
        expect.stringMatching(/^\$\{EventsImagePush\w+\.Arn\}$/),
        expect.stringMatching(/^\$\{EventsTaskStateChange\w+\.Arn\}$/),
      ])
    })
  })

  describe('usage samples', () => {
    it('subscribes the events function to Task records of the performance log group', () => {
      s.template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
        LogGroupName: { Ref: ids.perf },
        FilterPattern: TASK_USAGE_PATTERN,
        DestinationArn: { 'Fn::GetAtt': [ids.events, 'Arn'] },
      })
      expect(TASK_USAGE_PATTERN).toBe('{ $.Type = "Task" }')
    })

    it('lets CloudWatch Logs invoke the events function from that group only', () => {
      s.template.hasResourceProperties('AWS::Lambda::Permission', {
        Principal: 'logs.amazonaws.com',
        FunctionName: { 'Fn::GetAtt': [ids.events, 'Arn'] },
        SourceArn: { 'Fn::GetAtt': [ids.perf, 'Arn'] },
      })
    })
  })

  describe('reaper schedule', () => {
    it('invokes the reaper every minute without retries', () => {
      expect(rule('ReaperSchedule').Properties).toMatchObject({
        ScheduleExpression: 'rate(1 minute)',
        Targets: [{ Arn: { 'Fn::GetAtt': [ids.reaper, 'Arn'] }, Id: 'Target0', RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } }],
      })
      s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: ids.reaper }, MaximumRetryAttempts: 0 })
    })
  })

  describe('alarms', () => {
    it('watch Errors and Throttles of each function and the DLQ depth', () => {
      const alarms = resourcesOfType(s.json, 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties as Record<string, unknown>)
      const watched = alarms.map((a) => {
        const dim = (a.Dimensions as { Name: string; Value: unknown }[])[0]
        return `${a.Namespace}/${a.MetricName}:${render(dim.Value)}`
      })
      const fnRef = (id: string) => `\${${id}}`
      const api = logicalId(s.json, 'AWS::Lambda::Function', 'ApiHandlerFunction')
      expect(watched.sort()).toEqual(
        [
          ...[api, ids.events, ids.reaper].flatMap((id) => [`AWS/Lambda/Errors:${fnRef(id)}`, `AWS/Lambda/Throttles:${fnRef(id)}`]),
          `AWS/SQS/ApproximateNumberOfMessagesVisible:\${${ids.dlq}.QueueName}`,
        ].sort(),
      )
      for (const a of alarms) expect(a).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' })
    })
  })
}
