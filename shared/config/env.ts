/**
 * The one environment contract between the CDK app (which sets these on each function) and the
 * functions (which read them). Infra imports ENV to name variables; functions call readEnv().
 */
export const ENV = {
  table: 'FARGATED_TABLE',
  cluster: 'FARGATED_CLUSTER',
  subnets: 'FARGATED_SUBNETS',
  securityGroups: 'FARGATED_SECURITY_GROUPS',
  assignPublicIp: 'FARGATED_ASSIGN_PUBLIC_IP',
  executionRoleArn: 'FARGATED_EXECUTION_ROLE_ARN',
  taskRoleArn: 'FARGATED_TASK_ROLE_ARN',
  logGroup: 'FARGATED_LOG_GROUP',
  repositoryPrefix: 'FARGATED_REPOSITORY_PREFIX',
  taskFamilyPrefix: 'FARGATED_TASK_FAMILY_PREFIX',
  registry: 'FARGATED_REGISTRY',
  adminSecretArn: 'FARGATED_ADMIN_SECRET_ARN',
  pusherRoleArn: 'FARGATED_PUSHER_ROLE_ARN',
  tagMutability: 'FARGATED_TAG_MUTABILITY',
  untaggedKeep: 'FARGATED_UNTAGGED_KEEP',
  pullThroughPrefix: 'FARGATED_PULL_THROUGH_PREFIX',
  containerInsightsLogGroup: 'FARGATED_INSIGHTS_LOG_GROUP',
  orphanPolicy: 'FARGATED_ORPHAN_POLICY',
  stage: 'FARGATED_STAGE',
} as const

export type EnvKey = keyof typeof ENV

export interface AwsEnv {
  region: string
  table: string
  cluster: string
  subnets: string[]
  securityGroups: string[]
  assignPublicIp: boolean
  executionRoleArn: string
  taskRoleArn: string
  logGroup: string
  repositoryPrefix: string
  taskFamilyPrefix: string
  registry: string
  adminSecretArn?: string
  pusherRoleArn?: string
  tagMutability: 'MUTABLE' | 'IMMUTABLE'
  untaggedKeep: number
  pullThroughPrefix?: string
  containerInsightsLogGroup?: string
  orphanPolicy: 'stop' | 'adopt' | 'ignore'
  stage: string
}

function required(source: Record<string, string | undefined>, key: EnvKey): string {
  const value = source[ENV[key]]
  if (!value) throw new Error(`environment variable ${ENV[key]} is required`)
  return value
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)
}

/** Reads and checks the AWS-mode environment; throws naming the first missing variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): AwsEnv {
  const o = (key: EnvKey) => source[ENV[key]] || undefined
  return {
    region: source.AWS_REGION ?? source.AWS_DEFAULT_REGION ?? 'us-east-1',
    table: required(source, 'table'),
    cluster: required(source, 'cluster'),
    subnets: list(required(source, 'subnets')),
    securityGroups: list(o('securityGroups')),
    assignPublicIp: (o('assignPublicIp') ?? 'ENABLED') === 'ENABLED',
    executionRoleArn: required(source, 'executionRoleArn'),
    taskRoleArn: required(source, 'taskRoleArn'),
    logGroup: required(source, 'logGroup'),
    repositoryPrefix: o('repositoryPrefix') ?? 'fargated',
    taskFamilyPrefix: o('taskFamilyPrefix') ?? 'fargated',
    registry: required(source, 'registry'),
    adminSecretArn: o('adminSecretArn'),
    pusherRoleArn: o('pusherRoleArn'),
    tagMutability: o('tagMutability') === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
    untaggedKeep: Number(o('untaggedKeep') ?? 10),
    pullThroughPrefix: o('pullThroughPrefix'),
    containerInsightsLogGroup: o('containerInsightsLogGroup'),
    orphanPolicy: (o('orphanPolicy') as AwsEnv['orphanPolicy']) ?? 'stop',
    stage: o('stage') ?? 'prod',
  }
}
