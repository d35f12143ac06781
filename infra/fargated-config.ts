/**
 * Reads and checks the deployment settings from CDK context in one place. Values come either
 * typed (cdk.json) or as strings (`cdk deploy -c key=value`), so each reader accepts both.
 * All problems are collected and reported together, each naming its key.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs'
import {
  DEFAULTS,
  type ContainerInsightsLevel,
  type ContextKey,
  type ExistingNetwork,
  type FargatedConfig,
  type IngressPortRange,
  type OrphanPolicy,
  type TagMutability,
} from './fargated-defaults.js'

/** Thrown when context values are invalid; the message lists every problem. */
export class FargatedConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid fargated context:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'FargatedConfigError'
  }
}

const RETENTION_VALUES = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number')
/** ECR repository-name component rules, applied to each `/`-separated part of the prefix. */
const ECR_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/
const FAMILY_PREFIX = /^[A-Za-z0-9_-]{1,200}$/
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/
const SG_ID = /^sg-[0-9a-f]{8,17}$/
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}\/(3[0-2]|[12]?\d)$/
const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/
const PORTS = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp))?$/

type Lookup = (key: ContextKey) => unknown

/** Reads every setting through `lookup` (e.g. `(k) => app.node.tryGetContext(k)`). */
export function readConfig(lookup: Lookup): FargatedConfig {
  const problems: string[] = []
  const r = new Reader(lookup, problems)

  const repositoryPrefix = r.string('repositoryPrefix', DEFAULTS.repositoryPrefix, checkRepositoryPrefix)
  const existingNetwork = readNetwork(r, problems)
  const ingressCidrs = r.list('ingressCidrs', DEFAULTS.ingressCidrs, (v) =>
    IPV4_CIDR.test(v) || IPV6_CIDR.test(v) ? undefined : `"${v}" is not an IPv4 or IPv6 CIDR (e.g. 203.0.113.0/24)`,
  )
  if (existingNetwork?.securityGroupId && ingressCidrs.length > 0) {
    problems.push('ingressCidrs: cannot be combined with securityGroupId (an existing group keeps its own rules)')
  }
  const config: FargatedConfig = {
    stackName: r.string('stackName', DEFAULTS.stackName, (v) =>
      STACK_NAME.test(v) ? undefined : 'must start with a letter and hold up to 128 letters, digits and hyphens (CloudFormation stack and ECS cluster name)',
    ),
    existingNetwork,
    assignPublicIp: r.bool('assignPublicIp', existingNetwork === undefined),
    ingressCidrs,
    ingressPorts: readPorts(r, problems),
    logRetentionDays: r.int('logRetentionDays', DEFAULTS.logRetentionDays, (n) =>
      RETENTION_VALUES.includes(n) ? undefined : `must be one of ${RETENTION_VALUES.join(', ')} (CloudWatch Logs retention)`,
    ),
    repositoryPrefix,
    taskFamilyPrefix: r.string('taskFamilyPrefix', repositoryPrefix.replace(/[^A-Za-z0-9_-]/g, '-'), (v) =>
      FAMILY_PREFIX.test(v) ? undefined : 'must be 1-200 characters of A-Z a-z 0-9 _ - (ECS family names)',
    ),
    tagMutability: r.oneOf('tagMutability', DEFAULTS.tagMutability, ['MUTABLE', 'IMMUTABLE'] as TagMutability[]),
    untaggedKeep: r.int('untaggedKeep', DEFAULTS.untaggedKeep, (n) => (n >= 1 && n <= 10000 ? undefined : 'must be between 1 and 10000')),
    containerInsights: r.oneOf('containerInsights', DEFAULTS.containerInsights, ['enhanced', 'enabled', 'disabled'] as ContainerInsightsLevel[]),
    spotDefault: r.bool('spotDefault', DEFAULTS.spotDefault),
    stageName: r.string('stageName', DEFAULTS.stageName, (v) => (STAGE_NAME.test(v) ? undefined : 'must be 1-128 characters of A-Z a-z 0-9 _ -')),
    throttleRate: r.number('throttleRate', DEFAULTS.throttleRate, (n) => (n > 0 && n <= 10000 ? undefined : 'must be greater than 0 and at most 10000 requests per second')),
    throttleBurst: r.int('throttleBurst', DEFAULTS.throttleBurst, (n) => (n >= 1 && n <= 5000 ? undefined : 'must be between 1 and 5000')),
    tableDeletionProtection: r.bool('tableDeletionProtection', DEFAULTS.tableDeletionProtection),
    apiGatewayCloudWatchRole: r.bool('apiGatewayCloudWatchRole', DEFAULTS.apiGatewayCloudWatchRole),
    orphanPolicy: r.oneOf('orphanPolicy', DEFAULTS.orphanPolicy, ['stop', 'adopt', 'ignore'] as OrphanPolicy[]),
  }
  if (problems.length > 0) throw new FargatedConfigError(problems)
  return config
}

function checkRepositoryPrefix(v: string): string | undefined {
  if (v.length > 100) return 'must be at most 100 characters (repository names are limited to 256)'
  const bad = v.split('/').find((part) => !ECR_COMPONENT.test(part))
  return bad === undefined ? undefined : `"${v}" breaks ECR naming: lowercase letters and digits, separated by . _ __ - or /`
}

function readNetwork(r: Reader, problems: string[]): ExistingNetwork | undefined {
  const vpcId = r.optionalString('vpcId', (v) => (VPC_ID.test(v) ? undefined : `"${v}" is not a VPC id (vpc-…)`))
  const subnetIds = r.list('subnetIds', [], (v) => (SUBNET_ID.test(v) ? undefined : `"${v}" is not a subnet id (subnet-…)`))
  const securityGroupId = r.optionalString('securityGroupId', (v) => (SG_ID.test(v) ? undefined : `"${v}" is not a security group id (sg-…)`))
  if (vpcId === undefined) {
    if (r.has('vpcId')) return undefined // already reported as malformed
    if (subnetIds.length > 0) problems.push('subnetIds: needs vpcId (the VPC the subnets belong to)')
    if (securityGroupId !== undefined) problems.push('securityGroupId: needs vpcId (the VPC the group belongs to)')
    return undefined
  }
  if (subnetIds.length === 0) problems.push('subnetIds: required with vpcId (the subnets tasks run in)')
  if (subnetIds.length > 16) problems.push('subnetIds: at most 16 (RunTask limit)')
  return { vpcId, subnetIds, securityGroupId }
}

function readPorts(r: Reader, problems: string[]): IngressPortRange[] {
  const raw = r.list('ingressPorts', [], (v) => (PORTS.test(v) ? undefined : `"${v}" is not a port, range or port/protocol (e.g. 80, 8000-8100, 53/udp)`))
  if (raw.length === 0) return DEFAULTS.ingressPorts
  const ranges: IngressPortRange[] = []
  for (const entry of raw) {
    const m = PORTS.exec(entry)
    if (!m) continue
    const from = Number(m[1])
    const to = m[2] === undefined ? from : Number(m[2])
    if (from < 1 || to > 65535 || from > to) problems.push(`ingressPorts: "${entry}" must lie within 1-65535 with from <= to`)
    else ranges.push({ from, to, protocol: (m[3] as 'tcp' | 'udp' | undefined) ?? 'tcp' })
  }
  return ranges
}

/** Typed readers over the raw context; each records a problem and returns the default on error. */
class Reader {
  constructor(
    private readonly lookup: Lookup,
    private readonly problems: string[],
  ) {}

  has(key: ContextKey): boolean {
    return this.raw(key) !== undefined && this.raw(key) !== null
  }

  private raw(key: ContextKey): unknown {
    const v = this.lookup(key)
    return v === '' ? undefined : v
  }

  private fail<T>(key: ContextKey, message: string, fallback: T): T {
    this.problems.push(`${key}: ${message}`)
    return fallback
  }

  optionalString(key: ContextKey, check: (v: string) => string | undefined): string | undefined {
    const v = this.raw(key)
    if (v === undefined || v === null) return undefined
    if (typeof v !== 'string') return this.fail(key, `must be a string, got ${JSON.stringify(v)}`, undefined)
    const problem = check(v.trim())
    return problem ? this.fail(key, problem, undefined) : v.trim()
  }

  string(key: ContextKey, fallback: string, check: (v: string) => string | undefined): string {
    return this.optionalString(key, check) ?? fallback
  }

  oneOf<T extends string>(key: ContextKey, fallback: T, allowed: readonly T[]): T {
    return this.string(key, fallback, (v) => (allowed.includes(v as T) ? undefined : `"${v}" must be one of ${allowed.join(' | ')}`)) as T
  }

  bool(key: ContextKey, fallback: boolean): boolean {
    const v = this.raw(key)
    if (v === undefined || v === null) return fallback
    if (typeof v === 'boolean') return v
    if (v === 'true') return true
    if (v === 'false') return false
    return this.fail(key, `must be true or false, got ${JSON.stringify(v)}`, fallback)
  }

  number(key: ContextKey, fallback: number, check: (n: number) => string | undefined): number {
    const v = this.raw(key)
    if (v === undefined || v === null) return fallback
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN
    if (!Number.isFinite(n)) return this.fail(key, `must be a number, got ${JSON.stringify(v)}`, fallback)
    const problem = check(n)
    return problem ? this.fail(key, `${problem} (got ${n})`, fallback) : n
  }

  int(key: ContextKey, fallback: number, check: (n: number) => string | undefined): number {
    return this.number(key, fallback, (n) => (Number.isInteger(n) ? check(n) : 'must be a whole number'))
  }

  /** A list given as a JSON array, a JSON array string, or a comma-separated string. */
  list(key: ContextKey, fallback: string[], check: (v: string) => string | undefined): string[] {
    const v = this.raw(key)
    if (v === undefined || v === null) return fallback
    let items: unknown[]
    if (Array.isArray(v)) items = v
    else if (typeof v === 'string' && v.trim().startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(v)
        if (!Array.isArray(parsed)) return this.fail(key, 'must be a list', fallback)
        items = parsed
      } catch {
        return this.fail(key, `is not a valid JSON list: ${v}`, fallback)
      }
    } else if (typeof v === 'string') items = v.split(',')
    else return this.fail(key, `must be a list or a comma-separated string, got ${JSON.stringify(v)}`, fallback)
    const out: string[] = []
    for (const item of items) {
      const s = typeof item === 'string' ? item.trim() : typeof item === 'number' ? String(item) : undefined
      if (s === undefined) {
        this.problems.push(`${key}: ${JSON.stringify(item)} must be a string`)
        continue
      }
      if (s === '') continue
      const problem = check(s)
      if (problem) this.problems.push(`${key}: ${problem}`)
      else out.push(s)
    }
    return out
  }
}
