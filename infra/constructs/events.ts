import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import * as events from 'aws-cdk-lib/aws-events'
import * as targets from 'aws-cdk-lib/aws-events-targets'
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations'
import * as logs from 'aws-cdk-lib/aws-logs'
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations'
import * as sqs from 'aws-cdk-lib/aws-sqs'
import { Construct } from 'constructs'
import { FargatedFunction } from './fargated-function.js'

export interface EventsProps {
  readonly environment: Record<string, string>
  readonly logRetention: logs.RetentionDays
  /** Only task state changes of this cluster reach the function. */
  readonly clusterArn: string
  /** Only pushes to repositories under `<repositoryPrefix>/` reach the function. */
  readonly repositoryPrefix: string
  /** Container Insights performance log group; its `Type = Task` records are usage samples. */
  readonly performanceLogGroup?: logs.ILogGroup
}

/** Retries for event deliveries (EventBridge → Lambda, and Lambda's own async retries). */
export const EVENT_RETRY = { attempts: 4, maxEventAge: Duration.hours(6) }

/** Subscription filter pattern selecting per-task records from the performance log. */
export const TASK_USAGE_PATTERN = '{ $.Type = "Task" }'

/**
 * The events function and what feeds it: EventBridge rules for this cluster's ECS Task State
 * Change events and for successful ECR pushes under the prefix, and (with Container
 * Insights) a subscription to the per-task performance records. Deliveries that still fail
 * after the retries land in an encrypted SQS dead-letter queue.
 */
export class Events extends Construct {
  public readonly handler: FargatedFunction
  public readonly deadLetterQueue: sqs.Queue
  public readonly taskStateRule: events.Rule
  public readonly imagePushRule: events.Rule
  public readonly usageSubscription?: logs.SubscriptionFilter

  constructor(scope: Construct, id: string, props: EventsProps) {
    super(scope, id)
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    })
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the EventBridge targets and of the events function (on-failure destination); cdk-nag only recognises queues named in another queue\'s redrive policy.',
    })
    this.handler = new FargatedFunction(this, 'Handler', {
      entry: 'events.ts',
      description: 'fargated events: ECS task state, ECR pushes, usage samples',
      timeout: Duration.minutes(5),
      environment: props.environment,
      logRetention: props.logRetention,
    })
    // EventBridge and CloudWatch Logs invoke asynchronously: Lambda retries, then the DLQ.
    this.handler.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: EVENT_RETRY.maxEventAge,
      onFailure: new destinations.SqsDestination(this.deadLetterQueue),
    })
    const target = new targets.LambdaFunction(this.handler.function, {
      retryAttempts: EVENT_RETRY.attempts,
      maxEventAge: EVENT_RETRY.maxEventAge,
      deadLetterQueue: this.deadLetterQueue,
    })

    this.taskStateRule = new events.Rule(this, 'TaskStateChange', {
      description: 'ECS Task State Change of the fargated cluster',
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: { clusterArn: [props.clusterArn] },
      },
      targets: [target],
    })
    this.imagePushRule = new events.Rule(this, 'ImagePush', {
      description: 'Successful ECR pushes to fargated namespace repositories',
      eventPattern: {
        source: ['aws.ecr'],
        detailType: ['ECR Image Action'],
        detail: {
          'action-type': ['PUSH'],
          result: ['SUCCESS'],
          'repository-name': events.Match.prefix(`${props.repositoryPrefix}/`),
        },
      },
      targets: [target],
    })

    if (props.performanceLogGroup) {
      // LambdaDestination also grants logs.amazonaws.com permission to invoke the function.
      this.usageSubscription = new logs.SubscriptionFilter(this, 'TaskUsage', {
        logGroup: props.performanceLogGroup,
        destination: new logsDestinations.LambdaDestination(this.handler.function),
        filterPattern: logs.FilterPattern.literal(TASK_USAGE_PATTERN),
      })
    }
  }
}
