import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { pointsAtSelf } from '../../shared/local/engine-target.js'
import { readLocalConfig } from '../../shared/local/local-config.js'
import { startLocalServer, type LocalServer } from '../../shared/local/local-server.js'
import { socketPathProblem } from '../../shared/local/unix-socket.js'

const dirs: string[] = []
const servers: LocalServer[] = []
afterAll(async () => {
  for (const s of servers) await s.close().catch(() => undefined)
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fargated-sock-'))
  dirs.push(dir)
  return dir
}

async function start(socketPath: string, logs: string[] = []): Promise<{ server: LocalServer; key: string }> {
  const key = `fgd_sock_${randomBytes(12).toString('hex')}`
  const server = await startLocalServer(
    {
      host: '127.0.0.1', port: 0, socketPath, dataDir: join(tempDir(), 'data'), adminKey: key, reaperIntervalSeconds: 0,
      engineRetrySeconds: 60, publishHost: '127.0.0.1', tableName: 'fargated', engineLabels: { 'fargated.test': 'unix-socket' },
    },
    (m) => logs.push(m),
  )
  servers.push(server)
  return { server, key }
}

function get(socketPath: string, path: string, key?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: key ? { Authorization: `Bearer ${key}` } : {} }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('local mode on a unix socket', () => {
  it('serves the API there, owner-only, key required, and removes the socket on close', async () => {
    const path = join(tempDir(), 'fargated.sock')
    const { server, key } = await start(path)
    expect(server.socketPath).toBe(path)
    expect(statSync(path).isSocket()).toBe(true)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect((await get(path, '/_ping')).body).toBe('OK')
    const denied = await get(path, '/v1.44/containers/json')
    expect(denied.status).toBe(401)
    expect(JSON.parse(denied.body).message).toContain('missing API key')
    const listed = await get(path, '/v1.44/containers/json?all=1', key)
    expect(listed.status).toBe(200)
    expect(JSON.parse(listed.body)).toEqual([])
    await server.close()
    servers.splice(servers.indexOf(server), 1)
    expect(existsSync(path)).toBe(false)
  })

  it('replaces a socket file left by a server that was killed', async () => {
    const path = join(tempDir(), 'fargated.sock')
    const killed = spawnSync(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`])
    expect(killed.signal).toBe('SIGKILL')
    expect(statSync(path).isSocket()).toBe(true)
    const { server } = await start(path)
    expect(server.socketPath).toBe(path)
    expect((await get(path, '/_ping')).body).toBe('OK')
  })

  it('leaves a socket another server answers on alone, and still serves TCP, saying why', async () => {
    const path = join(tempDir(), 'busy.sock')
    const other = createServer().listen(path)
    await new Promise((r) => other.once('listening', r))
    try {
      const logs: string[] = []
      const { server } = await start(path, logs)
      expect(server.socketPath).toBeUndefined()
      expect(logs.join('\n')).toContain(`another server is listening on ${path}`)
      expect(statSync(path).isSocket()).toBe(true)
    } finally {
      await new Promise((r) => other.close(r))
    }
  })

  it('leaves a file that is not a socket alone and still serves TCP, saying why', async () => {
    const path = join(tempDir(), 'not-a-socket')
    writeFileSync(path, 'keep me')
    const logs: string[] = []
    const { server } = await start(path, logs)
    expect(server.socketPath).toBeUndefined()
    expect(logs.join('\n')).toContain(`${path} exists and is not a socket`)
    expect(statSync(path).isFile()).toBe(true)
    const res = await fetch(`${server.url}/_ping`)
    expect(await res.text()).toBe('OK')
  })

  it('refuses a path too long for a socket with the fix', () => {
    expect(socketPathProblem(`/tmp/${'x'.repeat(120)}`)).toMatch(/at most 107 .*FARGATED_SOCKET/)
    expect(socketPathProblem('/tmp/fargated.sock')).toBeUndefined()
  })

  it('defaults to <data>/fargated.sock; FARGATED_SOCKET=off turns it off', () => {
    expect(readLocalConfig({ FARGATED_DATA_DIR: '/srv/f' }).socketPath).toBe('/srv/f/fargated.sock')
    expect(readLocalConfig({ FARGATED_DATA_DIR: '/srv/f', FARGATED_SOCKET: '/run/x.sock' }).socketPath).toBe('/run/x.sock')
    expect(readLocalConfig({ FARGATED_SOCKET: 'off' }).socketPath).toBeUndefined()
  })
})

describe('DOCKER_HOST pointing at fargated itself', () => {
  const own = { socketPath: '/srv/f/fargated.sock', host: '127.0.0.1', port: 2475 }
  it('is recognised for its socket and its TCP address', () => {
    expect(pointsAtSelf('unix:///srv/f/fargated.sock', own)).toBe(true)
    expect(pointsAtSelf('tcp://127.0.0.1:2475', own)).toBe(true)
    expect(pointsAtSelf('tcp://localhost:2475', own)).toBe(true)
  })
  it('is not confused with an engine', () => {
    expect(pointsAtSelf(undefined, own)).toBe(false)
    expect(pointsAtSelf('unix:///var/run/docker.sock', own)).toBe(false)
    expect(pointsAtSelf('tcp://127.0.0.1:2375', own)).toBe(false)
    expect(pointsAtSelf('tcp://10.0.0.5:2475', own)).toBe(false)
    expect(pointsAtSelf('tcp://127.0.0.1:2475', { ...own, port: 0 })).toBe(false)
  })
})
