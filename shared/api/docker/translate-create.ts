/**
 * `POST /containers/create` body (Config + HostConfig + NetworkingConfig) → fargated spec
 * input. What Fargate cannot do is refused with a 400 naming the option (create-checks.ts).
 */
import { InvalidSpecError } from '../../core/errors.js'
import type { ContainerSpecInput } from '../../core/spec.js'
import { readBool, readNumber, readObject, readString, readStringArray, readStringRecord, type Obj } from './body-reader.js'
import { checkConfig, checkHostConfig, checkNetworking } from './create-checks.js'

export interface TranslatedCreate {
  spec: ContainerSpecInput
  /** Shown by the CLI as `WARNING: …`. */
  warnings: string[]
}

const MIB = 1024 * 1024
const NS_PER_S = 1e9
const DEFAULT_CPU_PERIOD = 100_000

/** `KEY=value` list → record; an entry without `=` names an unset variable and is dropped. */
export function envRecord(list: string[] | undefined): Record<string, string> | undefined {
  if (!list) return undefined
  const env: Record<string, string> = {}
  for (const entry of list) {
    const eq = entry.indexOf('=')
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1)
    else if (eq === 0) throw new InvalidSpecError(`invalid environment variable "${entry}": the name is empty`)
  }
  return env
}

/** `--platform` → the spec's platform (`linux/arm64/v8` → `linux/arm64`). */
export function normalizePlatform(raw: string | undefined): ContainerSpecInput['platform'] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined
  const p = raw.trim().toLowerCase()
  if (p === 'linux/amd64' || p === 'linux/x86_64' || p === 'amd64') return 'linux/amd64'
  if (p === 'linux/arm64' || p === 'linux/arm64/v8' || p === 'linux/aarch64' || p === 'arm64') return 'linux/arm64'
  throw new InvalidSpecError(`--platform ${raw} is not supported: Fargate runs linux/amd64 and linux/arm64`)
}

type Port = NonNullable<ContainerSpecInput['ports']>[number]

function parsePortKey(key: string): { port: number; protocol: 'tcp' | 'udp' } {
  const m = /^(\d{1,5})(?:\/(tcp|udp|sctp))?$/i.exec(key)
  if (!m) throw new InvalidSpecError(`invalid port "${key}": use PORT/tcp or PORT/udp`)
  const protocol = (m[2] ?? 'tcp').toLowerCase()
  if (protocol === 'sctp') throw new InvalidSpecError(`port ${key}: Fargate supports tcp and udp, not sctp`)
  return { port: Number(m[1]), protocol: protocol as 'tcp' | 'udp' }
}

/** ExposedPorts + PortBindings → ports; one host port per container port. */
function translatePorts(config: Obj, host: Obj, backend: 'ecs' | 'docker', warnings: string[]): Port[] | undefined {
  const byKey = new Map<string, Port>()
  for (const key of Object.keys(readObject(config, 'ExposedPorts', '') ?? {})) {
    const { port, protocol } = parsePortKey(key)
    byKey.set(`${port}/${protocol}`, { containerPort: port, protocol })
  }
  for (const [key, value] of Object.entries(readObject(host, 'PortBindings', 'HostConfig.') ?? {})) {
    const { port, protocol } = parsePortKey(key)
    const bindings = value === null ? [] : value
    if (!Array.isArray(bindings)) throw new InvalidSpecError(`HostConfig.PortBindings.${key} must be a list of bindings`)
    const hostPorts = new Set<number>()
    for (const b of bindings as Obj[]) {
      const hp = typeof b?.HostPort === 'string' ? b.HostPort.trim() : ''
      if (hp !== '') {
        if (!/^\d{1,5}$/.test(hp)) throw new InvalidSpecError(`-p ${hp}:${key}: host port ranges are not supported; publish one host port per container port`)
        hostPorts.add(Number(hp))
      }
      const ip = typeof b?.HostIp === 'string' ? b.HostIp : ''
      if (ip !== '' && ip !== '0.0.0.0' && ip !== '::') {
        warnings.push(
          backend === 'ecs'
            ? `-p ${ip}:…:${key}: the host address is ignored; on Fargate the port is reachable at the task's own address`
            : `-p ${ip}:…:${key}: the host address is ignored; local mode publishes on FARGATED_PUBLISH_HOST (127.0.0.1 by default)`,
        )
      }
    }
    if (hostPorts.size > 1) throw new InvalidSpecError(`-p …:${key}: fargated publishes a container port on one host port, got ${[...hostPorts].join(', ')}`)
    const [hostPort] = [...hostPorts]
    if (backend === 'ecs' && hostPort !== undefined && hostPort !== port) {
      warnings.push(`-p ${hostPort}:${key}: on Fargate (awsvpc networking) the port is reachable at the task's own address as ${port}, not ${hostPort}`)
    }
    byKey.set(`${port}/${protocol}`, { containerPort: port, protocol, ...(hostPort !== undefined ? { hostPort } : {}) })
  }
  return byKey.size > 0 ? [...byKey.values()] : undefined
}

/** NanoCpus or CpuQuota/CpuPeriod → vCPU. */
function translateCpu(host: Obj, warnings: string[]): number | undefined {
  const nano = readNumber(host, 'NanoCpus', 'HostConfig.') ?? 0
  const quota = readNumber(host, 'CpuQuota', 'HostConfig.') ?? 0
  const period = readNumber(host, 'CpuPeriod', 'HostConfig.') ?? 0
  if (nano > 0 && (quota > 0 || period > 0)) {
    throw new InvalidSpecError('Conflicting options: --cpus (NanoCpus) and --cpu-quota/--cpu-period cannot both be set')
  }
  if (nano > 0) return nano / NS_PER_S
  if (quota > 0) return quota / (period > 0 ? period : DEFAULT_CPU_PERIOD)
  if (period > 0) warnings.push('--cpu-period without --cpu-quota is ignored: set --cpus')
  return undefined
}

function translateRestart(host: Obj): ContainerSpecInput['restartPolicy'] {
  const policy = readObject(host, 'RestartPolicy', 'HostConfig.')
  const name = policy ? readString(policy, 'Name', 'HostConfig.RestartPolicy.') ?? '' : ''
  const max = policy ? readNumber(policy, 'MaximumRetryCount', 'HostConfig.RestartPolicy.') ?? 0 : 0
  if (name === '' || name === 'no') {
    if (max > 0) throw new InvalidSpecError(`invalid restart policy: maximum retry count cannot be used with restart policy '${name || 'no'}'`)
    return undefined
  }
  if (!['always', 'unless-stopped', 'on-failure'].includes(name)) {
    throw new InvalidSpecError(`invalid restart policy '${name}': use no, always, unless-stopped or on-failure[:max-retries]`)
  }
  if (max > 0 && name !== 'on-failure') throw new InvalidSpecError(`invalid restart policy: maximum retry count cannot be used with restart policy '${name}'`)
  return { name: name as 'always' | 'unless-stopped' | 'on-failure', ...(max > 0 ? { maximumRetryCount: max } : {}) }
}

/** Healthcheck (durations in ns; 0 = default; ["NONE"] disables; empty inherits the image's). */
function translateHealthcheck(config: Obj): ContainerSpecInput['healthcheck'] {
  const hc = readObject(config, 'Healthcheck', '')
  const test = hc ? readStringArray(hc, 'Test', 'Healthcheck.') : undefined
  if (!hc || !test || test.length === 0 || test[0] === 'NONE') return undefined
  if (test[0] !== 'CMD' && test[0] !== 'CMD-SHELL') throw new InvalidSpecError('Healthcheck.Test must start with CMD, CMD-SHELL or NONE')
  const seconds = (key: string) => {
    const ns = readNumber(hc, key, 'Healthcheck.') ?? 0
    return ns > 0 ? Math.max(1, Math.round(ns / NS_PER_S)) : undefined
  }
  const retries = readNumber(hc, 'Retries', 'Healthcheck.') ?? 0
  const out: NonNullable<ContainerSpecInput['healthcheck']> = { test }
  const interval = seconds('Interval')
  const timeout = seconds('Timeout')
  const startPeriod = seconds('StartPeriod')
  if (interval !== undefined) out.interval = interval
  if (timeout !== undefined) out.timeout = timeout
  if (startPeriod !== undefined) out.startPeriod = startPeriod
  if (retries > 0) out.retries = retries
  return out
}

/**
 * Translates a create body. `platform` is the query parameter; `backend` decides the few
 * checks that differ (ECS cannot attach).
 */
export function translateCreate(body: unknown, options: { platform?: string; backend: 'ecs' | 'docker' }): TranslatedCreate {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InvalidSpecError('the create body must be a JSON object (Config with HostConfig)')
  const config = body as Obj
  const host = readObject(config, 'HostConfig', '') ?? {}
  const warnings = [...checkConfig(config, options.backend), ...checkHostConfig(host)]
  checkNetworking(readObject(config, 'NetworkingConfig', ''))

  const memoryBytes = readNumber(host, 'Memory', 'HostConfig.') ?? 0
  const stopTimeout = readNumber(config, 'StopTimeout', '')
  const spec: ContainerSpecInput = {
    image: readString(config, 'Image', '') ?? '',
    cmd: readStringArray(config, 'Cmd', ''),
    entrypoint: readStringArray(config, 'Entrypoint', ''),
    env: envRecord(readStringArray(config, 'Env', '')),
    labels: readStringRecord(config, 'Labels', ''),
    workdir: readString(config, 'WorkingDir', '') || undefined,
    user: readString(config, 'User', '') || undefined,
    tty: readBool(config, 'Tty', '') || undefined,
    autoRemove: readBool(host, 'AutoRemove', 'HostConfig.') || undefined,
    ports: translatePorts(config, host, options.backend, warnings),
    cpu: translateCpu(host, warnings),
    memory: memoryBytes > 0 ? Math.ceil(memoryBytes / MIB) : undefined,
    platform: normalizePlatform(options.platform),
    restartPolicy: translateRestart(host),
    stopTimeout,
    healthcheck: translateHealthcheck(config),
  }
  for (const key of Object.keys(spec) as (keyof ContainerSpecInput)[]) if (spec[key] === undefined) delete spec[key]
  if (!spec.image) throw new InvalidSpecError('Config.Image is required: name the image to run')
  return { spec, warnings }
}
