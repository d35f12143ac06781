import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/core/model.js'
import type { UsageSample } from '../../../shared/core/ports.js'
import { FakeBackend } from '../../support/fake-backend.js'
import { dockerCreate, dockerRun, readUntil, startDockerHarness } from './docker-harness.js'

type Json = Record<string, unknown>

/** A value of decoded JSON by dotted path. */
function at(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Json | undefined)?.[k], o)
}
const num = (o: unknown, path: string) => at(o, path) as number

/** docker stats' CPU column (docker-engine-api §5.13). */
function cliCpuPercent(s: Json): number {
  const cpu = num(s, 'cpu_stats.cpu_usage.total_usage') - num(s, 'precpu_stats.cpu_usage.total_usage')
  const system = num(s, 'cpu_stats.system_cpu_usage') - num(s, 'precpu_stats.system_cpu_usage')
  return system > 0 && cpu > 0 ? (cpu / system) * num(s, 'cpu_stats.online_cpus') * 100 : 0
}

class UsageBackend extends FakeBackend {
  async usage(_run: Run, since: number): Promise<UsageSample[]> {
    return [
      { time: since + 10, cpuUnits: 100, memoryMiB: 10, networkBytesPerSec: 1 },
      { time: since + 70, cpuUnits: 512, memoryMiB: 300, networkBytesPerSec: 2048 },
    ]
  }
}

describe('stats from the usage source (ECS)', () => {
  let h: Awaited<ReturnType<typeof startDockerHarness>>
  beforeAll(async () => {
    h = await startDockerHarness({ backend: new UsageBackend() })
  })
  afterAll(async () => h.close())

  it('stream=0 gives one object the CLI turns into the latest sample\'s CPU and memory', async () => {
    const { id } = await dockerRun(h, 's1', { HostConfig: { NanoCpus: 1e9, Memory: 2 * 1024 ** 3 } })
    const res = await h.request(`/v1.44/containers/${id.slice(0, 12)}/stats?stream=0`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const s = (await res.json()) as Json
    expect(s.name).toBe('/s1')
    expect(s.id).toBe(id)
    expect(cliCpuPercent(s)).toBeCloseTo(50, 6)
    expect(s.memory_stats).toMatchObject({ usage: 300 * 1024 * 1024, limit: 2048 * 1024 * 1024 })
    expect(s.pids_stats).toEqual({ current: 0 })
    expect(at(s, 'networks.eth0')).toMatchObject({ rx_bytes: 0, tx_bytes: 0 })
    expect(typeof s.read).toBe('string')
  })

  it('stream=1 sends one object per interval until the client leaves', async () => {
    await dockerRun(h, 's2')
    const res = await h.request('/v1.44/containers/s2/stats?stream=1')
    const text = await readUntil(res, (t) => t.split('\n').filter(Boolean).length >= 2)
    const objects = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json)
    expect(objects.length).toBeGreaterThanOrEqual(2)
    for (const o of objects) expect(o.name).toBe('/s2')
  })

  it('a stopped container gets one zeroed object with every key', async () => {
    await dockerCreate(h, 's3')
    const s = (await (await h.request('/v1.44/containers/s3/stats?stream=1')).json()) as Json
    expect(s).toMatchObject({ name: '/s3', read: '0001-01-01T00:00:00Z', pids_stats: { current: 0 }, memory_stats: { usage: 0, limit: 0 }, networks: {} })
    expect(num(s, 'cpu_stats.cpu_usage.total_usage')).toBe(0)
    expect(num(s, 'precpu_stats.system_cpu_usage')).toBe(0)
  })

  it('404 for an unknown container', async () => {
    expect((await h.request('/v1.44/containers/nope/stats?stream=0')).status).toBe(404)
  })
})

describe('stats without a usage source', () => {
  it('answers the right keys with zero usage', async () => {
    const h = await startDockerHarness()
    try {
      await dockerRun(h, 's4')
      const s = (await (await h.request('/v1.44/containers/s4/stats?stream=0')).json()) as Json
      expect(cliCpuPercent(s)).toBe(0)
      expect(s.memory_stats).toMatchObject({ usage: 0, limit: 512 * 1024 * 1024 })
    } finally {
      await h.close()
    }
  })
})

/** The DockerBackend's stats(run, {stream}) shape: one engine object, or an iterable. */
class EngineStatsBackend extends FakeBackend {
  stats(run: Run, options: { stream?: boolean; signal?: AbortSignal } = {}): Promise<Json> | AsyncIterable<Json> {
    const one = (n: number): Json => ({ read: '2026-11-29T15:40:30.68222515Z', name: `/fargated-${run.containerId.slice(0, 12)}-1`, id: 'e'.repeat(64), cpu_stats: { cpu_usage: { total_usage: n } }, pids_stats: { current: 2 } })
    if (!options.stream) return Promise.resolve(one(1))
    return (async function* () {
      for (let n = 1; !options.signal?.aborted; n++) {
        yield one(n)
        await new Promise((r) => setTimeout(r, 5))
      }
    })()
  }
}

describe('stats from the engine (local mode)', () => {
  let h: Awaited<ReturnType<typeof startDockerHarness>>
  beforeAll(async () => {
    h = await startDockerHarness({ kind: 'docker', backend: new EngineStatsBackend() })
  })
  afterAll(async () => h.close())

  it('passes the engine object through with fargated\'s name and id', async () => {
    const { id } = await dockerRun(h, 'e1')
    const s = (await (await h.request('/v1.44/containers/e1/stats?stream=0')).json()) as Json
    expect(s).toMatchObject({ name: '/e1', id, pids_stats: { current: 2 }, read: '2026-11-29T15:40:30.68222515Z' })
  })

  it('streams the engine\'s objects', async () => {
    await dockerRun(h, 'e2')
    const text = await readUntil(await h.request('/v1.44/containers/e2/stats'), (t) => t.split('\n').filter(Boolean).length >= 3)
    const totals = text.split('\n').filter(Boolean).slice(0, 3).map((l) => num(JSON.parse(l), 'cpu_stats.cpu_usage.total_usage'))
    expect(totals).toEqual([1, 2, 3])
  })
})
