/**
 * The stock docker CLI against local mode (in-process server, real engine): every command in
 * the supported set, with its output and exit code as a user sees them.
 */
import { randomBytes, randomInt } from 'node:crypto'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_IMAGE, TEST_LABEL, engineAvailable, removeSuiteContainers, suiteId, waitFor } from '../support/engine.js'
import { dockerCli, explain, writeCliConfig, type CliResult, type DockerCli } from './support/docker-cli.js'
import { startLocalFargated, type LocalFargated } from './support/local-fargated.js'

const suite = suiteId('docker-cli')
const mark = ['--label', `${TEST_LABEL}=${suite}`]
const name = (what: string) => `${suite}-${what}`
const tag = `e2e-${randomBytes(4).toString('hex')}`
const hostPort = String(randomInt(30_000, 40_000))

describe.skipIf(!engineAvailable())('docker CLI against local mode', () => {
  let fargated: LocalFargated
  let docker: DockerCli
  let webId = ''
  const since = Math.floor(Date.now() / 1000) - 1

  /** Runs docker and expects exit 0; returns stdout. */
  async function ok(...args: string[]): Promise<string> {
    const r = await docker(...args)
    expect(r.code, explain(args, r)).toBe(0)
    return r.stdout
  }
  /** Runs docker and expects a failure with `code`; returns the result. */
  async function fails(code: number, ...args: string[]): Promise<CliResult> {
    const r = await docker(...args)
    expect(r.code, explain(args, r)).toBe(code)
    return r
  }
  const inspect = async (template: string, ref: string) => (await ok('inspect', '-f', template, ref)).trim()
  const status = (ref: string) => inspect('{{.State.Status}}', ref)

  beforeAll(async () => {
    fargated = await startLocalFargated({ [TEST_LABEL]: suite })
    await waitFor(async () => (fargated.server.engineAvailable() ? true : undefined), 'the engine watch to connect', 20_000)
    docker = dockerCli(fargated.dockerHost, writeCliConfig(join(fargated.dir, 'docker-config'), fargated.key))
  })

  afterAll(async () => {
    await removeSuiteContainers(suite)
    await new Dockerode().getImage(`fargated-test/busybox:${tag}`).remove().catch(() => undefined)
    await fargated?.close()
  })

  it('version and info name fargated and API 1.44', async () => {
    expect(await ok('version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}')).toBe('0.1.0 1.44 linux\n')
    const full = await ok('version')
    expect(full).toContain('Server: fargated')
    expect(full).toContain('1.44 (downgraded from')
    expect(await ok('info', '--format', '{{.ServerVersion}} {{.OSType}} {{.Swarm.LocalNodeState}}')).toBe('0.1.0 linux inactive\n')
    expect(await ok('info')).toContain('Server Version: 0.1.0')
  })

  it('run -d with env, labels, size, port, restart policy, entrypoint, workdir and name', async () => {
    const out = await ok(
      'run', '-d', '--name', name('web'), '-e', 'FOO=bar', '--label', 'app=e2e-web', ...mark,
      '--cpus', '0.5', '--memory', '256m', '-p', `${hostPort}:80`, '--restart', 'on-failure:3',
      '--entrypoint', '/bin/sh', '-w', '/tmp', TEST_IMAGE,
      '-c', 'pwd; echo FOO=$FOO; echo to-stderr >&2; exec sleep 300',
    )
    webId = out.trim()
    expect(webId).toMatch(/^[0-9a-f]{64}$/)
    expect(await status(name('web'))).toBe('running')
  })

  it('ps lists it: plain, -a, -q, label and status filters, json format', async () => {
    const short = webId.slice(0, 12)
    const table = await ok('ps')
    expect(table.split('\n')[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/)
    const row = table.split('\n').find((l) => l.startsWith(short)) ?? ''
    expect(row).toContain(TEST_IMAGE)
    expect(row).toMatch(/Up /)
    expect(row).toContain(`127.0.0.1:${hostPort}->80/tcp`)
    expect(row.trim().endsWith(name('web'))).toBe(true)
    expect((await ok('ps', '-a', '-q')).split('\n')).toContain(short)
    expect(await ok('ps', '-q', '--filter', 'label=app=e2e-web')).toBe(`${short}\n`)
    expect(await ok('ps', '-q', '--filter', 'label=app=nobody')).toBe('')
    expect(await ok('ps', '-q', '--filter', 'status=running', '--filter', `name=${name('web')}`)).toBe(`${short}\n`)
    expect(await ok('ps', '-a', '-q', '--filter', 'status=exited', '--filter', `name=${name('web')}`)).toBe('')
    const lines = (await ok('ps', '--filter', 'label=app=e2e-web', '--format', '{{json .}}')).trim().split('\n')
    expect(lines).toHaveLength(1)
    const item = JSON.parse(lines[0]) as Record<string, string>
    expect(item).toMatchObject({ ID: short, Image: TEST_IMAGE, Names: name('web'), State: 'running' })
    expect(item.Labels).toContain('app=e2e-web')
    expect(item.Ports).toContain(`${hostPort}->80/tcp`)
  })

  it('inspect -f templates and the Fargated size key', async () => {
    const ref = name('web')
    expect(await inspect('{{.State.Status}}', ref)).toBe('running')
    expect(await inspect('{{.Name}}', ref)).toBe(`/${ref}`)
    expect(JSON.parse(await inspect('{{json .Config.Labels}}', ref))).toMatchObject({ app: 'e2e-web', [TEST_LABEL]: suite })
    // 0.5 vCPU's smallest Fargate memory is 1 GiB: inspect shows the size that runs.
    expect(await inspect('{{.HostConfig.Memory}}', ref)).toBe(String(1024 * 2 ** 20))
    expect(await inspect('{{.HostConfig.NanoCpus}}', ref)).toBe('500000000')
    expect(await inspect('{{.Fargated.size.text}} / asked {{.Fargated.requested.memory}}', ref)).toBe('0.5 vCPU / 1024 MiB / asked 256')
    expect(await inspect('{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', ref)).toBe('on-failure:3')
    expect(await inspect('{{.Config.WorkingDir}} {{json .Config.Entrypoint}} {{json .Config.Env}}', ref)).toBe('/tmp ["/bin/sh"] ["FOO=bar"]')
    const whole = JSON.parse(await ok('inspect', ref)) as { Id: string }[]
    expect(whole).toHaveLength(1)
    expect(whole[0].Id).toBe(webId)
  })

  it('logs: all, --tail and -t', async () => {
    const ref = name('web')
    const all = await waitFor(async () => {
      const r = await docker('logs', ref)
      return r.code === 0 && r.stderr.includes('to-stderr') ? r : undefined
    }, 'the log lines', 10_000)
    expect(all.stdout).toBe('/tmp\nFOO=bar\n')
    expect(all.stderr).toBe('to-stderr\n')
    // Engine 20.10's json-file tail may skip the newest line, so only the count is exact.
    const tail = await docker('logs', '--tail', '1', ref)
    expect(tail.code).toBe(0)
    expect(`${tail.stdout}${tail.stderr}`).toMatch(/^(\/tmp|FOO=bar|to-stderr)\n$/)
    const stamped = await docker('logs', '-t', ref)
    expect(stamped.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z \/tmp\n\d{4}-\S+Z FOO=bar\n$/)
    expect(stamped.stderr).toMatch(/^\d{4}-\S+Z to-stderr\n$/)
  })

  it('port, top and stats --no-stream', async () => {
    const ref = name('web')
    expect(await ok('port', ref)).toBe(`80/tcp -> 127.0.0.1:${hostPort}\n`)
    expect(await ok('port', ref, '80')).toBe(`127.0.0.1:${hostPort}\n`)
    const missing = await fails(1, 'port', ref, '443')
    expect(missing.stderr).toContain("No public port '443")
    const top = await ok('top', ref)
    expect(top.split('\n')[0]).toMatch(/PID/)
    expect(top).toContain('sleep 300')
    const one = await ok('stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', ref)
    expect(one).toMatch(new RegExp(`^${ref} \\S+ / 1GiB\\n$`))
    const all = await ok('stats', '--no-stream')
    expect(all.split('\n')[0]).toMatch(/^CONTAINER ID\s+NAME\s+CPU %/)
    expect(all).toContain(webId.slice(0, 12))
  })

  it('stop -t, start, restart, kill', async () => {
    const ref = name('web')
    const startedAt = await inspect('{{.State.StartedAt}}', ref)
    expect(await ok('stop', '-t', '1', ref)).toBe(`${ref}\n`)
    expect(await status(ref)).toBe('exited')
    // A user stop does not trigger the on-failure policy.
    expect(await inspect('{{.RestartCount}}', ref)).toBe('0')
    expect(await ok('start', ref)).toBe(`${ref}\n`)
    expect(await status(ref)).toBe('running')
    expect(await inspect('{{.State.StartedAt}}', ref)).not.toBe(startedAt)
    expect(await ok('restart', '-t', '1', ref)).toBe(`${ref}\n`)
    expect(await status(ref)).toBe('running')
    expect(await ok('kill', ref)).toBe(`${ref}\n`)
    expect(await inspect('{{.State.Status}} {{.State.ExitCode}}', ref)).toBe('exited 137')
    const again = await fails(1, 'kill', ref)
    expect(again.stderr).toContain('is not running')
  })

  it('rename, then rm of a stopped container', async () => {
    await ok('rename', name('web'), name('renamed'))
    expect(await ok('ps', '-a', '--filter', `name=${name('renamed')}`, '--format', '{{.ID}} {{.Names}}')).toBe(`${webId.slice(0, 12)} ${name('renamed')}\n`)
    expect(await ok('rm', name('renamed'))).toBe(`${name('renamed')}\n`)
    const gone = await fails(1, 'inspect', name('renamed'))
    expect(gone.stderr).toContain('No such object')
  })

  it('rm refuses a running container; rm -f removes it; rm -f of a missing one exits 0', async () => {
    const id = (await ok('run', '-d', '--name', name('busy'), ...mark, TEST_IMAGE, 'sleep', '300')).trim()
    const refused = await fails(1, 'rm', name('busy'))
    expect(refused.stderr).toMatch(/running container/)
    expect(await ok('rm', '-f', name('busy'))).toBe(`${name('busy')}\n`)
    expect(await ok('ps', '-a', '-q', '--filter', `id=${id}`)).toBe('')
    const missing = await docker('rm', '-f', name('missing'))
    expect(missing.code, explain(['rm', '-f', 'missing'], missing)).toBe(0)
    expect(missing.stderr).toContain('No such container')
    await fails(1, 'rm', name('missing'))
  })

  it('wait prints the exit code', async () => {
    await ok('run', '-d', '--name', name('exit5'), ...mark, TEST_IMAGE, 'sh', '-c', 'exit 5')
    expect(await ok('wait', name('exit5'))).toBe('5\n')
    expect(await inspect('{{.State.Status}} {{.State.ExitCode}}', name('exit5'))).toBe('exited 5')
  })

  it('run in the foreground prints the output and exits with the container code', async () => {
    const plain = await fails(3, 'run', '--rm', ...mark, TEST_IMAGE, 'sh', '-c', 'echo hi; echo oops >&2; exit 3')
    expect(plain.stdout).toBe('hi\n')
    expect(plain.stderr).toBe('oops\n')
    const tty = await fails(3, 'run', '--rm', '-t', ...mark, TEST_IMAGE, 'sh', '-c', 'echo hi; exit 3')
    expect(tty.stdout.replace(/\r/g, '')).toBe('hi\n')
    // --rm: both are gone once the CLI returns; only the waited one is left.
    expect(await ok('ps', '-a', '--filter', `label=${TEST_LABEL}=${suite}`, '--format', '{{.Names}}')).toBe(`${name('exit5')}\n`)
  })

  it('events between --since and --until, filtered server-side', async () => {
    const until = Math.ceil(Date.now() / 1000)
    const lines = (await ok('events', '--since', String(since), '--until', String(until), '--filter', `container=${name('exit5')}`, '--format', '{{json .}}'))
      .trim().split('\n').map((l) => JSON.parse(l) as { Type: string; Action: string; Actor: { Attributes: Record<string, string> } })
    expect(lines.map((e) => e.Action)).toEqual(expect.arrayContaining(['create', 'start', 'die']))
    const dies = lines.filter((e) => e.Action === 'die')
    expect(dies).toHaveLength(1)
    expect(dies[0].Actor.Attributes).toMatchObject({ exitCode: '5', name: name('exit5'), image: TEST_IMAGE })
    // stop, restart and kill each stopped the web container once: one die each.
    const webDies = await ok('events', '--since', String(since), '--until', String(until), '--filter', `container=${webId}`, '--filter', 'event=die', '--format', '{{.Actor.Attributes.exitCode}}')
    expect(webDies.trim().split('\n')).toEqual(['137', '137', '137'])
    const text = await ok('events', '--since', String(since), '--until', String(until), '--filter', 'event=destroy', '--filter', `label=${TEST_LABEL}=${suite}`)
    expect(text).toMatch(new RegExp(`container destroy ${webId} \\(.*name=${name('renamed')}`))
    expect(text).not.toMatch(/ container (create|start|die) /)
  })

  it('images, image inspect, tag and rmi', async () => {
    expect(await ok('images', '--format', '{{.Repository}}:{{.Tag}}', 'fargated-test/busybox')).toContain(TEST_IMAGE)
    const id = await ok('image', 'inspect', '-f', '{{.Id}}', TEST_IMAGE)
    expect(id).toMatch(/^sha256:[0-9a-f]{64}\n$/)
    expect(await ok('tag', TEST_IMAGE, `fargated-test/busybox:${tag}`)).toBe('')
    expect(await ok('images', '--format', '{{.Tag}} {{.ID}}', 'fargated-test/busybox')).toContain(`${tag} ${id.slice(7, 19)}`)
    expect(await ok('inspect', '-f', '{{.Id}}', `fargated-test/busybox:${tag}`)).toBe(id)
    expect(await ok('rmi', `fargated-test/busybox:${tag}`)).toContain(`Untagged: fargated-test/busybox:${tag}`)
    const gone = await fails(1, 'image', 'inspect', `fargated-test/busybox:${tag}`)
    expect(gone.stderr).toContain('No such image')
  })

  it('refuses what Fargate cannot do, saying why', async () => {
    const volume = await fails(125, 'run', '-d', ...mark, '-v', '/:/host', TEST_IMAGE, 'true')
    expect(volume.stderr).toMatch(/-v\/--volume .*not supported.*Fargate/)
    const privileged = await fails(125, 'run', '-d', ...mark, '--privileged', TEST_IMAGE, 'true')
    expect(privileged.stderr).toMatch(/--privileged .*not supported.*Fargate/)
    await ok('run', '-d', '--name', name('target'), ...mark, TEST_IMAGE, 'sleep', '300')
    const exec = await fails(1, 'exec', name('target'), 'true')
    expect(exec.stderr).toMatch(/exec is not supported.*ECS Exec/)
    const pause = await fails(1, 'pause', name('target'))
    expect(pause.stderr).toMatch(/pause is not supported: Fargate cannot freeze a task/)
    expect(await status(name('target'))).toBe('running')
    await ok('rm', '-f', name('target'))
  })

  it('without a key the CLI shows how to configure one', async () => {
    const bare = docker.withConfig(writeCliConfig(join(fargated.dir, 'no-key')))
    const r = await bare('ps')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('missing API key')
    expect(r.stderr).toContain('"HttpHeaders": {"Authorization": "Bearer <key>"}')
    const wrong = await docker.withConfig(writeCliConfig(join(fargated.dir, 'bad-key'), 'fgd_not_a_key'))('ps')
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/Error response from daemon: .*key/i)
  })

  it('-p with no host port: ps and port show the port the engine picked', async () => {
    await ok('run', '-d', '--name', name('anyport'), ...mark, '-p', '80', TEST_IMAGE, 'sleep', '300')
    const shown = (await ok('port', name('anyport'), '80')).trim()
    expect(shown).toMatch(/^127\.0\.0\.1:\d+$/)
    const id = await inspect('{{.Id}}', name('anyport'))
    const [engineContainer] = await new Dockerode().listContainers({ filters: { label: [`fargated.container=${id}`] } })
    const bound = (await new Dockerode().getContainer(engineContainer.Id).inspect()).NetworkSettings.Ports['80/tcp']
    expect(shown).toBe(`${bound?.[0].HostIp}:${bound?.[0].HostPort}`)
    expect(await ok('ps', '--filter', `name=${name('anyport')}`, '--format', '{{.Ports}}')).toContain(`${shown}->80/tcp`)
    await ok('rm', '-f', name('anyport'))
  })

  it('shows the health check verdict in ps and inspect, as the engine reports it', async () => {
    await ok('run', '-d', '--name', name('healthy'), ...mark, '--health-cmd', 'true', '--health-interval', '5s', '--health-timeout', '2s', '--health-retries', '1', TEST_IMAGE, 'sleep', '300')
    expect(await inspect('{{.State.Health.Status}}', name('healthy'))).toMatch(/^(starting|healthy)$/)
    await waitFor(async () => ((await inspect('{{.State.Health.Status}}', name('healthy'))) === 'healthy' ? true : undefined), 'the health check to pass', 20_000, 250)
    expect(await ok('ps', '--filter', `name=${name('healthy')}`, '--format', '{{.Status}}')).toMatch(/^Up .* \(healthy\)\n$/)
    await ok('rm', '-f', name('healthy'))
  })

  it('serves the same API on its unix socket (DOCKER_HOST=unix://…), key still required', async () => {
    expect(fargated.server.socketPath).toBe(join(fargated.dir, 'fargated.sock'))
    const overSocket = dockerCli(`unix://${fargated.server.socketPath}`, join(fargated.dir, 'docker-config'))
    const id = (await overSocket('run', '-d', '--name', name('sock'), ...mark, TEST_IMAGE, 'sh', '-c', 'echo via-socket; exec sleep 300')).stdout.trim()
    expect(id).toMatch(/^[0-9a-f]{64}$/)
    expect((await ok('ps', '--filter', `name=${name('sock')}`, '--format', '{{.ID}}')).trim()).toBe(id.slice(0, 12))
    await waitFor(async () => ((await overSocket('logs', name('sock'))).stdout.includes('via-socket') ? true : undefined), 'logs over the socket', 10_000)
    const bare = await overSocket.withConfig(writeCliConfig(join(fargated.dir, 'no-key-sock')))('ps')
    expect(bare.code).toBe(1)
    expect(bare.stderr).toContain('missing API key')
    expect((await overSocket('rm', '-f', name('sock'))).code).toBe(0)
  })
})
