/**
 * End-to-end helpers: fargated's local mode (startLocalServer) in-process on a temporary data
 * folder and a free port, its engine containers labelled with a suite id (so its reaper and
 * event watch see only this suite's containers), and a small HTTP client for its API.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Dockerode from 'dockerode'
import type { LocalConfig } from '../../shared/local/local-config.js'
import { startLocalServer, type LocalServer } from '../../shared/local/local-server.js'
import { removeSuiteContainers, suiteId, suiteLabels, waitFor } from '../support/engine.js'

/** Generous: engine stats take about a second per call and the reaper ticks every second or two. */
export const E2E_TIMEOUT_MS = 60_000

export interface ApiResponse<T> {
  status: number
  body: T
  text: string
}

export interface LocalHarness {
  server: LocalServer
  url: string
  /** The bootstrap admin key (namespace `default`). */
  key: string
  suite: string
  dataDir: string
  docker: Dockerode
  /** What the server logged, for failure messages. */
  logs: string[]
  api<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>>
  /** NDJSON lines of a GET (events), parsed. */
  lines<T = Record<string, unknown>>(path: string): Promise<T[]>
  close(): Promise<void>
}

export async function startLocal(name: string, config: Partial<LocalConfig> = {}): Promise<LocalHarness> {
  const suite = suiteId(name)
  const dataDir = await mkdtemp(join(tmpdir(), `fargated-${name}-`))
  const logs: string[] = []
  const server = await startLocalServer(
    {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      reaperIntervalSeconds: 0,
      engineRetrySeconds: 1,
      publishHost: '127.0.0.1',
      tableName: 'fargated',
      engineLabels: suiteLabels(suite),
      ...config,
    },
    (m) => logs.push(`${new Date().toISOString()} ${m}`),
  )
  const key = server.adminKey
  if (!key) throw new Error('the local server returned no admin key')
  await waitFor(async () => (server.engineAvailable() ? true : undefined), 'the local server to connect to the engine', E2E_TIMEOUT_MS)
  const docker = new Dockerode()

  async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    let parsed: unknown = undefined
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    return { status: res.status, body: parsed as T, text }
  }

  return {
    server,
    url: server.url,
    key,
    suite,
    dataDir,
    docker,
    logs,
    api,
    async lines<T>(path: string): Promise<T[]> {
      const res = await api<unknown>('GET', path)
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`)
      return res.text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as T)
    },
    async close() {
      await server.close()
      await removeSuiteContainers(suite, docker)
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** The parts of the /v1 container view these tests read. */
export interface ContainerJson {
  id: string
  name: string
  image: string
  imageDigest?: string
  runNumber: number
  state: { status: string; running: boolean; exitCode: number | null; stopCause?: string; stopReason?: string }
  run?: { number: number; ref?: string; lastStatus: string }
}

/** A /v1 event line, and a Docker `/events` line. */
export interface EventJson {
  type: string
  action: string
  id: string
  attributes: Record<string, string>
}

export interface DockerEventJson {
  Type: string
  Action: string
  Actor: { ID: string; Attributes: Record<string, string> }
}

/**
 * Polls `check` every `everyMs` until it returns a value, or throws after `timeoutMs` with
 * what it waited for, the last value seen and the server's last log lines.
 */
export async function eventually<T>(h: LocalHarness, what: string, check: () => Promise<T | undefined>, options: { timeoutMs?: number; everyMs?: number; last?: () => unknown } = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? E2E_TIMEOUT_MS)
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) {
      const last = options.last ? `\nlast seen: ${JSON.stringify(options.last())}` : ''
      throw new Error(`timed out waiting for ${what}${last}\n--- server log (last 30 lines) ---\n${h.logs.slice(-30).join('\n')}`)
    }
    await new Promise((r) => setTimeout(r, options.everyMs ?? 250))
  }
}

export async function getContainer(h: LocalHarness, id: string): Promise<ContainerJson> {
  const res = await h.api<ContainerJson>('GET', `/v1/containers/${id}`)
  if (res.status !== 200) throw new Error(`GET /v1/containers/${id}: ${res.status} ${res.text}`)
  return res.body
}

/** Polls GET /v1/containers/{id} until `ready` says yes; returns that view. */
export function waitForContainer(h: LocalHarness, id: string, what: string, ready: (c: ContainerJson) => boolean, timeoutMs = E2E_TIMEOUT_MS): Promise<ContainerJson> {
  let last: ContainerJson | undefined
  return eventually(h, what, async () => {
    last = await getContainer(h, id)
    return ready(last) ? last : undefined
  }, { timeoutMs, last: () => last && { runNumber: last.runNumber, imageDigest: last.imageDigest, state: last.state, run: last.run } })
}
