/**
 * `npm start` end to end: the real local-mode server in a child process, driven over HTTP on
 * loopback, stopped with SIGTERM and started again on the same data folder. Bounded waits only.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import { afterAll, describe, expect, it } from 'vitest'
import { LABELS } from '../../shared/backends/docker/labels.js'
import { TEST_IMAGE, engineAvailable, waitFor } from '../support/engine.js'
import { apiClient, startServer, type ServerProcess } from './server-process.js'

const docker = new Dockerode()
const servers: ServerProcess[] = []
const dirs: string[] = []
const containerIds = new Set<string>()

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fargated-e2e-'))
  dirs.push(dir)
  return dir
}

async function launch(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServer(env)
  servers.push(server)
  return server
}

afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL').catch(() => undefined)
  for (const id of containerIds) {
    const found = await docker.listContainers({ all: true, filters: { label: [`${LABELS.container}=${id}`] } }).catch(() => [])
    await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)))
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

type Api = ReturnType<typeof apiClient>
type View = { id: string; name: string; runNumber: number; state: { status: string; running: boolean; exitCode: number | null }; run?: { ref?: string; lastStatus: string } }

const untilContainer = (api: Api, ref: string, check: (v: View) => boolean, what: string) =>
  waitFor(async () => {
    const res = await api('GET', `/v1/containers/${ref}`)
    const view = res.status === 200 ? (res.json() as unknown as View) : undefined
    return view && check(view) ? view : undefined
  }, what, 20_000, 50)

describe.skipIf(!engineAvailable())('npm start (local mode) end to end', () => {
  it('serves the API, survives a restart on the same data folder and reconciles what ended meanwhile', async () => {
    const dataDir = tempDir()
    const first = await launch({ FARGATED_DATA_DIR: dataDir, FARGATED_ENGINE_RETRY: '1' })
    expect(first.adminKey).toMatch(/\S{20,}/)
    await first.waitForOutput(/container engine: connected/)
    const api = apiClient(first.url, first.adminKey)

    expect((await api('GET', '/healthz')).status).toBe(200)
    expect((await apiClient(first.url)('GET', '/v1/containers')).status).toBe(401)

    // run, ps
    const created = await api('POST', '/v1/containers', { image: TEST_IMAGE, cmd: ['sh', '-c', 'sleep 300'], name: 'e2e-web' })
    expect(created.status).toBe(201)
    const web = created.json() as unknown as View
    containerIds.add(web.id)
    expect(web).toMatchObject({ name: 'e2e-web', runNumber: 1, state: { running: true } })
    const ps = (await api('GET', '/v1/containers')).json() as { containers: View[] }
    expect(ps.containers.map((c) => c.name)).toContain('e2e-web')

    // logs of a run that echoes and exits
    const echo = (await api('POST', '/v1/containers', { image: TEST_IMAGE, cmd: ['sh', '-c', 'echo hello-e2e; exit 0'], name: 'e2e-echo' })).json() as unknown as View
    containerIds.add(echo.id)
    await untilContainer(api, 'e2e-echo', (v) => v.state.status === 'exited', 'e2e-echo exited')
    const logs = await api('GET', '/v1/containers/e2e-echo/logs')
    expect(logs.status).toBe(200)
    expect(logs.text).toContain('hello-e2e')

    // stop, start
    expect((await api('POST', '/v1/containers/e2e-web/stop?timeout=0')).status).toBe(200)
    await untilContainer(api, 'e2e-web', (v) => v.state.status === 'exited', 'e2e-web exited')
    const started = await api('POST', '/v1/containers/e2e-web/start')
    expect(started.status).toBe(200)
    expect((started.json() as unknown as View).runNumber).toBe(2)

    // bad input → 4xx with a problem body
    const bad = await api('POST', '/v1/containers', { image: 42, cpu: 99 })
    expect(bad.status).toBe(400)
    expect(bad.type).toContain('application/problem+json')
    expect(bad.json()).toMatchObject({ status: 400, code: 'invalid_spec', errors: expect.any(Array) })
    const missing = await api('GET', '/v1/containers/no-such-container')
    expect(missing.status).toBe(404)
    expect(missing.json()).toMatchObject({ code: 'not_found' })

    // rm
    expect((await api('DELETE', '/v1/containers/e2e-echo')).status).toBe(204)
    expect((await api('GET', '/v1/containers/e2e-echo')).status).toBe(404)

    // a run that will end while fargated is down: it exits 7 on SIGUSR1
    const late = (await api('POST', '/v1/containers', { image: TEST_IMAGE, cmd: ['sh', '-c', 'trap "exit 7" USR1; while true; do sleep 0.1; done'], name: 'e2e-late' })).json() as unknown as View
    containerIds.add(late.id)
    const lateRunning = await untilContainer(api, 'e2e-late', (v) => v.run?.lastStatus === 'RUNNING', 'e2e-late RUNNING')
    await untilContainer(api, 'e2e-web', (v) => v.run?.lastStatus === 'RUNNING', 'e2e-web run 2 RUNNING')

    expect(await first.stop('SIGTERM')).toBe(0)
    expect(first.output()).toMatch(/SIGTERM: shutting down/)

    const engineContainer = docker.getContainer(lateRunning.run!.ref!)
    await engineContainer.kill({ signal: 'SIGUSR1' })
    await waitFor(async () => {
      const info = await engineContainer.inspect()
      return info.State.Status === 'exited' ? info.State.ExitCode : undefined
    }, 'e2e-late to exit in the engine', 20_000, 50)

    const second = await launch({ FARGATED_DATA_DIR: dataDir, FARGATED_ENGINE_RETRY: '1' })
    expect(second.adminKey).toBeUndefined()
    expect(second.output()).not.toMatch(/Admin API key/)
    const api2 = apiClient(second.url, first.adminKey)
    const all = (await api2('GET', '/v1/containers?all=true')).json() as { containers: View[] }
    expect(all.containers.map((c) => c.name).sort()).toEqual(['e2e-late', 'e2e-web'])
    const runs = (await api2('GET', '/v1/containers/e2e-web/runs')).json() as { runs: { number: number }[] }
    expect(runs.runs.map((r) => r.number)).toEqual([2, 1])

    const reconciled = await untilContainer(api2, 'e2e-late', (v) => v.state.status === 'exited', 'e2e-late reconciled')
    expect(reconciled.state.exitCode).toBe(7)
    expect((await api2('GET', '/v1/containers/e2e-web')).json()).toMatchObject({ runNumber: 2, state: { running: true } })

    expect((await api2('DELETE', '/v1/containers/e2e-web')).status).toBe(409)
    for (const name of ['e2e-web', 'e2e-late']) expect((await api2('DELETE', `/v1/containers/${name}?force=true`)).status).toBe(204)
    expect(await second.stop('SIGTERM')).toBe(0)
  })

  it('without an engine: serves /healthz and the docs, says how to start one, and refuses runs with a quick 503', async () => {
    const server = await launch({ FARGATED_DATA_DIR: tempDir(), DOCKER_HOST: 'unix:///nonexistent.sock' })
    const api = apiClient(server.url, server.adminKey)

    const health = await api('GET', '/healthz')
    expect(health.status).toBe(200)
    expect(health.json()).toMatchObject({ status: 'ok', mode: 'local' })
    const docs = await api('GET', '/v1/docs')
    expect(docs.status).toBe(200)
    expect(docs.type).toContain('text/html')
    await server.waitForOutput(/sudo bash scripts\/engine\.sh/)

    const refused = await api('POST', '/v1/containers', { image: TEST_IMAGE, cmd: ['true'], name: 'no-engine' })
    expect(refused.status).toBe(503)
    expect(refused.json()).toMatchObject({ status: 503, code: 'engine_unavailable', detail: expect.stringMatching(/engine/) })
    expect(await server.stop('SIGTERM')).toBe(0)
  })
})
