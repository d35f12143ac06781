/**
 * ContainerSpec + size + resolved image → RegisterTaskDefinition input. Pure.
 *
 * Decisions:
 * - One family per (namespace, definition hash): `<taskFamilyPrefix>-<namespace>-<hash16>`. The
 *   hash is SHA-256 over the canonical JSON of everything the definition holds (image with its
 *   digest, size, platform, ports, entrypoint, workdir, user, tty, stopTimeout, storage, health
 *   check, secret references, log configuration, roles), so equal hashes mean equal definitions.
 * - `cmd` and `env` are NOT in the definition: they travel in RunTask
 *   `overrides.containerOverrides` (start-run.ts; the spec enforces the 8 KB override budget).
 *   A second run of the same image and size therefore reuses the definition, and a steady-state
 *   start is a single RunTask call.
 * - awslogs stream prefix = the namespace (DESIGN §4 says container id, which would force one
 *   definition per container and two ECS calls per start). The stream is then
 *   `<namespace>/main/<taskId>`: unique per run, computable from the task ARN the run keeps.
 * - Docker host ports cannot be remapped on awsvpc (each task has its own IP): only the
 *   container port and protocol are registered.
 */
import { createHash } from 'node:crypto'
import type {
  ContainerDefinition,
  HealthCheck,
  RegisterTaskDefinitionCommandInput,
} from '@aws-sdk/client-ecs'
import { InvalidSpecError } from '../../core/errors.js'
import type { FargateSize } from '../../core/fargate-sizes.js'
import type { ContainerSpec } from '../../core/spec.js'
import { CONTAINER_NAME, TAGS, type EcsBackendConfig } from './ecs-config.js'
import { canonicalJson } from '../../core/canonical-json.js'

export type TaskDefinitionSpec = Pick<
  ContainerSpec,
  'entrypoint' | 'workdir' | 'user' | 'tty' | 'ports' | 'platform' | 'stopTimeout' | 'ephemeralStorage' | 'secrets' | 'healthcheck'
>

export interface TaskDefinitionPlan {
  family: string
  /** 16 hex characters: the cache key (store.getTaskDefinition(namespace, hash)). */
  hash: string
  input: RegisterTaskDefinitionCommandInput
}

export type TaskDefinitionConfig = Pick<EcsBackendConfig, 'region' | 'logGroup' | 'executionRoleArn' | 'taskRoleArn' | 'taskFamilyPrefix'>

const FAMILY_MAX = 255

function inRange(value: number, min: number, max: number, field: string): number {
  const v = Math.ceil(value)
  if (v < min || v > max) throw new InvalidSpecError(`${field} must be ${min}-${max} seconds on Fargate (got ${value})`)
  return v
}

/** Docker HEALTHCHECK → ECS healthCheck (seconds). `NONE` disables it. */
export function toHealthCheck(h: ContainerSpec['healthcheck']): HealthCheck | undefined {
  if (!h || h.test[0] === 'NONE') return undefined
  const command = h.test[0] === 'CMD' || h.test[0] === 'CMD-SHELL' ? h.test : ['CMD-SHELL', h.test.join(' ')]
  if (command.length < 2) throw new InvalidSpecError('healthcheck.test needs a command after CMD or CMD-SHELL')
  return {
    command,
    interval: inRange(h.interval || 30, 5, 300, 'healthcheck.interval'),
    timeout: inRange(h.timeout || 5, 2, 60, 'healthcheck.timeout'),
    retries: h.retries,
    ...(h.startPeriod > 0 ? { startPeriod: inRange(h.startPeriod, 0, 300, 'healthcheck.startPeriod') } : {}),
  }
}


/** `<prefix>-<namespace>-<hash>`, with characters ECS rejects in a family replaced by `-`. */
export function familyName(prefix: string, namespace: string, hash: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-')
  const head = `${safe(prefix)}-${safe(namespace)}`.slice(0, FAMILY_MAX - hash.length - 1)
  return `${head}-${hash}`
}

/** Builds the task definition for a run of `spec` at `size` with the resolved `image`. */
export function planTaskDefinition(args: {
  namespace: string
  spec: TaskDefinitionSpec
  size: FargateSize
  image: string
  config: TaskDefinitionConfig
}): TaskDefinitionPlan {
  const { namespace, spec, size, image, config } = args
  const container: ContainerDefinition = {
    name: CONTAINER_NAME,
    image,
    essential: true,
    entryPoint: spec.entrypoint,
    workingDirectory: spec.workdir,
    user: spec.user,
    pseudoTerminal: spec.tty || undefined,
    portMappings: spec.ports.length ? spec.ports.map((p) => ({ containerPort: p.containerPort, protocol: p.protocol })) : undefined,
    stopTimeout: spec.stopTimeout,
    secrets: spec.secrets.length ? spec.secrets.map((s) => ({ name: s.name, valueFrom: s.valueFrom })) : undefined,
    healthCheck: toHealthCheck(spec.healthcheck),
    logConfiguration: {
      logDriver: 'awslogs',
      options: {
        'awslogs-group': config.logGroup,
        'awslogs-region': config.region,
        'awslogs-stream-prefix': namespace,
      },
    },
  }
  const content: Omit<RegisterTaskDefinitionCommandInput, 'family' | 'tags'> = {
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: String(size.cpu),
    memory: String(size.memory),
    runtimePlatform: {
      cpuArchitecture: spec.platform === 'linux/arm64' ? 'ARM64' : 'X86_64',
      operatingSystemFamily: 'LINUX',
    },
    ephemeralStorage: spec.ephemeralStorage ? { sizeInGiB: spec.ephemeralStorage } : undefined,
    executionRoleArn: config.executionRoleArn,
    taskRoleArn: config.taskRoleArn,
    containerDefinitions: [container],
  }
  const hash = createHash('sha256').update(canonicalJson(content)).digest('hex').slice(0, 16)
  const family = familyName(config.taskFamilyPrefix, namespace, hash)
  const input = JSON.parse(JSON.stringify({ ...content, family })) as RegisterTaskDefinitionCommandInput
  input.tags = [
    { key: TAGS.namespace, value: namespace },
    { key: TAGS.specHash, value: hash },
  ]
  return { family, hash, input }
}

/** The namespace encoded in a fargated family name, if `family` is one. */
export function namespaceOfFamily(family: string, prefix: string): string | undefined {
  const m = /^(.+)-([0-9a-f]{16})$/.exec(family)
  const head = `${prefix}-`
  if (!m || !m[1].startsWith(head) || m[1].length === head.length) return undefined
  return m[1].slice(head.length)
}
