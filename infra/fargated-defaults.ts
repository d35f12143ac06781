/**
 * The deployment's settings (read from cdk.json / `-c key=value` context by fargated-config.ts)
 * and their defaults. Every setting is optional; the defaults give a working stack in a new VPC.
 */

/** A port or port range opened to `ingressCidrs` on the task security group. */
export interface IngressPortRange {
  readonly from: number
  readonly to: number
  readonly protocol: 'tcp' | 'udp'
}

export type ContainerInsightsLevel = 'enhanced' | 'enabled' | 'disabled'
export type TagMutability = 'MUTABLE' | 'IMMUTABLE'
export type OrphanPolicy = 'stop' | 'adopt' | 'ignore'

/** An existing network to run tasks in instead of a new VPC. */
export interface ExistingNetwork {
  readonly vpcId: string
  /** Task subnets (usually private; they need a route to ECR, Logs and the image registries). */
  readonly subnetIds: string[]
  /** A security group for tasks; when absent the stack creates one in `vpcId`. */
  readonly securityGroupId?: string
}

export interface FargatedConfig {
  /** CloudFormation stack name; also the ECS cluster name. @default 'Fargated' */
  readonly stackName: string
  /** Existing VPC/subnets/security group. @default - a new VPC: 2 AZs, public subnets only, no NAT */
  readonly existingNetwork?: ExistingNetwork
  /** Give tasks a public IP. @default true in the new VPC, false in an existing network */
  readonly assignPublicIp: boolean
  /** CIDRs allowed to reach published ports of tasks. @default [] (no ingress) */
  readonly ingressCidrs: string[]
  /** Ports opened to `ingressCidrs`. @default all TCP and UDP ports */
  readonly ingressPorts: IngressPortRange[]
  /** Retention of the task, function and access log groups (a CloudWatch Logs value). @default 30 */
  readonly logRetentionDays: number
  /** ECR namespace: repositories are `<prefix>/<namespace>/<name>`. @default 'fargated' */
  readonly repositoryPrefix: string
  /** Prefix of the task-definition families the API registers (`<prefix>-<...>`). @default repositoryPrefix with '/' → '-' */
  readonly taskFamilyPrefix: string
  /** Tag mutability of the namespace repositories. @default 'MUTABLE' */
  readonly tagMutability: TagMutability
  /** Untagged images kept per repository by the lifecycle policy. @default 10 */
  readonly untaggedKeep: number
  /** Container Insights level of the cluster. @default 'enhanced' */
  readonly containerInsights: ContainerInsightsLevel
  /** Cluster default capacity provider: FARGATE_SPOT when true, FARGATE otherwise. @default false */
  readonly spotDefault: boolean
  /** API Gateway stage name (the first path segment of the URL). @default 'prod' */
  readonly stageName: string
  /** Stage steady-state request rate (requests per second). @default 50 */
  readonly throttleRate: number
  /** Stage burst (requests). @default 100 */
  readonly throttleBurst: number
  /** DynamoDB deletion protection on the state table. @default true */
  readonly tableDeletionProtection: boolean
  /**
   * Let this stack set the account-wide API Gateway CloudWatch Logs role (needed once per
   * account and region for stage logging). Turn off when the account already has one.
   * @default true
   */
  readonly apiGatewayCloudWatchRole: boolean
  /** What the reaper does with tasks in the cluster that the store does not know. @default 'stop' */
  readonly orphanPolicy: OrphanPolicy
}

/** Defaults for everything that does not depend on another setting. */
export const DEFAULTS = {
  stackName: 'Fargated',
  ingressCidrs: [] as string[],
  ingressPorts: [
    { from: 1, to: 65535, protocol: 'tcp' },
    { from: 1, to: 65535, protocol: 'udp' },
  ] as IngressPortRange[],
  logRetentionDays: 30,
  repositoryPrefix: 'fargated',
  tagMutability: 'MUTABLE' as TagMutability,
  untaggedKeep: 10,
  containerInsights: 'enhanced' as ContainerInsightsLevel,
  spotDefault: false,
  stageName: 'prod',
  throttleRate: 50,
  throttleBurst: 100,
  tableDeletionProtection: true,
  apiGatewayCloudWatchRole: true,
  orphanPolicy: 'stop' as OrphanPolicy,
} as const

/** The context keys this app reads (for `cdk -c key=value` and cdk.json "context"). */
export const CONTEXT_KEYS = [
  'stackName',
  'vpcId',
  'subnetIds',
  'securityGroupId',
  'assignPublicIp',
  'ingressCidrs',
  'ingressPorts',
  'logRetentionDays',
  'repositoryPrefix',
  'taskFamilyPrefix',
  'tagMutability',
  'untaggedKeep',
  'containerInsights',
  'spotDefault',
  'stageName',
  'throttleRate',
  'throttleBurst',
  'tableDeletionProtection',
  'apiGatewayCloudWatchRole',
  'orphanPolicy',
] as const

export type ContextKey = (typeof CONTEXT_KEYS)[number]
