import { ENV, type EnvKey } from '../shared/config/env.js'
import type { FargatedConfig } from './fargated-defaults.js'
import type { Compute } from './constructs/compute.js'
import type { Network } from './constructs/network.js'
import type { Registry } from './constructs/registry.js'
import type { StateTable } from './constructs/state-table.js'

export interface RuntimeParts {
  readonly config: FargatedConfig
  readonly network: Network
  readonly compute: Compute
  readonly registry: Registry
  readonly state: StateTable
}

/**
 * The variables every function reads through readEnv() (shared/config/env.ts), named by the
 * same ENV contract. Function-specific ones (admin secret, pusher role) are added by the stack.
 */
export function runtimeEnvironment(p: RuntimeParts): Record<string, string> {
  const values: Partial<Record<EnvKey, string>> = {
    table: p.state.table.tableName,
    cluster: p.compute.cluster.clusterName,
    subnets: p.network.subnetIds.join(','),
    securityGroups: p.network.taskSecurityGroup.securityGroupId,
    assignPublicIp: p.config.assignPublicIp ? 'ENABLED' : 'DISABLED',
    executionRoleArn: p.compute.executionRole.roleArn,
    taskRoleArn: p.compute.taskRole.roleArn,
    logGroup: p.compute.taskLogGroup.logGroupName,
    repositoryPrefix: p.config.repositoryPrefix,
    taskFamilyPrefix: p.config.taskFamilyPrefix,
    registry: p.registry.registryHost,
    tagMutability: p.config.tagMutability,
    untaggedKeep: String(p.config.untaggedKeep),
    containerInsightsLogGroup: p.compute.performanceLogGroup?.logGroupName,
    orphanPolicy: p.config.orphanPolicy,
    stage: p.config.stageName,
  }
  return named(values)
}

/** Maps contract keys to their variable names, dropping absent values. */
export function named(values: Partial<Record<EnvKey, string>>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(values) as [EnvKey, string | undefined][]) {
    if (value !== undefined) out[ENV[key]] = value
  }
  return out
}
