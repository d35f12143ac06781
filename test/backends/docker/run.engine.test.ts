import { connect } from 'node:net'
import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { DockerBackend } from '../../../shared/backends/docker/docker-backend.js'
import { containerConfig } from '../../../shared/backends/docker/container-config.js'
import { ConflictError, NotFoundError } from '../../../shared/core/errors.js'
import type { RunObservation } from '../../../shared/core/model.js'
import { engineAvailable, removeSuiteContainers, runInput, suiteId, suiteLabels, TEST_IMAGE, waitFor } from '../../support/engine.js'

const suite = suiteId('docker-run')
const docker = new Dockerode()
const backend = new DockerBackend({ docker, labels: suiteLabels(suite) })

async function stopped(ref: string): Promise<RunObservation> {
  return waitFor(async () => {
    const [o] = await backend.describeRuns([ref])
    return o?.lastStatus === 'STOPPED' ? o : undefined
  }, `run ${ref} to stop`)
}

function tcpAnswers(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end('GET / HTTP/1.0\r\n\r\n'))
    let text = ''
    socket.on('data', (d) => (text += d.toString()))
    socket.on('end', () => resolve(text))
    socket.on('error', reject)
  })
}

describe.skipIf(!engineAvailable())('DockerBackend runs on the engine', () => {
  afterAll(async () => {
    await removeSuiteContainers(suite, docker)
  })

  it('starts one engine container with the spec applied', async () => {
    const input = runInput(
      {
        cmd: ['sh', '-c', 'mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www'],
        env: { GREETING: 'hello', EMPTY: '' },
        workdir: '/tmp',
        user: '0:0',
        labels: { app: 'web' },
        ports: [{ containerPort: 8080 }],
        cpu: 0.5,
        memory: 1024,
        stopTimeout: 3,
      },
      { runNumber: 2 },
    )
    const started = await backend.startRun(input)
    expect(started.ref).toMatch(/^[0-9a-f]{64}$/)
    expect(started.lastStatus).toBe('RUNNING')
    expect(started.startedAt).toBeTruthy()

    const info = await docker.getContainer(started.ref).inspect()
    expect(info.Name).toBe(`/fargated-${input.container.id.slice(0, 12)}-2`)
    expect(info.Config.Image).toBe(TEST_IMAGE)
    expect(info.Config.Cmd).toEqual(input.container.spec.cmd)
    expect(info.Config.Env).toEqual(expect.arrayContaining(['GREETING=hello', 'EMPTY=']))
    expect(info.Config.WorkingDir).toBe('/tmp')
    expect(info.Config.User).toBe('0:0')
    expect(info.Config.Labels).toMatchObject({
      app: 'web',
      'fargated.container': input.container.id,
      'fargated.namespace': 'test',
      'fargated.run': '2',
      'fargated.token': input.token,
      'fargated.test': suite,
    })
    expect((info.Config as { StopTimeout?: number }).StopTimeout).toBe(3)
    expect(info.HostConfig.NanoCpus).toBe(0.5e9)
    expect(info.HostConfig.Memory).toBe(1024 * 2 ** 20)
    expect(info.HostConfig.MemorySwap).toBe(1024 * 2 ** 20)
    expect(info.HostConfig.RestartPolicy?.Name).toBe('no')
    expect(info.HostConfig.Privileged).toBe(false)
    expect(info.Mounts).toEqual([])

    const binding = await waitFor(async () => {
      const ports = (await docker.getContainer(started.ref).inspect()).NetworkSettings.Ports as Record<string, { HostIp: string; HostPort: string }[] | null>
      return ports['8080/tcp']?.[0]
    }, 'the published port')
    expect(binding.HostIp).toBe('127.0.0.1')
    expect(Number(binding.HostPort)).toBeGreaterThan(0)
    const reply = await waitFor(() => tcpAnswers(Number(binding.HostPort)).then((t) => (t.includes('ok') ? t : undefined)).catch(() => undefined), 'httpd to answer')
    expect(reply).toMatch(/^HTTP\/1\.[01] 200/)

    const run = { containerId: input.container.id, namespace: 'test', number: 2, backend: 'docker' as const, ref: started.ref, size: input.size, image: input.image, capacity: 'on-demand' as const, lastStatus: 'RUNNING' as const, createdAt: '', eventVersion: 0 }
    const top = await backend.top(run)
    expect(top.Titles).toContain('CMD')
    expect(top.Processes.some((p) => p.join(' ').includes('httpd'))).toBe(true)

    const active = await backend.listActiveRuns()
    expect(active.find((o) => o.ref === started.ref)).toMatchObject({ lastStatus: 'RUNNING', containerId: input.container.id, namespace: 'test', runNumber: 2 })
  })

  it('is idempotent per token: a second startRun returns the same engine container', async () => {
    const input = runInput({ cmd: ['sleep', '300'] })
    const [a, b] = await Promise.all([backend.startRun(input), backend.startRun(input)])
    const c = await backend.startRun(input)
    expect(b.ref).toBe(a.ref)
    expect(c.ref).toBe(a.ref)
    const engine = await docker.listContainers({ all: true, filters: { label: [`fargated.container=${input.container.id}`] } })
    expect(engine.map((x) => x.Id)).toEqual([a.ref])
    await expect(backend.startRun({ ...input, token: 'another-token' })).rejects.toBeInstanceOf(ConflictError)
  })

  it('starts an engine container that was created but never started', async () => {
    const input = runInput({ cmd: ['sleep', '300'] })
    const created = await docker.createContainer(containerConfig(input, { publishHost: '127.0.0.1', labels: suiteLabels(suite) }))
    expect((await created.inspect()).State.Status).toBe('created')
    const started = await backend.startRun(input)
    expect(started.ref).toBe(created.id)
    expect((await created.inspect()).State.Running).toBe(true)
  })

  it('fails with NotFoundError for an image the engine does not have', async () => {
    const input = runInput({ image: 'fargated-test/absent:1' })
    await expect(backend.startRun({ ...input, image: 'fargated-test/absent:1' })).rejects.toThrow(new NotFoundError('No such image: fargated-test/absent:1'))
  })

  it('resolves local images to their id, and reports missing ones', async () => {
    const id = (await docker.getImage(TEST_IMAGE).inspect()).Id
    expect(await backend.resolveImage('any-namespace', TEST_IMAGE, 'linux/amd64')).toEqual({ image: TEST_IMAGE, digest: id })
    await expect(backend.resolveImage('ns', 'fargated-test/absent:1', 'linux/amd64')).rejects.toThrow(new NotFoundError('No such image: fargated-test/absent:1'))
  })

  it('stops with SIGKILL after the timeout when SIGTERM is ignored (exit 137); stopping again is a no-op', async () => {
    const started = await backend.startRun(runInput({ cmd: ['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.1; done"] }))
    await waitFor(async () => ((await docker.getContainer(started.ref).logs({ stdout: true })).toString().includes('ready') ? true : undefined), 'the trap')
    await backend.stopRun(started.ref, { timeoutSeconds: 1, reason: 'test' })
    const o = await stopped(started.ref)
    expect(o.exitCode).toBe(137)
    expect(o.oomKilled).toBe(false)
    expect(o.stoppedAt).toBeTruthy()
    await expect(backend.stopRun(started.ref, { timeoutSeconds: 1, reason: 'again' })).resolves.toBeUndefined()
    expect((await backend.listActiveRuns()).some((a) => a.ref === started.ref)).toBe(false)
  })

  it('passes a signal through on kill, and refuses to kill a stopped run', async () => {
    const input = runInput({ cmd: ['sh', '-c', "trap 'exit 42' USR1; echo ready; while :; do sleep 0.1; done"] })
    const started = await backend.startRun(input)
    await waitFor(async () => ((await docker.getContainer(started.ref).logs({ stdout: true })).toString().includes('ready') ? true : undefined), 'the trap')
    await backend.killRun(started.ref, 'SIGUSR1')
    expect((await stopped(started.ref)).exitCode).toBe(42)
    await expect(backend.killRun(started.ref, 'SIGKILL')).rejects.toThrow(new ConflictError(`Container ${input.container.id} is not running`))
  })

  it('describes runs by ref, leaving out unknown ones', async () => {
    const input = runInput({ cmd: ['sh', '-c', 'exit 3'] }, { runNumber: 5 })
    const started = await backend.startRun(input)
    const o = await stopped(started.ref)
    expect(o).toMatchObject({ ref: started.ref, containerId: input.container.id, namespace: 'test', runNumber: 5, exitCode: 3, oomKilled: false })
    expect(o.version).toBeGreaterThan(0)
    expect(await backend.describeRuns(['f'.repeat(64), started.ref])).toHaveLength(1)
  })

  it('reports a start failure as BackendError and the run as STOPPED', async () => {
    const input = runInput({ cmd: ['/no/such/binary'] })
    await expect(backend.startRun(input)).rejects.toThrow(/failed to start .*no such file or directory/i)
    const name = `fargated-${input.container.id.slice(0, 12)}-1`
    const [o] = await backend.describeRuns([name])
    expect(o).toMatchObject({ lastStatus: 'STOPPED' })
    expect(o.stoppedReason).toMatch(/no such file or directory/i)
  })

  it('samples usage and raw stats of a running run', async () => {
    const input = runInput({ cmd: ['sh', '-c', 'while :; do :; done'] })
    const started = await backend.startRun(input)
    const run = { containerId: input.container.id, namespace: 'test', number: 1, backend: 'docker' as const, ref: started.ref, size: input.size, image: input.image, capacity: 'on-demand' as const, lastStatus: 'RUNNING' as const, createdAt: started.startedAt!, startedAt: started.startedAt, eventVersion: 0 }
    const [sample] = await backend.usage(run, 0)
    expect(sample.cpuUnits).toBeGreaterThan(0)
    expect(sample.cpuUnits).toBeLessThanOrEqual(input.size.cpu * 1.1)
    expect(sample.memoryMiB).toBeGreaterThan(0)
    expect(sample.networkBytesPerSec).toBeGreaterThanOrEqual(0)
    const raw = await backend.stats(run)
    expect(raw.id).toBe(started.ref)
    expect(raw.memory_stats.limit).toBe(input.size.memory * 2 ** 20)
    const abort = new AbortController()
    const streamed: string[] = []
    for await (const s of backend.stats(run, { stream: true, signal: abort.signal })) {
      streamed.push(s.read)
      if (streamed.length === 2) abort.abort()
    }
    expect(streamed).toHaveLength(2)
    await backend.killRun(started.ref, 'KILL')
    await stopped(started.ref)
    expect(await backend.usage(run, 0)).toEqual([])
  })

  it('cleanup removes every engine container of the container', async () => {
    const input = runInput({ cmd: ['sleep', '300'] })
    const first = await backend.startRun(input)
    const second = await backend.startRun({ ...input, runNumber: 2, token: `${input.token}-2` })
    const runs = [first, second].map((s, i) => ({ containerId: input.container.id, namespace: 'test', number: i + 1, backend: 'docker' as const, ref: s.ref, size: input.size, image: input.image, capacity: 'on-demand' as const, lastStatus: 'RUNNING' as const, createdAt: '', eventVersion: 0 }))
    await backend.cleanup(input.container, runs.slice(0, 1))
    expect(await docker.listContainers({ all: true, filters: { label: [`fargated.container=${input.container.id}`] } })).toEqual([])
    await expect(backend.cleanup(input.container, runs)).resolves.toBeUndefined()
  })
})
