/**
 * Issue 6, end to end in local mode: the reaper timer of startLocalServer, engine stats as the
 * usage source, on the real engine. An idle container is stopped (cause idle), a busy one with
 * the same policy is not, a max-lifetime stops a busy one anyway (cause lifetime), and the busy
 * one gets a size recommendation from its samples.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engineAvailable, TEST_IMAGE } from '../support/engine.js'
import { E2E_TIMEOUT_MS, eventually, getContainer, startLocal, waitForContainer, type DockerEventJson, type EventJson, type LocalHarness } from './local-harness.js'

const MIN_SAMPLES = 5
const BUSY = ['sh', '-c', 'while :; do :; done']
const IDLE_LABELS = { 'fargated.idle': '10s', 'fargated.idle-grace': '0s' }

describe.skipIf(!engineAvailable())('reaper in local mode (engine)', () => {
  let h: LocalHarness
  let startedAt: number
  const ids = { idle: '', busy: '', lifetime: '' }

  beforeAll(async () => {
    h = await startLocal('reaper-e2e', {
      reaperIntervalSeconds: 1,
      reaper: { sizing: { minSamples: MIN_SAMPLES }, recommendRetrySeconds: 2 },
    })
    startedAt = Math.floor(Date.now() / 1000) - 1
    const create = async (name: string, cmd: string[], labels: Record<string, string>) => {
      // PID 1 ignores SIGTERM here: a 1 s stop timeout keeps each stop (and so each tick) short.
      const res = await h.api<{ id: string }>('POST', '/v1/containers', { image: TEST_IMAGE, name, cmd, labels, stopTimeout: 1 })
      if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${res.text}`)
      return res.body.id
    }
    ids.idle = await create('idle', ['sleep', '300'], IDLE_LABELS)
    ids.busy = await create('busy', BUSY, IDLE_LABELS)
    ids.lifetime = await create('lifetime', BUSY, { 'fargated.max-lifetime': '15s' })
  })

  afterAll(async () => {
    if (process.env.E2E_DEBUG) console.log(h?.logs.join('\n'))
    await h?.close()
  })

  it('stops the idle container with cause idle and the lifetime one with cause lifetime; the busy one keeps running', { timeout: 2 * E2E_TIMEOUT_MS }, async () => {
    const [idle, lifetime] = await Promise.all([
      waitForContainer(h, ids.idle, 'the idle container to be stopped', (c) => !c.state.running),
      waitForContainer(h, ids.lifetime, 'the lifetime container to be stopped', (c) => !c.state.running),
    ])
    expect(idle.state).toMatchObject({ stopCause: 'idle', running: false })
    expect(idle.state.stopReason).toMatch(/idle/i)
    expect(lifetime.state).toMatchObject({ stopCause: 'lifetime', running: false })

    // Both windows (10 s idle, 15 s lifetime) have passed: the busy container, with the same
    // idle policy as the idle one, is still on its first run.
    const busy = await getContainer(h, ids.busy)
    expect(busy.state).toMatchObject({ running: true, status: 'running' })
    expect(busy.state.stopCause).toBeUndefined()
    expect(busy.runNumber).toBe(1)
    const engine = await h.docker.getContainer(busy.run!.ref!).inspect()
    expect(engine.State.Running).toBe(true)
  })

  it('records the cause on the die event, in /v1/events and in the Docker /events', async () => {
    const dies = await eventually(h, 'the die events of both stops', async () => {
      const events = await h.lines<EventJson>('/v1/events?type=container&action=die')
      const byId = new Map(events.map((e) => [e.id, e]))
      return byId.has(ids.idle) && byId.has(ids.lifetime) ? byId : undefined
    })
    expect(dies.get(ids.idle)!.attributes).toMatchObject({ reason: 'idle', name: 'idle' })
    expect(dies.get(ids.lifetime)!.attributes).toMatchObject({ reason: 'lifetime', name: 'lifetime' })
    expect(dies.has(ids.busy)).toBe(false)

    const until = Math.ceil(Date.now() / 1000)
    const filters = encodeURIComponent(JSON.stringify({ type: ['container'], event: ['die'] }))
    const docker = await h.lines<DockerEventJson>(`/events?since=${startedAt}&until=${until}&filters=${filters}`)
    const reasons = Object.fromEntries(docker.map((e) => [e.Actor.ID, e.Actor.Attributes.reason]))
    expect(reasons[ids.idle]).toBe('idle')
    expect(reasons[ids.lifetime]).toBe('lifetime')
    expect(reasons[ids.busy]).toBeUndefined()
  })

  it('recommends a size for the busy container from its engine samples', { timeout: 2 * E2E_TIMEOUT_MS }, async () => {
    type Rec = { recommended: { cpu: number; memory: number } | null; current: { cpu: number; memory: number }; basis: { samples: number; p95CpuUnits: number } | null; reason: string | null }
    let last: Rec | undefined
    const rec = await eventually(h, 'a recommendation for the busy container', async () => {
      const res = await h.api<Rec>('GET', `/v1/containers/${ids.busy}/recommendation`)
      if (res.status !== 200) throw new Error(`GET recommendation: ${res.status} ${res.text}`)
      last = res.body
      return res.body.recommended ? res.body : undefined
    }, { last: () => last })
    expect(rec.basis!.samples).toBeGreaterThanOrEqual(MIN_SAMPLES)
    // The loop uses its whole 0.25 vCPU: far above the 2% idle threshold.
    expect(rec.basis!.p95CpuUnits).toBeGreaterThan(0.5 * rec.current.cpu)
    expect(rec.current).toMatchObject({ cpu: 256, memory: 512 })
    expect(rec.reason).toMatch(/p95 CPU/)
  })
})
