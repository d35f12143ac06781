import { ArnFormat, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as ecs from 'aws-cdk-lib/aws-ecs'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct, type IConstruct } from 'constructs'
import type { ContainerInsightsLevel } from '../fargated-defaults.js'
import { acknowledgeNoResourceLevel, acknowledgeScopedWildcard } from './nag-acknowledgements.js'

export interface ComputeProps {
  readonly vpc: ec2.IVpc
  /** Cluster name; also names the Container Insights performance log group. */
  readonly clusterName: string
  readonly containerInsights: ContainerInsightsLevel
  /** Default capacity provider: FARGATE_SPOT when true. */
  readonly spotDefault: boolean
  /** Task-definition families the functions may run: `<taskFamilyPrefix>-*`. */
  readonly taskFamilyPrefix: string
  /** ECR prefix whose repositories tasks pull from (`repository/<prefix>/*`). */
  readonly repositoryPrefix: string
  readonly logRetention: logs.RetentionDays
}

/**
 * Where containers run: the ECS cluster (FARGATE + FARGATE_SPOT, Container Insights), the
 * task execution role (ECR pull, awslogs), a default task role with no permissions, the
 * task log group, and the Container Insights performance log group (1 day) that usage is
 * read from. Grants cover exactly the ECS calls the functions make.
 */
export class Compute extends Construct {
  public readonly cluster: ecs.Cluster
  public readonly executionRole: iam.Role
  public readonly taskRole: iam.Role
  public readonly taskLogGroup: logs.LogGroup
  /** `/aws/ecs/containerinsights/<cluster>/performance`, absent when insights are disabled. */
  public readonly performanceLogGroup?: logs.LogGroup
  /** The cluster's name as a plain string (ARN patterns and log group names). */
  public readonly clusterName: string
  private readonly taskFamilyPrefix: string

  constructor(scope: Construct, id: string, props: ComputeProps) {
    super(scope, id)
    this.taskFamilyPrefix = props.taskFamilyPrefix
    this.clusterName = props.clusterName
    this.taskLogGroup = new logs.LogGroup(this, 'TaskLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN })

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      clusterName: props.clusterName,
      enableFargateCapacityProviders: true,
      containerInsightsV2: insightsSetting(props.containerInsights),
    })
    this.cluster.addDefaultCapacityProviderStrategy([{ capacityProvider: props.spotDefault ? 'FARGATE_SPOT' : 'FARGATE', weight: 1 }])

    if (props.containerInsights !== 'disabled') {
      // Created before the cluster so that ECS writes into it (ECS would otherwise create it
      // without retention, and this stack could not create it later).
      this.performanceLogGroup = new logs.LogGroup(this, 'PerformanceLogs', {
        logGroupName: `/aws/ecs/containerinsights/${props.clusterName}/performance`,
        retention: logs.RetentionDays.ONE_DAY,
        removalPolicy: RemovalPolicy.DESTROY,
      })
      this.cluster.node.addDependency(this.performanceLogGroup)
    } else {
      Validations.of(this.cluster).acknowledge({
        id: 'AwsSolutions-ECS4',
        reason: 'The operator disabled Container Insights through the containerInsights context (no usage samples, no right-sizing).',
      })
    }

    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'fargated task execution role: pull namespace images from ECR, write task logs',
    })
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    )
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PullNamespaceImages',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [repositoryArn(this, `${props.repositoryPrefix}/*`)],
      }),
    )
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteTaskLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.taskLogGroup.logGroupArn],
      }),
    )
    // Task `secrets` (valueFrom) are read by the execution role at task start. The core only
    // lets a namespace name secrets under fargated/namespaces/<namespace>/ (secret-refs.ts).
    const namespaceSecrets = Stack.of(this).formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: 'fargated/namespaces/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })
    const namespaceParameters = Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'fargated/namespaces/*' })
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadNamespaceSecrets', actions: ['secretsmanager:GetSecretValue'], resources: [namespaceSecrets] }),
    )
    this.executionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ReadNamespaceParameters', actions: ['ssm:GetParameters'], resources: [namespaceParameters] }),
    )
    acknowledgeScopedWildcard(this.executionRole, namespaceSecrets, 'secrets of every namespace under fargated/namespaces/ (each container may only name its own namespace\'s, checked by the core)')
    acknowledgeScopedWildcard(this.executionRole, namespaceParameters, 'parameters of every namespace under fargated/namespaces/ (each container may only name its own namespace\'s, checked by the core)')
    acknowledgeNoResourceLevel(this.executionRole, ['ecr:GetAuthorizationToken'])
    acknowledgeScopedWildcard(this.executionRole, repositoryArn(this, `${props.repositoryPrefix}/*`), 'images of every namespace repository under the deployment prefix (repositories are created at run time)')

    this.taskRole = new iam.Role(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: 'fargated default task role: no permissions (containers get no AWS access unless a spec names a role)',
    })
  }

  /** Task-definition family ARNs this deployment registers: `task-definition/<prefix>-*`. */
  get taskDefinitionArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'ecs', resource: 'task-definition', resourceName: `${this.taskFamilyPrefix}-*` })
  }

  /** Task ARNs in this cluster: `task/<cluster>/*`. */
  get taskArnPattern(): string {
    return Stack.of(this).formatArn({ service: 'ecs', resource: 'task', resourceName: `${this.clusterName}/*` })
  }

  private get inCluster() {
    return { ArnEquals: { 'ecs:cluster': this.cluster.clusterArn } }
  }

  /** RunTask of this deployment's families in this cluster, tagging at launch, PassRole of the two task roles. */
  grantRunTask(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'RunTask', actions: ['ecs:RunTask'], resources: [this.taskDefinitionArnPattern], conditions: this.inCluster }),
    )
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'TagTasksAtLaunch',
        actions: ['ecs:TagResource'],
        resources: [this.taskArnPattern],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      }),
    )
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PassTaskRoles',
        actions: ['iam:PassRole'],
        resources: [this.executionRole.roleArn, this.taskRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    )
    acknowledgeScopedWildcard(grantee, this.taskDefinitionArnPattern, 'the task-definition families of this deployment (one per namespace and spec hash, registered at run time)')
    acknowledgeScopedWildcard(grantee, this.taskArnPattern, 'tasks of this cluster only (task ids are created at run time)')
  }

  /** StopTask and DescribeTasks on tasks of this cluster. */
  grantStopAndDescribe(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StopAndDescribeTasks',
        actions: ['ecs:StopTask', 'ecs:DescribeTasks'],
        resources: [this.taskArnPattern],
        conditions: this.inCluster,
      }),
    )
    acknowledgeScopedWildcard(grantee, this.taskArnPattern, 'tasks of this cluster only (task ids are created at run time)')
  }

  /** ListTasks (no resource-level permission on Fargate; limited to this cluster by condition). */
  grantListTasks(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'ListTasks', actions: ['ecs:ListTasks'], resources: ['*'], conditions: this.inCluster }),
    )
    acknowledgeNoResourceLevel(grantee, ['ecs:ListTasks'])
  }

  /**
   * RegisterTaskDefinition (no resource-level permission) and tagging the new definition in the
   * same call, limited to this deployment's families. Every function that starts runs needs it:
   * a start registers the definition when the store has no cached ARN for the spec.
   */
  grantRegisterTaskDefinitions(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'RegisterTaskDefinitions', actions: ['ecs:RegisterTaskDefinition'], resources: ['*'] }),
    )
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'TagTaskDefinitionsAtRegistration',
        actions: ['ecs:TagResource'],
        resources: [this.taskDefinitionArnPattern],
        conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      }),
    )
    acknowledgeNoResourceLevel(grantee, ['ecs:RegisterTaskDefinition'])
    acknowledgeScopedWildcard(grantee, this.taskDefinitionArnPattern, 'the task-definition families of this deployment (one per namespace and spec hash, registered at run time)')
  }

  /** Deregister and delete task definitions (`docker rm`); neither supports resource-level permissions. */
  grantRemoveTaskDefinitions(grantee: iam.IGrantable & IConstruct): void {
    const actions = ['ecs:DeregisterTaskDefinition', 'ecs:DeleteTaskDefinitions']
    grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'RemoveTaskDefinitions', actions, resources: ['*'] }))
    acknowledgeNoResourceLevel(grantee, actions)
  }

  /** Read task logs: GetLogEvents, FilterLogEvents and StartLiveTail on the task log group only. */
  grantReadTaskLogs(grantee: iam.IGrantable): void {
    const bareArn = Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: this.taskLogGroup.logGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadTaskLogs',
        actions: ['logs:GetLogEvents', 'logs:FilterLogEvents', 'logs:StartLiveTail'],
        resources: [this.taskLogGroup.logGroupArn, bareArn],
      }),
    )
  }
}

function insightsSetting(level: ContainerInsightsLevel): ecs.ContainerInsights {
  if (level === 'enhanced') return ecs.ContainerInsights.ENHANCED
  if (level === 'enabled') return ecs.ContainerInsights.ENABLED
  return ecs.ContainerInsights.DISABLED
}

/** ARN of ECR repositories matching `name` (may end in `/*`). */
export function repositoryArn(scope: Construct, name: string): string {
  return Stack.of(scope).formatArn({ service: 'ecr', resource: 'repository', resourceName: name })
}
