/**
 * Which Docker create options fargated refuses and which it ignores with a warning. Every
 * check passes the zero values the docker CLI sends for options the user did not set
 * (docker-engine-api §5.3), so a plain `docker run -d` never trips one.
 */
import { InvalidSpecError } from '../../core/errors.js'
import { isUnset, type Obj } from './body-reader.js'

const NO_VOLUMES = 'Fargate tasks have no host filesystem and fargated does not manage volumes; bake files into the image or read them from S3'
const AWSVPC_DNS = 'Fargate tasks use awsvpc networking, which takes DNS from the VPC'

/** HostConfig fields that must stay unset: [field, CLI flag, why]. */
const REFUSED_HOST: ReadonlyArray<readonly [string, string, string]> = [
  ['Binds', '-v/--volume', NO_VOLUMES],
  ['Mounts', '--mount', NO_VOLUMES],
  ['VolumesFrom', '--volumes-from', NO_VOLUMES],
  ['VolumeDriver', '--volume-driver', NO_VOLUMES],
  ['Tmpfs', '--tmpfs', 'Fargate does not support tmpfs mounts'],
  ['Privileged', '--privileged', 'Fargate does not run privileged containers'],
  ['CapAdd', '--cap-add', 'fargated does not pass Linux capabilities to Fargate tasks'],
  ['CapDrop', '--cap-drop', 'fargated does not pass Linux capabilities to Fargate tasks'],
  ['Devices', '--device', 'Fargate gives no access to host devices'],
  ['DeviceRequests', '--gpus', 'Fargate has no GPUs'],
  ['DeviceCgroupRules', '--device-cgroup-rule', 'Fargate gives no access to host devices'],
  ['Links', '--link', 'Fargate tasks do not share a network; reach other containers by their address'],
  ['ExtraHosts', '--add-host', 'Fargate tasks (awsvpc networking) cannot add /etc/hosts entries'],
  ['Dns', '--dns', AWSVPC_DNS],
  ['DnsSearch', '--dns-search', AWSVPC_DNS],
  ['DnsOptions', '--dns-option', AWSVPC_DNS],
  ['Sysctls', '--sysctl', 'fargated does not pass sysctls to Fargate tasks'],
  ['Ulimits', '--ulimit', 'fargated does not pass ulimits to Fargate tasks'],
  ['SecurityOpt', '--security-opt', 'Fargate does not accept security options'],
  ['GroupAdd', '--group-add', 'fargated does not pass supplementary groups to Fargate tasks'],
  ['StorageOpt', '--storage-opt', 'set the task storage with the native API field ephemeralStorage instead'],
  ['ShmSize', '--shm-size', 'Fargate does not let a task size /dev/shm'],
  ['ReadonlyRootfs', '--read-only', 'fargated does not set a read-only root filesystem'],
]

/** HostConfig knobs with no meaning on a Fargate size: ignored with a warning. */
const IGNORED_HOST: ReadonlyArray<readonly [string, string]> = [
  ['CpuShares', '--cpu-shares'],
  ['CpuRealtimePeriod', '--cpu-rt-period'],
  ['CpuRealtimeRuntime', '--cpu-rt-runtime'],
  ['CpusetCpus', '--cpuset-cpus'],
  ['CpusetMems', '--cpuset-mems'],
  ['MemoryReservation', '--memory-reservation'],
  ['KernelMemory', '--kernel-memory'],
  ['KernelMemoryTCP', '--kernel-memory-tcp'],
  ['OomKillDisable', '--oom-kill-disable'],
  ['OomScoreAdj', '--oom-score-adj'],
  ['BlkioWeight', '--blkio-weight'],
  ['BlkioWeightDevice', '--blkio-weight-device'],
  ['BlkioDeviceReadBps', '--device-read-bps'],
  ['BlkioDeviceWriteBps', '--device-write-bps'],
  ['BlkioDeviceReadIOps', '--device-read-iops'],
  ['BlkioDeviceWriteIOps', '--device-write-iops'],
  ['IOMaximumIOps', '--io-maxiops'],
  ['IOMaximumBandwidth', '--io-maxbandwidth'],
  ['CpuCount', '--cpu-count'],
  ['CpuPercent', '--cpu-percent'],
  ['CgroupParent', '--cgroup-parent'],
  ['Init', '--init'],
]

function refuse(flag: string, field: string, why: string): never {
  throw new InvalidSpecError(`${flag} (${field}) is not supported by fargated: ${why}`)
}

/** A namespace mode (`--pid`, `--ipc`, `--uts`, `--userns`) other than the container's own. */
function checkMode(host: Obj, field: string, flag: string, allowed: readonly string[]): void {
  const v = host[field]
  if (v === undefined || v === null || (typeof v === 'string' && allowed.includes(v))) return
  refuse(`${flag} ${String(v)}`, `HostConfig.${field}`, 'Fargate tasks cannot share host or other containers\' namespaces')
}

/** Throws for options Fargate cannot honour; returns warnings for options it ignores. */
export function checkHostConfig(host: Obj): string[] {
  for (const [field, flag, why] of REFUSED_HOST) if (!isUnset(host[field])) refuse(flag, `HostConfig.${field}`, why)
  const network = host.NetworkMode
  if (network !== undefined && network !== null && !['', 'default', 'bridge'].includes(String(network))) {
    refuse(`--network ${String(network)}`, 'HostConfig.NetworkMode', 'Fargate tasks use awsvpc networking; only the default network exists')
  }
  checkMode(host, 'PidMode', '--pid', [''])
  checkMode(host, 'IpcMode', '--ipc', ['', 'private', 'shareable'])
  checkMode(host, 'UTSMode', '--uts', [''])
  checkMode(host, 'UsernsMode', '--userns', [''])
  if (!['', 'runc', undefined, null].includes(host.Runtime as string)) refuse(`--runtime ${String(host.Runtime)}`, 'HostConfig.Runtime', 'Fargate chooses the runtime')
  if (!['', 'default', undefined, null].includes(host.Isolation as string)) refuse(`--isolation ${String(host.Isolation)}`, 'HostConfig.Isolation', 'Fargate chooses the isolation')

  const warnings: string[] = []
  for (const [field, flag] of IGNORED_HOST) {
    if (!isUnset(host[field])) warnings.push(`${flag} is ignored: a Fargate task gets a whole CPU/memory size (set --cpus and --memory)`)
  }
  const swap = host.MemorySwap
  if (typeof swap === 'number' && swap !== 0 && swap !== -1) warnings.push('--memory-swap is ignored: Fargate tasks have no swap')
  const swappiness = host.MemorySwappiness
  if (typeof swappiness === 'number' && swappiness !== -1) warnings.push('--memory-swappiness is ignored: Fargate tasks have no swap')
  const pids = host.PidsLimit
  if (typeof pids === 'number' && pids > 0) warnings.push('--pids-limit is ignored by fargated')
  const logType = (host.LogConfig as Obj | undefined)?.Type
  if (typeof logType === 'string' && !['', 'json-file', 'local', 'awslogs'].includes(logType)) {
    warnings.push(`--log-driver ${logType} is ignored: fargated keeps logs itself (CloudWatch Logs on AWS); read them with docker logs`)
  }
  return warnings
}

/** Container config fields fargated refuses or ignores (not the ones it translates). */
export function checkConfig(config: Obj, backend: 'ecs' | 'docker'): string[] {
  if (config.OpenStdin === true || config.AttachStdin === true) {
    refuse('-i/--interactive', 'OpenStdin', 'fargated cannot forward stdin to a container (a Fargate task has none); pass input through the command, the environment or the image, and run without -i')
  }
  if (!isUnset(config.Volumes)) refuse('-v <path> (anonymous volume)', 'Volumes', NO_VOLUMES)
  if (config.NetworkDisabled === true) refuse('--network none', 'NetworkDisabled', 'Fargate tasks always have a network interface')
  const stop = typeof config.StopSignal === 'string' ? config.StopSignal.toUpperCase().replace(/^SIG/, '') : ''
  if (stop !== '' && stop !== 'TERM' && stop !== '15') {
    refuse(`--stop-signal ${String(config.StopSignal)}`, 'StopSignal', 'ECS always stops a task with SIGTERM, then SIGKILL after the stop timeout')
  }
  const warnings: string[] = []
  if (!isUnset(config.Hostname)) warnings.push('--hostname is ignored: Fargate tasks (awsvpc networking) get their hostname from the network')
  if (!isUnset(config.Domainname)) warnings.push('--domainname is ignored: Fargate tasks (awsvpc networking) get their domain from the VPC')
  if (backend === 'ecs' && (config.AttachStdout === true || config.AttachStderr === true)) {
    warnings.push('fargated on ECS Fargate cannot attach to a container: `docker run` without -d and `docker attach` fail. Use `docker run -d`, then `docker logs -f <name>` and `docker wait <name>`')
  }
  return warnings
}

/** Networks named in NetworkingConfig must be the default one. */
export function checkNetworking(networking: Obj | undefined): void {
  const endpoints = networking?.EndpointsConfig
  if (!endpoints || typeof endpoints !== 'object') return
  for (const name of Object.keys(endpoints)) {
    if (!['default', 'bridge'].includes(name)) {
      refuse(`--network ${name}`, 'NetworkingConfig.EndpointsConfig', 'Fargate tasks use awsvpc networking; only the default network exists')
    }
  }
}
