import { z } from 'zod'
import { parseDuration, parseBytes } from './durations.js'
import { InvalidSpecError } from './errors.js'
import { parseImageReference } from './image-reference.js'
import { toFargateSize, type FargateSize } from './fargate-sizes.js'

/** RunTask overrides may total 8192 characters (aws-facts §2.1); cmd, entrypoint and env must fit. */
export const OVERRIDE_BUDGET = 8192
export const MAX_LABEL_KEY = 255
export const MAX_LABEL_VALUE = 4096
export const MAX_LABELS_TOTAL = 16384

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** The longest duration a policy may name: one year. */
export const MAX_DURATION_S = 365 * 24 * 3600

const duration = (field: string) =>
  z.union([z.number().nonnegative(), z.string().min(1)]).transform((v, ctx) => {
    try {
      const seconds = parseDuration(v, field)
      if (seconds > MAX_DURATION_S) {
        ctx.addIssue({ code: 'custom', message: `${field} is at most one year (${MAX_DURATION_S} s)` })
        return z.NEVER
      }
      return seconds
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message })
      return z.NEVER
    }
  })

export const PortSchema = z.strictObject({
  containerPort: z.number().int().min(1, 'containerPort must be 1-65535').max(65535, 'containerPort must be 1-65535'),
  hostPort: z.number().int().min(0).max(65535, 'hostPort must be 0-65535').optional(),
  protocol: z.enum(['tcp', 'udp']).default('tcp'),
})

export const RestartPolicySchema = z.strictObject({
  name: z.enum(['no', 'on-failure', 'always', 'unless-stopped']).default('no'),
  maximumRetryCount: z.number().int().min(0).max(1000).optional(),
})

export const IdlePolicySchema = z.strictObject({
  /** Stop after this many seconds of inactivity. */
  after: duration('idle.after'),
  /** CPU below this % of the reserved CPU counts as idle. */
  cpuPercent: z.number().min(0).max(100).default(2),
  /** Network below this many bytes/s (rx+tx) counts as idle. */
  networkBytesPerSec: z.union([z.number().nonnegative(), z.string()]).transform((v) => parseBytes(v, 'idle.networkBytesPerSec')).default(1024),
  /** No idle stop in the first seconds after start. */
  grace: duration('idle.grace').default(60),
})

/** ECS health check ranges (seconds): what Fargate accepts, checked at create, not at start. */
const ranged = (field: string, min: number, max: number) =>
  duration(field).refine((s) => s >= min && s <= max, { message: `${field} must be ${min}-${max} seconds on Fargate` })

export const HealthCheckSchema = z.strictObject({
  /** `["CMD", exe, ...args]`, `["CMD-SHELL", "command"]` or `["NONE"]`. */
  test: z.array(z.string()).min(1).refine(
    (t) => t[0] === 'NONE' || ((t[0] === 'CMD' || t[0] === 'CMD-SHELL') && t.length >= 2),
    { message: 'healthcheck.test is ["CMD", exe, ...args], ["CMD-SHELL", "command"] or ["NONE"]' },
  ),
  interval: ranged('healthcheck.interval', 5, 300).default(30),
  timeout: ranged('healthcheck.timeout', 2, 60).default(5),
  retries: z.number().int().min(1).max(10).default(3),
  startPeriod: ranged('healthcheck.startPeriod', 0, 300).default(0),
})

export const SecretRefSchema = z.strictObject({
  name: z.string().regex(ENV_NAME, 'secret names are environment variable names: letters, digits, _ and not starting with a digit'),
  /** ARN of a Secrets Manager secret or SSM parameter. Values are never stored. */
  valueFrom: z.string().min(1).max(2048),
})

export const SizingSchema = z.enum(['fixed', 'recommend', 'auto'])
export const PlatformSchema = z.enum(['linux/amd64', 'linux/arm64'])
export const CapacitySchema = z.enum(['on-demand', 'spot', 'spot-with-fallback'])

/** The container spec as accepted from either front door. */
export const ContainerSpecInputSchema = z.strictObject({
  image: z.string().min(1, 'image is required'),
  cmd: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  labels: z.record(z.string(), z.string()).optional(),
  workdir: z.string().max(4096).optional(),
  user: z.string().max(256).optional(),
  tty: z.boolean().optional(),
  /** Remove the container when its run ends (docker run --rm). */
  autoRemove: z.boolean().optional(),
  ports: z.array(PortSchema).max(100).optional(),
  /** vCPU, Docker's `--cpus`. Rounded up to a valid Fargate size. */
  cpu: z.number().positive('cpu must be greater than 0 vCPU').max(16, 'cpu is at most 16 vCPU on Fargate').optional(),
  /** MiB, Docker's `--memory`. Rounded up to a valid Fargate size. */
  memory: z.number().int().positive('memory must be greater than 0 MiB').max(122880, 'memory is at most 122880 MiB on Fargate').optional(),
  platform: PlatformSchema.optional(),
  capacity: CapacitySchema.optional(),
  restartPolicy: RestartPolicySchema.optional(),
  stopTimeout: z.number().int().min(0).max(120, 'stopTimeout is at most 120 seconds on Fargate').optional(),
  ephemeralStorage: z.number().int().min(21, 'ephemeralStorage is 21-200 GiB (20 GiB is the default)').max(200, 'ephemeralStorage is 21-200 GiB').optional(),
  secrets: z.array(SecretRefSchema).max(100).optional(),
  healthcheck: HealthCheckSchema.optional(),
  idle: IdlePolicySchema.optional(),
  maxLifetime: duration('maxLifetime').optional(),
  sizing: SizingSchema.optional(),
  track: z.string().min(1).max(255).optional(),
})
export type ContainerSpecInput = z.input<typeof ContainerSpecInputSchema>

/** A validated spec with defaults and label policies applied: what the core stores and runs. */
export interface ContainerSpec {
  image: string
  cmd?: string[]
  entrypoint?: string[]
  env: Record<string, string>
  labels: Record<string, string>
  workdir?: string
  user?: string
  tty: boolean
  autoRemove?: boolean
  ports: { containerPort: number; hostPort?: number; protocol: 'tcp' | 'udp' }[]
  cpu?: number
  memory?: number
  platform: 'linux/amd64' | 'linux/arm64'
  capacity: 'on-demand' | 'spot' | 'spot-with-fallback'
  restartPolicy: { name: 'no' | 'on-failure' | 'always' | 'unless-stopped'; maximumRetryCount?: number }
  stopTimeout: number
  ephemeralStorage?: number
  secrets: { name: string; valueFrom: string }[]
  healthcheck?: { test: string[]; interval: number; timeout: number; retries: number; startPeriod: number }
  idle?: { after: number; cpuPercent: number; networkBytesPerSec: number; grace: number }
  maxLifetime?: number
  sizing: 'fixed' | 'recommend' | 'auto'
  track?: string
}

/** Policy labels a Docker CLI user can set with `--label`. */
export const POLICY_LABELS = {
  idle: 'fargated.idle',
  idleCpu: 'fargated.idle-cpu',
  idleNetwork: 'fargated.idle-network',
  idleGrace: 'fargated.idle-grace',
  maxLifetime: 'fargated.max-lifetime',
  sizing: 'fargated.sizing',
  track: 'fargated.track',
  capacity: 'fargated.capacity',
} as const

function formatIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const path = i.path.join('.')
      if (i.code === 'unrecognized_keys') return `unknown field${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => (path ? `${path}.${k}` : k)).join(', ')}`
      return path ? `${path}: ${i.message}` : i.message
    })
    .join('; ')
}

/** Throws InvalidSpecError with every problem listed as `field: what to fix`. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown, what = 'spec'): z.output<T> {
  const result = schema.safeParse(input)
  if (!result.success) throw new InvalidSpecError(`invalid ${what}: ${formatIssues(result.error)}`, { details: { issues: result.error.issues } })
  return result.data
}

function labelPolicies(labels: Record<string, string>): Partial<ContainerSpecInput> {
  const out: Partial<ContainerSpecInput> = {}
  const L = POLICY_LABELS
  if (labels[L.idle]) {
    out.idle = {
      after: labels[L.idle],
      ...(labels[L.idleCpu] !== undefined ? { cpuPercent: Number(labels[L.idleCpu]) } : {}),
      ...(labels[L.idleNetwork] !== undefined ? { networkBytesPerSec: labels[L.idleNetwork] } : {}),
      ...(labels[L.idleGrace] !== undefined ? { grace: labels[L.idleGrace] } : {}),
    }
  }
  if (labels[L.maxLifetime]) out.maxLifetime = labels[L.maxLifetime]
  if (labels[L.sizing]) out.sizing = labels[L.sizing] as ContainerSpec['sizing']
  if (labels[L.track]) out.track = labels[L.track]
  if (labels[L.capacity]) out.capacity = labels[L.capacity] as ContainerSpec['capacity']
  return out
}

function checkLimits(spec: ContainerSpec): void {
  for (const name of Object.keys(spec.env)) {
    if (!ENV_NAME.test(name)) {
      throw new InvalidSpecError(`invalid env name "${name}": use letters, digits and _, not starting with a digit`)
    }
  }
  let labelBytes = 0
  for (const [k, v] of Object.entries(spec.labels)) {
    if (k.length === 0 || k.length > MAX_LABEL_KEY) throw new InvalidSpecError(`label key "${k.slice(0, 40)}" must be 1-${MAX_LABEL_KEY} characters`)
    if (v.length > MAX_LABEL_VALUE) throw new InvalidSpecError(`label "${k}" is longer than ${MAX_LABEL_VALUE} characters`)
    labelBytes += k.length + v.length
  }
  if (labelBytes > MAX_LABELS_TOTAL) throw new InvalidSpecError(`labels total ${labelBytes} characters; the limit is ${MAX_LABELS_TOTAL}`)
  const overrides = JSON.stringify({
    command: spec.cmd,
    entryPoint: spec.entrypoint,
    environment: Object.entries(spec.env).map(([name, value]) => ({ name, value })),
  })
  if (overrides.length > OVERRIDE_BUDGET) {
    throw new InvalidSpecError(
      `cmd, entrypoint and env take ${overrides.length} characters; Fargate allows ${OVERRIDE_BUDGET}. Move large values into a secret or the image`,
    )
  }
  const seen = new Set<string>()
  for (const p of spec.ports) {
    const key = `${p.containerPort}/${p.protocol}`
    if (seen.has(key)) throw new InvalidSpecError(`port ${key} is listed twice`)
    seen.add(key)
  }
  if (spec.capacity !== 'on-demand' && spec.platform === 'linux/arm64') {
    // aws-facts §1.5: sources conflict on ARM64 Spot; the 2026 model allows it on 1.4.0+. Allowed.
  }
  if (spec.idle && spec.idle.after <= 0) throw new InvalidSpecError('idle.after must be greater than 0')
  if (spec.maxLifetime !== undefined && spec.maxLifetime <= 0) throw new InvalidSpecError('maxLifetime must be greater than 0')
}

/** Validates input (labels may carry policies; explicit fields win) and applies defaults. */
export function parseSpec(input: unknown): ContainerSpec {
  const raw = parseWith(ContainerSpecInputSchema, input)
  parseImageReference(raw.image)
  const labels = raw.labels ?? {}
  const fromLabels = Object.keys(labels).some((k) => k.startsWith('fargated.'))
    ? parseWith(ContainerSpecInputSchema.partial(), labelPolicies(labels), 'fargated.* label')
    : {}
  const spec: ContainerSpec = {
    image: raw.image,
    cmd: raw.cmd,
    entrypoint: raw.entrypoint,
    env: raw.env ?? {},
    labels,
    workdir: raw.workdir,
    user: raw.user,
    tty: raw.tty ?? false,
    autoRemove: raw.autoRemove,
    ports: raw.ports ?? [],
    cpu: raw.cpu,
    memory: raw.memory,
    platform: raw.platform ?? 'linux/amd64',
    capacity: raw.capacity ?? fromLabels.capacity ?? 'on-demand',
    restartPolicy: raw.restartPolicy ?? { name: 'no' },
    stopTimeout: raw.stopTimeout ?? 10,
    ephemeralStorage: raw.ephemeralStorage,
    secrets: raw.secrets ?? [],
    healthcheck: raw.healthcheck,
    idle: raw.idle ?? fromLabels.idle,
    maxLifetime: raw.maxLifetime ?? fromLabels.maxLifetime,
    sizing: raw.sizing ?? fromLabels.sizing ?? 'recommend',
    track: raw.track ?? fromLabels.track,
  }
  for (const k of Object.keys(spec) as (keyof ContainerSpec)[]) if (spec[k] === undefined) delete spec[k]
  checkLimits(spec)
  return spec
}

/** The Fargate size a spec asks for (cheapest valid pair covering cpu and memory). */
export function sizeOf(spec: Pick<ContainerSpec, 'cpu' | 'memory'>): FargateSize {
  return toFargateSize({ cpus: spec.cpu, memoryMiB: spec.memory })
}

/** Fields PATCH /v1/containers/{id} may change; applied at the next start. */
export const SpecPatchSchema = ContainerSpecInputSchema.pick({
  cpu: true,
  memory: true,
  capacity: true,
  restartPolicy: true,
  stopTimeout: true,
  ephemeralStorage: true,
  idle: true,
  maxLifetime: true,
  sizing: true,
  track: true,
}).extend({
  idle: IdlePolicySchema.nullable().optional(),
  maxLifetime: z.union([duration('maxLifetime'), z.null()]).optional(),
  track: z.string().min(1).max(255).nullable().optional(),
})
export type SpecPatch = z.input<typeof SpecPatchSchema>

/** Applies a patch to a spec (null clears a policy) and re-validates. */
export function patchSpec(spec: ContainerSpec, patch: unknown): ContainerSpec {
  const p = parseWith(SpecPatchSchema, patch, 'patch')
  const next: Record<string, unknown> = { ...spec }
  for (const [k, v] of Object.entries(p)) {
    if (v === null) delete next[k]
    else if (v !== undefined) next[k] = v
  }
  // Re-validate as input: durations are already seconds, which the schema accepts.
  return parseSpec(next)
}
