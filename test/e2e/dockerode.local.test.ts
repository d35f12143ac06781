/**
 * dockerode (docker-modem over TCP, the key in the modem's default headers) as a second client
 * against local mode on the real engine.
 */
import { PassThrough, type Readable } from 'node:stream'
import Dockerode from 'dockerode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_IMAGE, TEST_LABEL, engineAvailable, removeSuiteContainers, suiteId } from '../support/engine.js'
import { startLocalFargated, type LocalFargated } from './support/local-fargated.js'

const suite = suiteId('dockerode')
const labels = { [TEST_LABEL]: suite, app: 'dockerode-e2e' }

function client(port: number, key: string): Dockerode {
  return new Dockerode({ host: '127.0.0.1', port, protocol: 'http', headers: { Authorization: `Bearer ${key}` } })
}

/** Reads a framed (non-TTY) log stream to its end, split by stream with modem.demuxStream. */
async function demuxed(docker: Dockerode, stream: Readable): Promise<{ stdout: string; stderr: string }> {
  const out = new PassThrough()
  const err = new PassThrough()
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] }
  out.on('data', (c: Buffer) => chunks.stdout.push(c))
  err.on('data', (c: Buffer) => chunks.stderr.push(c))
  docker.modem.demuxStream(stream, out, err)
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve)
    stream.on('error', reject)
  })
  return { stdout: Buffer.concat(chunks.stdout).toString(), stderr: Buffer.concat(chunks.stderr).toString() }
}

/** Reads an events stream (JSON lines) until the server closes it. */
async function events(stream: Readable): Promise<{ Action: string; Actor: { ID: string; Attributes: Record<string, string> } }[]> {
  let text = ''
  for await (const chunk of stream) text += String(chunk)
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l))
}

describe.skipIf(!engineAvailable())('dockerode against local mode', () => {
  let fargated: LocalFargated
  let docker: Dockerode
  let jobId = ''
  const since = Math.floor(Date.now() / 1000) - 1

  beforeAll(async () => {
    fargated = await startLocalFargated({ [TEST_LABEL]: suite })
    docker = client(fargated.port, fargated.key)
  })

  afterAll(async () => {
    await removeSuiteContainers(suite)
    await fargated?.close()
  })

  it('pings and reads the version', async () => {
    expect(String(await docker.ping())).toBe('OK')
    const version = await docker.version()
    expect(version).toMatchObject({ ApiVersion: '1.44', Os: 'linux' })
  })

  it('refuses a client without the key, with the configuration hint', async () => {
    const bare = new Dockerode({ host: '127.0.0.1', port: fargated.port, protocol: 'http' })
    await expect(bare.listContainers()).rejects.toMatchObject({ statusCode: 401, json: { message: expect.stringContaining('missing API key') } })
  })

  it('createContainer, wait (next-exit) + start, then the exit code', async () => {
    const job = await docker.createContainer({
      name: `${suite}-job`,
      Image: TEST_IMAGE,
      Cmd: ['sh', '-c', 'echo out-$GREETING; echo err-line >&2; exit 7'],
      Env: ['GREETING=hi'],
      Labels: labels,
    })
    jobId = job.id
    expect(jobId).toMatch(/^[0-9a-f]{64}$/)
    const exited = job.wait({ condition: 'next-exit' })
    await job.start()
    expect(await exited).toMatchObject({ StatusCode: 7 })
  })

  it('logs, demultiplexed', async () => {
    const job = docker.getContainer(jobId)
    const stream = (await job.logs({ stdout: true, stderr: true, follow: true })) as unknown as Readable
    expect(await demuxed(docker, stream)).toEqual({ stdout: 'out-hi\n', stderr: 'err-line\n' })
    const tailed = (await job.logs({ stdout: true, stderr: false, follow: true, timestamps: true })) as unknown as Readable
    expect((await demuxed(docker, tailed)).stdout).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z out-hi\n$/)
  })

  it('inspect', async () => {
    const info = await docker.getContainer(jobId).inspect()
    expect(info.Name).toBe(`/${suite}-job`)
    expect(info.State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 7 })
    expect(info.Config.Labels).toMatchObject(labels)
    expect(info.Config.Env).toEqual(['GREETING=hi'])
  })

  it('listContainers with filters', async () => {
    const mine = { label: [`${TEST_LABEL}=${suite}`] }
    expect(await docker.listContainers({ filters: mine })).toEqual([])
    const all = await docker.listContainers({ all: true, filters: mine })
    expect(all.map((c) => [c.Id, c.Names, c.State, c.Image])).toEqual([[jobId, [`/${suite}-job`], 'exited', TEST_IMAGE]])
    expect(await docker.listContainers({ all: true, filters: { ...mine, status: ['running'] } })).toEqual([])
    expect(await docker.listContainers({ all: true, filters: { ...mine, label: [...mine.label, 'app=other'] } })).toEqual([])
  })

  it('a long runner: start, listed as running, stop with a timeout, remove', async () => {
    const sleeper = await docker.createContainer({ name: `${suite}-sleeper`, Image: TEST_IMAGE, Cmd: ['sleep', '300'], Labels: labels })
    await sleeper.start()
    const running = await docker.listContainers({ filters: { label: [`${TEST_LABEL}=${suite}`] } })
    expect(running.map((c) => c.Id)).toEqual([sleeper.id])
    expect(running[0].Status).toMatch(/^Up /)
    await sleeper.stop({ t: 1 })
    expect((await sleeper.inspect()).State).toMatchObject({ Running: false, Status: 'exited' })
    await expect(sleeper.remove()).resolves.toBeDefined()
    await expect(sleeper.inspect()).rejects.toMatchObject({ statusCode: 404 })
    await docker.getContainer(jobId).remove()
    expect(await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${suite}`] } })).toEqual([])
  })

  it('getEvents bounded by since/until', async () => {
    const stream = (await docker.getEvents({ since, until: Math.ceil(Date.now() / 1000), filters: { container: [jobId] } })) as unknown as Readable
    const list = await events(stream)
    expect(list.every((e) => e.Actor.ID === jobId)).toBe(true)
    expect(list.map((e) => e.Action)).toEqual(expect.arrayContaining(['create', 'start', 'die', 'destroy']))
    expect(list.filter((e) => e.Action === 'die').map((e) => e.Actor.Attributes.exitCode)).toEqual(['7'])
  })
})
