/**
 * The stock docker CLI against the app on the ECS backend: the real EcsBackend and
 * SdkAwsGateway over the ECS simulator (AWS faked at the SDK boundary), task state changes
 * flowing back through parseTaskStateChange and observe, as on AWS.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { waitFor } from '../support/engine.js'
import { dockerCli, explain, writeCliConfig, type CliResult, type DockerCli } from './support/docker-cli.js'
import { startEcsFargated, type EcsFargated } from './support/ecs-fargated.js'

describe('docker CLI against the ECS backend (simulated AWS)', () => {
  let ecs: EcsFargated
  let docker: DockerCli
  let dir: string
  let webId = ''

  async function ok(...args: string[]): Promise<string> {
    const r = await docker(...args)
    expect(r.code, explain(args, r)).toBe(0)
    return r.stdout
  }
  async function fails(code: number, ...args: string[]): Promise<CliResult> {
    const r = await docker(...args)
    expect(r.code, explain(args, r)).toBe(code)
    return r
  }
  const inspect = async (template: string, ref: string) => (await ok('inspect', '-f', template, ref)).trim()
  /** Polls inspect until the template renders `want` (the event pump moves tasks in the background). */
  const until = (template: string, ref: string, want: string) =>
    waitFor(async () => ((await inspect(template, ref)) === want ? true : undefined), `${ref}: ${template} = ${want}`, 10_000, 50)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fargated-e2e-ecs-'))
    ecs = await startEcsFargated(`fgd_e2e_${randomBytes(16).toString('hex')}`, ['app:1'])
    docker = dockerCli(ecs.dockerHost, writeCliConfig(join(dir, 'docker-config'), ecs.key))
  })

  afterAll(async () => {
    await ecs?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('version names the ECS backend in AWS mode', async () => {
    const out = await ok('version')
    expect(out).toMatch(/Backend:\s+ecs/)
    expect(out).toMatch(/Mode:\s+aws/)
    expect(out).toMatch(/API version:\s+1\.44/)
  })

  it('run -d starts one Fargate task of the requested size', async () => {
    webId = (await ok(
      'run', '-d', '--name', 'web', '-e', 'FOO=bar', '--label', 'app=web', '--cpus', '0.25', '--memory', '512m',
      'app:1', 'sh', '-c', 'echo hello; echo warn >&2; sleep 300',
    )).trim()
    expect(webId).toMatch(/^[0-9a-f]{64}$/)
    const tasks = ecs.sim.tasks(webId)
    expect(tasks).toHaveLength(1)
    expect(tasks[0]).toMatchObject({ cpu: '256', memory: '512', desiredStatus: 'RUNNING' })
    expect(ecs.sim.callCount('RunTask')).toBe(1)
  })

  it('ps shows it starting, then up', async () => {
    await until('{{.State.Status}} {{.Fargated.runStatus}}', 'web', 'running RUNNING')
    const table = await ok('ps')
    const row = table.split('\n').find((l) => l.startsWith(webId.slice(0, 12))) ?? ''
    expect(row).toMatch(/app:1\s+"sh -c 'echo hello; …"/)
    expect(row).toMatch(/Up /)
    expect(row.trim().endsWith('web')).toBe(true)
    expect(await ok('ps', '-q', '--filter', 'label=app=web')).toBe(`${webId.slice(0, 12)}\n`)
    const item = JSON.parse(await ok('ps', '--format', '{{json .}}')) as Record<string, string>
    expect(item).toMatchObject({ Names: 'web', State: 'running', Image: 'app:1' })
  })

  it('inspect shows the task and the Fargate size', async () => {
    const [task] = ecs.sim.tasks(webId)
    expect(await inspect('{{.Fargated.taskArn}}', 'web')).toBe(task.arn)
    expect(await inspect('{{.Fargated.size.text}}', 'web')).toBe('0.25 vCPU / 512 MiB')
    expect(await inspect('{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}', 'web')).toBe(`${512 * 2 ** 20} 250000000`)
    expect(await inspect('{{.Name}} {{json .Config.Env}} {{json .Config.Labels}}', 'web')).toBe('/web ["FOO=bar"] {"app":"web"}')
  })

  it('logs come from the task\'s CloudWatch stream (stdout and stderr merged, as awslogs does)', async () => {
    const out = await waitFor(async () => {
      const r = await docker('logs', 'web')
      return r.code === 0 && r.stdout.includes('warn') ? r.stdout : undefined
    }, 'the log lines', 10_000, 50)
    expect(out).toBe('hello\nwarn\n')
    expect(await ok('logs', '--tail', '1', 'web')).toBe('warn\n')
  })

  it('stop calls StopTask; the container exits when ECS reports STOPPED', async () => {
    expect(await ok('stop', 'web')).toBe('web\n')
    expect(ecs.sim.callCount('StopTask')).toBe(1)
    await until('{{.State.Status}} {{.State.ExitCode}}', 'web', 'exited 143')
    expect(await ok('ps', '-q', '--filter', 'label=app=web')).toBe('')
    expect(await ok('ps', '-a', '-q', '--filter', 'status=exited')).toBe(`${webId.slice(0, 12)}\n`)
  })

  it('start runs a new task; logs span both runs', async () => {
    expect(await ok('start', 'web')).toBe('web\n')
    expect(ecs.sim.tasks(webId)).toHaveLength(2)
    await until('{{.State.Status}} {{.Fargated.runNumber}} {{.Fargated.runStatus}}', 'web', 'running 2 RUNNING')
    await waitFor(async () => ((await ok('logs', 'web')) === 'hello\nwarn\nhello\nwarn\n' ? true : undefined), 'logs of both runs', 10_000, 50)
  })

  it('start right after stop (the task still stopping) starts a new run', async () => {
    await ok('stop', 'web')
    expect(await ok('start', 'web')).toBe('web\n')
    await until('{{.State.Status}} {{.Fargated.runNumber}} {{.Fargated.runStatus}}', 'web', 'running 3 RUNNING')
    const tasks = ecs.sim.tasks(webId)
    expect(tasks.map((t) => t.desiredStatus)).toEqual(['STOPPED', 'STOPPED', 'RUNNING'])
  })

  it('wait prints the exit code of a task', async () => {
    await ok('run', '-d', '--name', 'job', 'app:1', 'sh', '-c', 'echo bye; exit 4')
    expect(await ok('wait', 'job')).toBe('4\n')
    expect(await inspect('{{.State.Status}} {{.State.ExitCode}}', 'job')).toBe('exited 4')
    expect(await ok('logs', 'job')).toBe('bye\n')
  })

  it('top, exec and pause are refused with the reason', async () => {
    expect((await fails(1, 'top', 'web')).stderr).toMatch(/docker top is not supported on ECS Fargate: .*ECS Exec/)
    expect((await fails(1, 'exec', 'web', 'true')).stderr).toMatch(/exec is not supported.*ECS Exec/)
    expect((await fails(1, 'pause', 'web')).stderr).toMatch(/Fargate cannot freeze a task/)
  })

  it('rm refuses a running container, rm -f stops its task and removes it', async () => {
    const refused = await fails(1, 'rm', 'web')
    expect(refused.stderr).toMatch(/running container/)
    expect(await ok('rm', '-f', 'web')).toBe('web\n')
    expect(ecs.sim.tasks(webId).every((t) => t.desiredStatus === 'STOPPED')).toBe(true)
    expect(await ok('rm', 'job')).toBe('job\n')
    expect(await ok('ps', '-a', '-q')).toBe('')
    expect((await fails(1, 'inspect', 'web')).stderr).toContain('No such object')
  })

  it('an image missing from ECR fails the run with the push hint', async () => {
    const r = await fails(125, 'run', '-d', 'missing:1', 'true')
    expect(r.stderr).toContain('missing:1 was not found')
    expect(r.stderr).toContain('POST /v1/registry/credentials')
    expect(ecs.sim.tasks().filter((t) => t.desiredStatus === 'RUNNING')).toHaveLength(0)
  })

  it('foreground run is refused with the reason (Fargate cannot attach)', async () => {
    const r = await fails(1, 'run', '--rm', 'app:1', 'sh', '-c', 'echo hi')
    expect(r.stderr).toMatch(/WARNING: .*cannot attach.*docker run -d/)
    expect(r.stderr).toContain('unable to upgrade to tcp, received 501')
    // The CLI created the container before the attach failed; it stays, never started.
    const left = (await ok('ps', '-a', '--format', '{{.State}} {{.Image}}')).trim()
    expect(left).toBe('created app:1')
    expect(ecs.sim.tasks().filter((t) => t.desiredStatus === 'RUNNING')).toHaveLength(0)
  })
})
