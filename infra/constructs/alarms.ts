import { Duration } from 'aws-cdk-lib'
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import type * as sqs from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'

export interface AlarmsProps {
  /** Functions watched for Errors and Throttles, by a short name used in alarm descriptions. */
  readonly functions: Record<string, lambda.IFunction>
  /** Dead-letter queues watched for any visible message. */
  readonly deadLetterQueues: Record<string, sqs.IQueue>
}

/**
 * Operational alarms: any function error or throttle over 5 minutes, and any message in a
 * dead-letter queue. They have no actions; attach an SNS topic or use them in a dashboard.
 */
export class Alarms extends Construct {
  public readonly alarms: cloudwatch.Alarm[] = []

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id)
    const period = Duration.minutes(5)
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, fn.metricErrors({ period }), `fargated ${name} function: invocation errors`)
      this.add(`${name}Throttles`, fn.metricThrottles({ period }), `fargated ${name} function: throttled invocations`)
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(`${name}Depth`, queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }), `fargated ${name}: failed deliveries waiting`)
    }
  }

  private add(id: string, metric: cloudwatch.IMetric, description: string): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        metric,
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    )
  }
}
