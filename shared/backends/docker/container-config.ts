import { createHash } from 'node:crypto'
import type Dockerode from 'dockerode'
import { UnsupportedError } from '../../core/errors.js'
import type { StartRunInput } from '../../core/ports.js'
import { canonicalJson } from '../../core/canonical-json.js'
import { LABELS, engineName } from './labels.js'

const NANOS = 1e9

/** Docker's health test form: `CMD …`, `CMD-SHELL cmd` or `NONE`; a bare command is taken as given. */
function healthTest(test: string[]): string[] {
  if (['CMD', 'CMD-SHELL', 'NONE'].includes(test[0])) return test
  return test.length === 1 ? ['CMD-SHELL', test[0]] : ['CMD', ...test]
}

/**
 * The engine create body for one run. Fargate's size becomes the limits (NanoCpus = cpu/1024
 * vCPU, Memory = MemorySwap = memory MiB, so no swap); ports are published on `publishHost`
 * (hostPort 0 or missing → a random port). No restart policy (the core owns restarts), nothing
 * privileged, no mounts. The platform is not passed: the engine runs its own architecture.
 */
export function containerConfig(
  input: StartRunInput,
  options: { publishHost: string; labels: Record<string, string> },
): Dockerode.ContainerCreateOptions {
  const config = createBody(input, options)
  const hash = createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 32)
  return { ...config, Labels: { ...config.Labels, [LABELS.config]: hash } }
}

/** The create body's hash, as labelled on the engine container (`fargated.config`). */
export function configHash(options: Dockerode.ContainerCreateOptions): string | undefined {
  return options.Labels?.[LABELS.config]
}

function createBody(input: StartRunInput, options: { publishHost: string; labels: Record<string, string> }): Dockerode.ContainerCreateOptions {
  const { container, runNumber, size, token } = input
  const spec = container.spec
  if (spec.secrets.length > 0) {
    throw new UnsupportedError(
      `secrets (${spec.secrets.map((s) => s.name).join(', ')}) are read from AWS Secrets Manager/SSM, which local mode cannot reach: pass the values as env instead`,
    )
  }
  const exposed: Record<string, Record<string, never>> = {}
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {}
  for (const port of spec.ports) {
    const key = `${port.containerPort}/${port.protocol}`
    exposed[key] = {}
    bindings[key] = [{ HostIp: options.publishHost, HostPort: port.hostPort ? String(port.hostPort) : '' }]
  }
  const memoryBytes = size.memory * 2 ** 20
  return {
    name: engineName(container.id, runNumber),
    Image: input.image,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: {
      ...spec.labels,
      ...options.labels,
      [LABELS.container]: container.id,
      [LABELS.namespace]: container.namespace,
      [LABELS.run]: String(runNumber),
      [LABELS.token]: token,
    },
    WorkingDir: spec.workdir,
    User: spec.user,
    Tty: spec.tty,
    AttachStdin: false,
    OpenStdin: false,
    ExposedPorts: exposed,
    StopTimeout: spec.stopTimeout,
    Healthcheck: spec.healthcheck
      ? {
          Test: healthTest(spec.healthcheck.test),
          Interval: Math.round(spec.healthcheck.interval * NANOS),
          Timeout: Math.round(spec.healthcheck.timeout * NANOS),
          Retries: spec.healthcheck.retries,
          StartPeriod: Math.round(spec.healthcheck.startPeriod * NANOS),
        }
      : undefined,
    HostConfig: {
      NanoCpus: Math.round((size.cpu / 1024) * NANOS),
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      PortBindings: bindings,
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      Privileged: false,
      AutoRemove: false,
    },
  }
}
