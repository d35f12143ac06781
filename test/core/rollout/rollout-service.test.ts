import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImagePushed } from '../../../shared/core/rollout/index.js'
import { digest, startRolloutHarness, type RolloutHarness } from './rollout-harness.js'

let h: RolloutHarness
let seq = 0

beforeAll(async () => {
  h = await startRolloutHarness()
})
afterAll(async () => h.close())

/** A fresh repository per test, so tests don't see each other's containers. */
function repo(): string {
  return `registry.example.com/app-${++seq}`
}

function push(repository: string, tag: string, d: string, extra: Partial<ImagePushed> = {}): ImagePushed {
  return { repository, tag, digest: d, source: 'registry', ...extra }
}

async function events(ns: string, id: string) {
  return (await h.t.store.listEvents(ns)).filter((e) => e.id === id && e.action === 'rollout').map((e) => e.attributes)
}

describe('image pushed → rollout', () => {
  it('redeploys a tracking container on the new digest, then stops the old run with cause redeploy', async () => {
    const r = repo()
    const c = await h.run('ns-a', { image: `${r}:latest`, track: 'true', cmd: ['serve'] })
    const oldRun = await h.t.store.getRun(c.id, 1)
    const [result] = await h.rollouts.imagePushed(push(r, 'latest', digest('1')), { wait: true })
    expect(result).toMatchObject({ containerId: c.id, outcome: 'succeeded', digest: digest('1'), runNumber: 2 })
    const after = await h.t.store.getContainer('ns-a', c.id)
    expect(after).toMatchObject({ runNumber: 2, imageDigest: digest('1'), state: { running: true, status: 'running' } })
    const newRun = await h.t.store.getRun(c.id, 2)
    expect(newRun).toMatchObject({ lastStatus: 'RUNNING', image: `${r}@${digest('1')}` })
    const old = await h.t.store.getRun(c.id, 1)
    expect(old).toMatchObject({ lastStatus: 'STOPPED', stopCause: 'redeploy' })
    expect(h.backend.tasks.get(oldRun!.ref!)!.status).toBe('STOPPED')
    // The old run's late STOPPED event does not move the container.
    expect(await h.containers.observe({ ...h.backend.observation(oldRun!.ref!), version: 99 })).toBe('applied')
    expect(await h.t.store.getContainer('ns-a', c.id)).toMatchObject({ runNumber: 2, state: { running: true } })
    expect(await events('ns-a', c.id)).toEqual([expect.objectContaining({ outcome: 'succeeded', digest: digest('1'), fromRun: '1', toRun: '2' })])
    const pushes = (await h.t.store.listEvents('ns-a')).filter((e) => e.type === 'image' && e.action === 'push')
    expect(pushes.some((e) => e.attributes.digest === digest('1'))).toBe(true)
  })

  it('treats duplicate push events as one: one rollout, one new task', async () => {
    const r = repo()
    const c = await h.run('ns-a', { image: `${r}:latest`, track: 'latest' })
    const starts = h.backend.count('startRun')
    const p = push(r, 'latest', digest('2'))
    const [first, second, third] = await Promise.all([
      h.rollouts.imagePushed(p, { wait: true }),
      h.rollouts.imagePushed({ ...p }, { wait: true }),
      h.rollouts.imagePushed({ ...p, source: 'ecr' }, { wait: true }),
    ])
    expect([first, second, third].flat().filter((x) => x.outcome === 'succeeded')).toHaveLength(1)
    expect(h.backend.count('startRun') - starts).toBe(1)
    expect(await h.rollouts.imagePushed(p, { wait: true })).toEqual([])
    expect((await h.t.store.getContainer('ns-a', c.id))!.runNumber).toBe(2)
  })

  it('keeps the old run and records a failed rollout when the new run exits', async () => {
    const r = repo()
    const c = await h.run('ns-a', { image: `${r}:1.0.0`, track: '^1.0.0' })
    const oldRef = (await h.t.store.getRun(c.id, 1))!.ref!
    h.backend.crashOn.add(digest('3'))
    const [result] = await h.rollouts.imagePushed(push(r, '1.1.0', digest('3')), { wait: true })
    expect(result).toMatchObject({ outcome: 'failed', runNumber: 1 })
    expect(result.reason).toMatch(/new run stopped with exit code 1/)
    const after = await h.t.store.getContainer('ns-a', c.id)
    expect(after).toMatchObject({ runNumber: 1, state: { running: true }, spec: { image: `${r}:1.0.0` } })
    expect(h.backend.tasks.get(oldRef)!.status).toBe('RUNNING')
    expect(await events('ns-a', c.id)).toEqual([expect.objectContaining({ outcome: 'failed' })])
    // The failed run's STOPPED event does not move the container either.
    const failedRef = (await h.t.store.getRun(c.id, 2))!.ref!
    await h.containers.observe({ ...h.backend.observation(failedRef), version: 50 })
    expect((await h.t.store.getContainer('ns-a', c.id))!.state.running).toBe(true)
  })

  it('fails a rollout whose new run is not running within the timeout, and stops that run', async () => {
    const r = repo()
    const c = await h.run('ns-a', { image: `${r}:latest`, track: 'true' })
    h.backend.hangOn.add(digest('4'))
    const [result] = await h.rollouts.imagePushed(push(r, 'latest', digest('4')), { wait: true })
    expect(result.outcome).toBe('failed')
    expect(result.reason).toMatch(/not running within 120s \(still PENDING\)/)
    const newRun = await h.t.store.getRun(c.id, 2)
    expect(h.backend.tasks.get(newRun!.ref!)!.status).toBe('STOPPED')
    expect(newRun).toMatchObject({ stopCause: 'redeploy' })
    expect(await h.t.store.getContainer('ns-a', c.id)).toMatchObject({ runNumber: 1, state: { running: true } })
  })

  it('waits for a health check to pass, and rolls back when it fails', async () => {
    const r = repo()
    const hc = { test: ['CMD', 'true'], interval: 5 }
    const ok = await h.run('ns-a', { image: `${r}:latest`, track: 'true', healthcheck: hc })
    h.health.value = 'starting'
    const started = await h.rollouts.imagePushed(push(r, 'latest', digest('5')))
    expect(started[0].outcome).toBe('started')
    expect(await h.rollouts.advanceAll()).toEqual([])
    expect((await h.t.store.getContainer('ns-a', ok.id))!.runNumber).toBe(1)
    h.health.value = 'healthy'
    expect(await h.rollouts.advanceAll()).toEqual([expect.objectContaining({ containerId: ok.id, outcome: 'succeeded' })])

    const r2 = repo()
    const bad = await h.run('ns-a', { image: `${r2}:latest`, track: 'true', healthcheck: hc })
    h.health.value = 'unhealthy'
    const [result] = await h.rollouts.imagePushed(push(r2, 'latest', digest('6')), { wait: true })
    h.health.value = 'healthy'
    expect(result).toMatchObject({ containerId: bad.id, outcome: 'failed', reason: 'the new run is unhealthy' })
    expect((await h.t.store.getContainer('ns-a', bad.id))!.runNumber).toBe(1)
  })

  it('without a health probe, reads the health the runtime reports with the run', async () => {
    const reported = await startRolloutHarness({ health: undefined })
    try {
      const r = repo()
      const hc = { test: ['CMD', 'true'], interval: 5 }
      const c = await reported.run('ns-a', { image: `${r}:latest`, track: 'true', healthcheck: hc })
      reported.backend.reportHealth('starting')
      expect((await reported.rollouts.imagePushed(push(r, 'latest', digest('9'))))[0].outcome).toBe('started')
      expect(await reported.rollouts.advanceAll()).toEqual([])
      const pending = (await reported.t.store.listRuns(c.id)).find((x) => x.number === 2)
      expect(pending).toMatchObject({ lastStatus: 'RUNNING', health: 'starting' })
      reported.backend.reportHealth('healthy')
      expect(await reported.rollouts.advanceAll()).toEqual([expect.objectContaining({ containerId: c.id, outcome: 'succeeded' })])
      expect(await reported.t.store.getContainer('ns-a', c.id)).toMatchObject({ runNumber: 2, state: { running: true, health: 'healthy' } })
    } finally {
      await reported.close()
    }
  })

  it('runs one rollout per container at a time; a push during one follows it, newest last', async () => {
    const r = repo()
    const c = await h.run('ns-a', { image: `${r}:latest`, track: 'true' })
    const first = await h.rollouts.imagePushed(push(r, 'latest', digest('7')))
    const second = await h.rollouts.imagePushed(push(r, 'latest', digest('8')))
    expect(first[0].outcome).toBe('started')
    expect(second[0].outcome).toBe('queued')
    expect(await h.rollouts.advanceAll()).toEqual([expect.objectContaining({ outcome: 'succeeded', digest: digest('7') })])
    expect(await h.rollouts.advanceAll()).toEqual([expect.objectContaining({ outcome: 'succeeded', digest: digest('8') })])
    expect(await h.t.store.getContainer('ns-a', c.id)).toMatchObject({ runNumber: 3, imageDigest: digest('8') })
    const runs = await h.t.store.listRuns(c.id)
    expect(runs.filter((run) => run.lastStatus !== 'STOPPED').map((run) => run.number)).toEqual([3])
  })

  it('gives up when the container is stopped during the rollout, stopping the new run', async () => {
    const r = repo()
    const c = await h.run('ns-a', { image: `${r}:latest`, track: 'true' })
    h.backend.hangOn.add(digest('9'))
    await h.rollouts.imagePushed(push(r, 'latest', digest('9')))
    await h.containers.stop('ns-a', c.id)
    const [result] = await h.rollouts.advanceAll()
    expect(result).toMatchObject({ outcome: 'failed', reason: 'the container was stopped or restarted during the rollout' })
    const newRun = await h.t.store.getRun(c.id, 2)
    expect(h.backend.tasks.get(newRun!.ref!)!.status).toBe('STOPPED')
  })

  it('advances a rollout from its new run state event (onObservation)', async () => {
    const r = repo()
    const c = await h.run('ns-a', { image: `${r}:latest`, track: 'true' })
    h.backend.hangOn.add(digest('a'))
    await h.rollouts.imagePushed(push(r, 'latest', digest('a')))
    const ref = (await h.t.store.getRun(c.id, 2))!.ref!
    const task = h.backend.tasks.get(ref)!
    task.status = 'RUNNING'
    task.version += 1
    task.startedAt = new Date().toISOString()
    const obs = h.backend.observation(ref)
    await h.containers.observe(obs)
    expect(await h.rollouts.onObservation(obs)).toMatchObject({ outcome: 'succeeded', containerId: c.id })
    expect((await h.t.store.getContainer('ns-a', c.id))!.runNumber).toBe(2)
  })

  it('leaves alone containers that do not track the push', async () => {
    const r = repo()
    const untracked = await h.run('ns-a', { image: `${r}:latest` })
    const otherTag = await h.run('ns-a', { image: `${r}:stable`, track: 'true' })
    const older = await h.run('ns-a', { image: `${r}:1.5.0`, track: '^1' })
    const glob = await h.run('ns-a', { image: `${r}:release-1`, track: 'release-*' })
    const otherNs = await h.run('ns-b', { image: `${r}:latest`, track: 'true' })
    const results = await h.rollouts.imagePushed(push(r, 'latest', digest('b'), { namespace: 'ns-a' }), { wait: true })
    expect(results).toEqual([])
    const releases = await h.rollouts.imagePushed(push(r, 'release-2', digest('c')), { wait: true })
    expect(releases.map((x) => x.containerId)).toEqual([glob.id])
    expect(await h.rollouts.imagePushed(push(r, '1.4.9', digest('d')), { wait: true })).toEqual([])
    const newer = await h.rollouts.imagePushed(push(r, '1.6.0', digest('e')), { wait: true })
    expect(newer).toEqual([expect.objectContaining({ containerId: older.id, outcome: 'succeeded' })])
    expect((await h.t.store.getContainer('ns-a', older.id))!.spec.image).toBe(`${r}:1.6.0`)
    for (const c of [untracked, otherTag]) expect((await h.t.store.getContainer('ns-a', c.id))!.runNumber).toBe(1)
    expect((await h.t.store.getContainer('ns-b', otherNs.id))!.runNumber).toBe(1)
  })
})
