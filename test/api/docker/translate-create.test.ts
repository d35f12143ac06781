import { describe, expect, it } from 'vitest'
import { InvalidSpecError } from '../../../shared/core/errors.js'
import { parseSpec } from '../../../shared/core/spec.js'
import { envRecord, normalizePlatform, translateCreate } from '../../../shared/api/docker/translate-create.js'
import { CREATE_BODY, RUN_D_FULL, RUN_I_RM, bodyOf } from './fixtures.js'

const ecs = { backend: 'ecs' as const }
const docker = { backend: 'docker' as const }

describe('translateCreate: the CLI bodies', () => {
  it('maps every flag of the traced `docker run -d` (doc §5.3) and warns about nothing', () => {
    const { spec, warnings } = translateCreate(RUN_D_FULL, docker)
    expect(warnings).toEqual([])
    expect(spec).toEqual({
      image: 'local/busybox:1',
      cmd: ['-c', 'while true; do echo tick; echo err >&2; sleep 1; done'],
      entrypoint: ['/bin/sh'],
      env: { FOO: 'bar', BAZ: 'qux' },
      labels: { app: 'web', tier: 'front' },
      workdir: '/tmp',
      ports: [{ containerPort: 80, protocol: 'tcp', hostPort: 8080 }],
      cpu: 0.5,
      memory: 256,
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
    })
    expect(() => parseSpec(spec)).not.toThrow()
  })

  it('accepts the plain `docker create` body (Env null, empty PortBindings) on the engine backend without warnings', () => {
    const { spec, warnings } = translateCreate(CREATE_BODY, docker)
    expect(warnings).toEqual([])
    expect(spec).toEqual({ image: 'local/busybox:1', cmd: ['sh', '-c', 'echo hello-out; echo hello-err >&2; sleep 2; exit 3'], labels: { app: 'batch' } })
  })

  it('on ECS warns a foreground run (AttachStdout) that attach is impossible and what to use', () => {
    const { warnings } = translateCreate(CREATE_BODY, ecs)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/docker run -d/)
    expect(warnings[0]).toMatch(/docker logs -f/)
  })

  it('refuses -i (OpenStdin/AttachStdin) with a message naming the flag', () => {
    expect(() => translateCreate(RUN_I_RM, docker)).toThrow(/-i\/--interactive/)
  })

  it('takes --platform from the query', () => {
    expect(translateCreate(RUN_D_FULL, { ...ecs, platform: 'linux/arm64/v8' }).spec.platform).toBe('linux/arm64')
    expect(() => translateCreate(RUN_D_FULL, { ...ecs, platform: 'windows/amd64' })).toThrow(/linux\/amd64 and linux\/arm64/)
  })
})

describe('translateCreate: refused options', () => {
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['-v bind', { 'HostConfig.Binds': ['/srv:/data'] }, /-v\/--volume/],
    ['--mount', { 'HostConfig.Mounts': [{ Type: 'volume', Target: '/data' }] }, /--mount/],
    ['-v anonymous', { Volumes: { '/data': {} } }, /anonymous volume/],
    ['--volumes-from', { 'HostConfig.VolumesFrom': ['other'] }, /--volumes-from/],
    ['--privileged', { 'HostConfig.Privileged': true }, /--privileged/],
    ['--cap-add', { 'HostConfig.CapAdd': ['NET_ADMIN'] }, /--cap-add/],
    ['--device', { 'HostConfig.Devices': [{ PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' }] }, /--device/],
    ['--gpus', { 'HostConfig.DeviceRequests': [{ Count: -1, Capabilities: [['gpu']] }] }, /--gpus/],
    ['--network host', { 'HostConfig.NetworkMode': 'host' }, /--network host/],
    ['--network none', { 'HostConfig.NetworkMode': 'none' }, /--network none/],
    ['--network mynet (endpoints)', { 'NetworkingConfig.EndpointsConfig': { mynet: {} } }, /--network mynet/],
    ['--pid host', { 'HostConfig.PidMode': 'host' }, /--pid host/],
    ['--ipc host', { 'HostConfig.IpcMode': 'host' }, /--ipc host/],
    ['--uts host', { 'HostConfig.UTSMode': 'host' }, /--uts host/],
    ['--link', { 'HostConfig.Links': ['db:db'] }, /--link/],
    ['--add-host', { 'HostConfig.ExtraHosts': ['db:10.0.0.2'] }, /--add-host/],
    ['--dns', { 'HostConfig.Dns': ['1.1.1.1'] }, /--dns/],
    ['--tmpfs', { 'HostConfig.Tmpfs': { '/run': '' } }, /--tmpfs/],
    ['--sysctl', { 'HostConfig.Sysctls': { 'net.core.somaxconn': '1024' } }, /--sysctl/],
    ['--ulimit', { 'HostConfig.Ulimits': [{ Name: 'nofile', Soft: 1, Hard: 2 }] }, /--ulimit/],
    ['--security-opt', { 'HostConfig.SecurityOpt': ['seccomp=unconfined'] }, /--security-opt/],
    ['--shm-size', { 'HostConfig.ShmSize': 1 << 28 }, /--shm-size/],
    ['--read-only', { 'HostConfig.ReadonlyRootfs': true }, /--read-only/],
    ['--runtime', { 'HostConfig.Runtime': 'nvidia' }, /--runtime nvidia/],
    ['--stop-signal', { StopSignal: 'SIGINT' }, /--stop-signal SIGINT/],
    ['--cpus with --cpu-quota', { 'HostConfig.CpuQuota': 50000 }, /Conflicting options/],
    ['sctp port', { ExposedPorts: { '132/sctp': {} } }, /sctp/],
    ['two host ports for one port', { 'HostConfig.PortBindings': { '80/tcp': [{ HostIp: '', HostPort: '8080' }, { HostIp: '', HostPort: '8081' }] } }, /one host port/],
    ['host port range', { 'HostConfig.PortBindings': { '80/tcp': [{ HostIp: '', HostPort: '8000-8010' }] } }, /ranges/],
    ['retry count with always', { 'HostConfig.RestartPolicy': { Name: 'always', MaximumRetryCount: 3 } }, /maximum retry count/],
    ['unknown restart policy', { 'HostConfig.RestartPolicy': { Name: 'sometimes', MaximumRetryCount: 0 } }, /invalid restart policy/],
    ['Env not a list', { Env: 'A=1' }, /Env must be a list of strings/],
    ['label value not a string', { Labels: { a: 1 } }, /Labels\.a must be a string/],
    ['no image', { Image: '' }, /Config\.Image is required/],
  ]

  it.each(refused)('%s → 400 naming the option', (_name, change, message) => {
    const body = bodyOf(RUN_D_FULL, change)
    let error: unknown
    try {
      translateCreate(body, docker)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(InvalidSpecError)
    expect((error as Error).message).toMatch(message)
  })

  it('accepts the default-network spellings and the container\'s own namespaces', () => {
    for (const change of [{ 'HostConfig.NetworkMode': 'bridge' }, { 'HostConfig.NetworkMode': '' }, { 'HostConfig.IpcMode': 'private' }, { 'HostConfig.IpcMode': 'shareable' }, { 'NetworkingConfig.EndpointsConfig': { bridge: {} } }, { StopSignal: 'SIGTERM' }]) {
      expect(() => translateCreate(bodyOf(RUN_D_FULL, change), docker)).not.toThrow()
    }
  })
})

describe('translateCreate: values', () => {
  it('rounds memory bytes up to whole MiB', () => {
    expect(translateCreate(bodyOf(RUN_D_FULL, { 'HostConfig.Memory': 300 * 1024 * 1024 + 1 }), docker).spec.memory).toBe(301)
  })

  it('takes CPU from --cpu-quota/--cpu-period (default period 100ms)', () => {
    const quota = (q: number, p: number) => translateCreate(bodyOf(RUN_D_FULL, { 'HostConfig.NanoCpus': 0, 'HostConfig.CpuQuota': q, 'HostConfig.CpuPeriod': p }), docker).spec.cpu
    expect(quota(150000, 0)).toBe(1.5)
    expect(quota(50000, 50000)).toBe(1)
  })

  it('maps ports: exposed only, published, udp, and warns about a host address', () => {
    const { spec, warnings } = translateCreate(
      bodyOf(RUN_D_FULL, {
        ExposedPorts: { '80/tcp': {}, '53/udp': {}, '9000/tcp': {} },
        'HostConfig.PortBindings': { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }], '53/udp': [{ HostIp: '', HostPort: '' }] },
      }),
      docker,
    )
    expect(spec.ports).toEqual([
      { containerPort: 80, protocol: 'tcp', hostPort: 8080 },
      { containerPort: 53, protocol: 'udp' },
      { containerPort: 9000, protocol: 'tcp' },
    ])
    expect(warnings).toEqual([expect.stringMatching(/127\.0\.0\.1.*ignored/)])
  })

  it('on ECS warns that a different host port is reached as the container port', () => {
    expect(translateCreate(RUN_D_FULL, ecs).warnings).toEqual([expect.stringMatching(/-p 8080:80\/tcp: on Fargate .* as 80, not 8080/)])
    const same = translateCreate(bodyOf(RUN_D_FULL, { 'HostConfig.PortBindings': { '80/tcp': [{ HostIp: '', HostPort: '80' }] } }), ecs)
    expect(same.warnings).toEqual([])
  })

  it('maps --rm, -t, -u, --stop-timeout, --restart unless-stopped', () => {
    const { spec } = translateCreate(
      bodyOf(RUN_D_FULL, { 'HostConfig.AutoRemove': true, Tty: true, User: '1000:1000', StopTimeout: 30, 'HostConfig.RestartPolicy': { Name: 'unless-stopped', MaximumRetryCount: 0 } }),
      docker,
    )
    expect(spec).toMatchObject({ autoRemove: true, tty: true, user: '1000:1000', stopTimeout: 30, restartPolicy: { name: 'unless-stopped' } })
  })

  it('maps a health check (nanoseconds → seconds) and drops NONE', () => {
    const hc = { Test: ['CMD-SHELL', 'curl -f localhost'], Interval: 10e9, Timeout: 3e9, StartPeriod: 0, Retries: 4 }
    expect(translateCreate(bodyOf(RUN_D_FULL, { Healthcheck: hc }), docker).spec.healthcheck).toEqual({ test: ['CMD-SHELL', 'curl -f localhost'], interval: 10, timeout: 3, retries: 4 })
    expect(translateCreate(bodyOf(RUN_D_FULL, { Healthcheck: { Test: ['NONE'] } }), docker).spec.healthcheck).toBeUndefined()
  })

  it('ignores tuning knobs Fargate has no use for, with a warning each', () => {
    const { warnings } = translateCreate(bodyOf(RUN_D_FULL, { 'HostConfig.CpuShares': 512, 'HostConfig.MemoryReservation': 1 << 20, 'HostConfig.MemorySwap': 1 << 30, Hostname: 'web' }), docker)
    expect(warnings).toHaveLength(4)
    expect(warnings.join('\n')).toMatch(/--cpu-shares/)
    expect(warnings.join('\n')).toMatch(/--memory-reservation/)
    expect(warnings.join('\n')).toMatch(/--memory-swap/)
    expect(warnings.join('\n')).toMatch(/--hostname/)
  })

  it('passes fargated policy labels through to the spec', () => {
    const { spec } = translateCreate(bodyOf(RUN_D_FULL, { Labels: { 'fargated.idle': '15m' } }), docker)
    expect(parseSpec(spec).idle?.after).toBe(900)
  })
})

describe('helpers', () => {
  it('envRecord splits at the first = and drops names without a value', () => {
    expect(envRecord(['A=1', 'B=x=y', 'C=', 'UNSET'])).toEqual({ A: '1', B: 'x=y', C: '' })
    expect(() => envRecord(['=oops'])).toThrow(InvalidSpecError)
  })

  it('normalizePlatform', () => {
    expect(normalizePlatform('linux/amd64')).toBe('linux/amd64')
    expect(normalizePlatform('')).toBeUndefined()
    expect(normalizePlatform(undefined)).toBeUndefined()
  })
})

describe('translateCreate: a host address on -p', () => {
  const withIp = { ...RUN_D_FULL, HostConfig: { ...RUN_D_FULL.HostConfig, PortBindings: { '80/tcp': [{ HostIp: '10.1.2.3', HostPort: '8080' }] } } }
  it('says where the port is published instead, per backend', () => {
    expect(translateCreate(withIp, docker).warnings).toEqual([expect.stringMatching(/-p 10\.1\.2\.3:…:80\/tcp: the host address is ignored; local mode publishes on FARGATED_PUBLISH_HOST/)])
    expect(translateCreate(withIp, ecs).warnings).toContainEqual(expect.stringMatching(/the host address is ignored; on Fargate the port is reachable at the task's own address/))
  })
})
