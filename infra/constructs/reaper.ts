import { Duration } from 'aws-cdk-lib'
import * as events from 'aws-cdk-lib/aws-events'
import * as targets from 'aws-cdk-lib/aws-events-targets'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { FargatedFunction } from './fargated-function.js'

export interface ReaperProps {
  readonly environment: Record<string, string>
  readonly logRetention: logs.RetentionDays
}

/**
 * The reaper function on a one-minute schedule: idle stop, max lifetime, right-sizing from
 * the stored usage samples, and reconciliation of the store with ECS. A missed tick is not
 * retried (the next tick does the same work), so neither EventBridge nor Lambda retries it.
 */
export class Reaper extends Construct {
  public readonly handler: FargatedFunction
  public readonly schedule: events.Rule

  constructor(scope: Construct, id: string, props: ReaperProps) {
    super(scope, id)
    this.handler = new FargatedFunction(this, 'Handler', {
      entry: 'reaper.ts',
      description: 'fargated reaper: idle, lifetime, right-size, reconcile (every minute)',
      timeout: Duration.minutes(2),
      environment: props.environment,
      logRetention: props.logRetention,
    })
    this.handler.function.configureAsyncInvoke({ retryAttempts: 0, maxEventAge: Duration.minutes(1) })
    this.schedule = new events.Rule(this, 'Schedule', {
      description: 'fargated reaper tick',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.handler.function, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    })
  }
}
