/**
 * The container shapes the docker CLI decodes: `GET /containers/json` items and
 * `GET /containers/{id}/json`. Types follow docker-engine-api §1.6: list Created is unix
 * seconds, inspect Created an RFC 3339 string; Names start with `/`; Config, State and
 * NetworkSettings are always objects (the CLI panics on null).
 */
import { formatSize } from '../../core/fargate-sizes.js'
import { shortId } from '../../core/ids.js'
import type { Container, Run } from '../../core/model.js'
import { commandLine, pathAndArgs, statusText } from './status-text.js'

const MIB = 1024 * 1024
/** Go's zero time, which the engine shows for "never". */
export const ZERO_TIME = '0001-01-01T00:00:00Z'

/** The network name `docker ps --format '{{.Networks}}'` shows. */
export function networkName(backend: 'ecs' | 'docker'): string {
  return backend === 'ecs' ? 'awsvpc' : 'bridge'
}

function endpoint(address = ''): Record<string, unknown> {
  return { IPAMConfig: null, Links: null, Aliases: null, NetworkID: '', EndpointID: '', Gateway: '', IPAddress: address, IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, MacAddress: '', DriverOpts: null }
}

/** Where the runtime said a spec port answers, if it did. */
function answersAt(c: Container, p: Container['spec']['ports'][number]) {
  return c.state.endpoints?.find((e) => e.containerPort === p.containerPort && e.protocol === p.protocol)
}

/**
 * `ps` Ports: published ports while the container runs: where they answer when the runtime
 * said (engine bindings, the task's address), else the requested host port on `ip`.
 */
function summaryPorts(c: Container, ip: string): Record<string, unknown>[] {
  if (!c.state.running) return []
  return c.spec.ports.map((p) => {
    const at = answersAt(c, p)
    if (at) return { IP: at.ip, PrivatePort: p.containerPort, PublicPort: at.port, Type: p.protocol }
    return p.hostPort !== undefined
      ? { IP: ip, PrivatePort: p.containerPort, PublicPort: p.hostPort, Type: p.protocol }
      : { PrivatePort: p.containerPort, Type: p.protocol }
  })
}

/** One `GET /containers/json` item. */
export function containerSummary(c: Container, now: Date, backend: 'ecs' | 'docker', withSize = false, publishHost = '0.0.0.0'): Record<string, unknown> {
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.spec.image,
    ImageID: c.imageDigest ?? '',
    Command: commandLine(c.spec),
    Created: Math.floor(Date.parse(c.createdAt) / 1000),
    Ports: summaryPorts(c, publishHost),
    Labels: c.spec.labels,
    State: c.state.status,
    Status: statusText(c.state, now),
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: { Networks: { [networkName(backend)]: endpoint() } },
    Mounts: [],
    ...(withSize ? { SizeRw: 0, SizeRootFs: 0 } : {}),
  }
}

function portKey(p: Container['spec']['ports'][number]): string {
  return `${p.containerPort}/${p.protocol}`
}

function hostConfig(c: Container, backend: 'ecs' | 'docker'): Record<string, unknown> {
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {}
  for (const p of c.spec.ports) if (p.hostPort !== undefined) bindings[portKey(p)] = [{ HostIp: '', HostPort: String(p.hostPort) }]
  return {
    Binds: null,
    NetworkMode: 'default',
    PortBindings: bindings,
    RestartPolicy: { Name: c.spec.restartPolicy.name, MaximumRetryCount: c.spec.restartPolicy.maximumRetryCount ?? 0 },
    AutoRemove: c.spec.autoRemove ?? false,
    LogConfig: { Type: backend === 'ecs' ? 'awslogs' : 'json-file', Config: {} },
    Memory: c.size.memory * MIB,
    NanoCpus: (c.size.cpu / 1024) * 1e9,
    CpuShares: 0,
    CpuPeriod: 0,
    CpuQuota: 0,
    Privileged: false,
    PublishAllPorts: false,
    ReadonlyRootfs: false,
    CapAdd: null,
    CapDrop: null,
    Dns: [],
    DnsOptions: [],
    DnsSearch: [],
    ExtraHosts: null,
    VolumesFrom: null,
    Links: null,
    PidMode: '',
    IpcMode: 'private',
    Runtime: backend === 'ecs' ? 'fargate' : 'runc',
    ConsoleSize: [0, 0],
  }
}

function config(c: Container): Record<string, unknown> {
  const exposed: Record<string, Record<string, never>> = {}
  for (const p of c.spec.ports) exposed[portKey(p)] = {}
  const hc = c.spec.healthcheck
  return {
    Hostname: shortId(c.id),
    Domainname: '',
    User: c.spec.user ?? '',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    ...(c.spec.ports.length ? { ExposedPorts: exposed } : {}),
    Tty: c.spec.tty,
    OpenStdin: false,
    StdinOnce: false,
    Env: Object.entries(c.spec.env).map(([k, v]) => `${k}=${v}`),
    Cmd: c.spec.cmd ?? null,
    ...(hc
      ? { Healthcheck: { Test: hc.test, Interval: hc.interval * 1e9, Timeout: hc.timeout * 1e9, StartPeriod: hc.startPeriod * 1e9, Retries: hc.retries } }
      : {}),
    Image: c.spec.image,
    Volumes: null,
    WorkingDir: c.spec.workdir ?? '',
    Entrypoint: c.spec.entrypoint ?? null,
    OnBuild: null,
    Labels: c.spec.labels,
    StopTimeout: c.spec.stopTimeout,
  }
}

/** `address`: the task's own IP on Fargate (`inspect -f '{{.NetworkSettings.IPAddress}}'`). */
function networkSettings(c: Container, backend: 'ecs' | 'docker', ip: string, address = ''): Record<string, unknown> {
  const ports: Record<string, { HostIp: string; HostPort: string }[] | null> = {}
  if (c.state.running) {
    for (const p of c.spec.ports) {
      const at = answersAt(c, p)
      ports[portKey(p)] = at ? [{ HostIp: at.ip, HostPort: String(at.port) }] : p.hostPort === undefined ? null : [{ HostIp: ip, HostPort: String(p.hostPort) }]
    }
  }
  return { Bridge: '', SandboxID: '', SandboxKey: '', Ports: ports, Networks: { [networkName(backend)]: endpoint(address) }, IPAddress: address, IPPrefixLen: 0, Gateway: '', MacAddress: '' }
}

/** fargated's own view, under `Fargated` (Go templates can read it: `{{.Fargated.size}}`). */
function fargatedView(c: Container, run: Run | undefined, backend: 'ecs' | 'docker'): Record<string, unknown> {
  const s = c.spec
  return {
    size: { cpu: c.size.cpu, memory: c.size.memory, text: formatSize(c.size) },
    requested: { cpu: s.cpu ?? null, memory: s.memory ?? null },
    capacity: s.capacity,
    platform: s.platform,
    policies: { idle: s.idle ?? null, maxLifetime: s.maxLifetime ?? null, sizing: s.sizing, track: s.track ?? null },
    recommendation: c.recommendation ?? null,
    costToDate: c.costToDate ?? 0,
    runNumber: c.runNumber,
    taskArn: backend === 'ecs' ? run?.ref ?? null : null,
    runRef: run?.ref ?? null,
    runStatus: run?.lastStatus ?? null,
    statusDetail: c.state.detail ?? null,
    stopCause: c.state.stopCause ?? null,
    stopReason: c.state.stopReason ?? null,
    restartAt: c.restartAt ?? null,
  }
}

/** `GET /containers/{id}/json`. */
export function containerInspect(c: Container, run: Run | undefined, backend: 'ecs' | 'docker', publishHost = '0.0.0.0'): Record<string, unknown> {
  const { path, args } = pathAndArgs(c.spec)
  const st = c.state
  return {
    Id: c.id,
    Created: c.createdAt,
    Path: path,
    Args: args,
    State: {
      Status: st.status,
      Running: st.running,
      Paused: false,
      Restarting: st.status === 'restarting',
      OOMKilled: st.oomKilled,
      Dead: st.status === 'dead',
      Pid: 0,
      ExitCode: st.exitCode ?? 0,
      Error: st.error ?? '',
      StartedAt: st.startedAt ?? ZERO_TIME,
      FinishedAt: st.running ? ZERO_TIME : st.finishedAt ?? ZERO_TIME,
      // As the engine: Health with a health check (fargated keeps no check log).
      ...(c.spec.healthcheck ? { Health: { Status: st.health ?? (st.running ? 'starting' : 'unhealthy'), FailingStreak: 0, Log: [] } } : {}),
    },
    Image: c.imageDigest ?? '',
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: '',
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: backend === 'ecs' ? 'fargate' : 'engine',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: hostConfig(c, backend),
    GraphDriver: { Data: null, Name: '' },
    Mounts: [],
    Config: config(c),
    NetworkSettings: networkSettings(c, backend, publishHost, c.state.running ? (run?.address ?? '') : ''),
    Fargated: fargatedView(c, run, backend),
  }
}
