import { Stack, type StackProps } from 'aws-cdk-lib'
import type * as logs from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import { AdminKey } from './constructs/admin-key.js'
import { Alarms } from './constructs/alarms.js'
import { Api } from './constructs/api.js'
import { Compute } from './constructs/compute.js'
import { DockerAccess } from './constructs/docker-access.js'
import { Events } from './constructs/events.js'
import { Network } from './constructs/network.js'
import { Reaper } from './constructs/reaper.js'
import { Registry } from './constructs/registry.js'
import { StateTable } from './constructs/state-table.js'
import type { FargatedConfig } from './fargated-defaults.js'
import { named, runtimeEnvironment } from './function-environment.js'

export interface FargatedStackProps extends StackProps {
  readonly config: FargatedConfig
}

/**
 * Everything fargated needs in one stack. Constructs are wired here and every permission a
 * function gets is granted here, so this file reads as the permission table.
 */
export class FargatedStack extends Stack {
  public readonly network: Network
  public readonly compute: Compute
  public readonly registry: Registry
  public readonly state: StateTable
  public readonly adminKey: AdminKey
  public readonly api: Api
  public readonly events: Events
  public readonly reaper: Reaper

  constructor(scope: Construct, id: string, props: FargatedStackProps) {
    super(scope, id, { description: 'fargated: a serverless Docker daemon on ECS Fargate', ...props })
    const config = props.config
    const logRetention = config.logRetentionDays as logs.RetentionDays

    this.network = new Network(this, 'Network', {
      existing: config.existingNetwork,
      ingressCidrs: config.ingressCidrs,
      ingressPorts: config.ingressPorts,
    })
    this.compute = new Compute(this, 'Compute', {
      vpc: this.network.vpc,
      clusterName: this.stackName,
      containerInsights: config.containerInsights,
      spotDefault: config.spotDefault,
      taskFamilyPrefix: config.taskFamilyPrefix,
      repositoryPrefix: config.repositoryPrefix,
      logRetention,
    })
    this.registry = new Registry(this, 'Registry', {
      repositoryPrefix: config.repositoryPrefix,
      tagMutability: config.tagMutability,
      untaggedKeep: config.untaggedKeep,
    })
    this.state = new StateTable(this, 'State', { deletionProtection: config.tableDeletionProtection })
    this.adminKey = new AdminKey(this, 'AdminKey', { secretName: `fargated/${this.stackName}/admin-api-key` })

    const environment = runtimeEnvironment({ config, network: this.network, compute: this.compute, registry: this.registry, state: this.state })
    this.api = new Api(this, 'Api', {
      environment: {
        ...environment,
        ...named({ adminSecretArn: this.adminKey.secret.secretArn, pusherRoleArn: this.registry.pusherRole.roleArn }),
      },
      logRetention,
      stageName: config.stageName,
      throttleRate: config.throttleRate,
      throttleBurst: config.throttleBurst,
      cloudWatchRole: config.apiGatewayCloudWatchRole,
    })
    this.events = new Events(this, 'Events', {
      environment,
      logRetention,
      clusterArn: this.compute.cluster.clusterArn,
      repositoryPrefix: config.repositoryPrefix,
      performanceLogGroup: this.compute.performanceLogGroup,
    })
    this.reaper = new Reaper(this, 'Reaper', { environment, logRetention })

    // api: containers (run, stop, inspect, ps), task definitions, logs, images, push credentials.
    const api = this.api.handler
    this.state.grantData(api)
    this.compute.grantRunTask(api)
    this.compute.grantStopAndDescribe(api)
    this.compute.grantListTasks(api)
    this.compute.grantRegisterTaskDefinitions(api)
    this.compute.grantRemoveTaskDefinitions(api)
    this.compute.grantReadTaskLogs(api)
    this.registry.grantManageRepositories(api)
    this.registry.grantAssumePusher(api)
    this.adminKey.grantRead(api)

    // events: state updates, restart policy and redeploys (run the new task, stop the old one).
    const events = this.events.handler
    this.state.grantData(events)
    this.compute.grantRegisterTaskDefinitions(events)
    this.compute.grantRunTask(events)
    this.compute.grantStopAndDescribe(events)

    // reaper: idle/lifetime stops, right-sized restarts, reconcile with the cluster's tasks.
    const reaper = this.reaper.handler
    this.state.grantData(reaper)
    this.compute.grantRegisterTaskDefinitions(reaper)
    this.compute.grantRunTask(reaper)
    this.compute.grantStopAndDescribe(reaper)
    this.compute.grantListTasks(reaper)

    new Alarms(this, 'Alarms', {
      functions: { api: api.function, events: events.function, reaper: reaper.function },
      deadLetterQueues: { eventsDeadLetterQueue: this.events.deadLetterQueue },
    })
    new DockerAccess(this, 'DockerAccess', {
      apiUrl: this.api.restApi.url,
      host: this.api.host,
      stageName: config.stageName,
      adminSecretName: this.adminKey.secretName,
      profileName: this.stackName,
    })
  }
}
