import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Run } from '../../../shared/core/model.js'
import type { UsageSample } from '../../../shared/core/ports.js'
import {
  appendUsageSamples,
  hourOf,
  listUsageSamples,
  MAX_SAMPLES_PER_RECORD,
  readUsageSamples,
  usageKeyOf,
  USAGE_KIND,
} from '../../../shared/core/usage/usage-records.js'
import { PolledUsageSource, StoredUsageSource, usageSourceFor } from '../../../shared/core/usage/usage-source.js'
import { ManualClock, startTestStore, type TestStore } from '../../support/dynalite.js'
import { FakeBackend } from '../../support/fake-backend.js'

const clock = new ManualClock(Date.parse('2026-03-02T10:00:00Z'))
let ts: TestStore
beforeAll(async () => {
  ts = await startTestStore({ clock })
})
afterAll(async () => ts.close())

const H = Date.parse('2026-03-02T10:00:00Z') / 1000
const s = (time: number, cpuUnits = 10): UsageSample => ({ time, cpuUnits, memoryMiB: 100, networkBytesPerSec: 5 })

describe('usage records', () => {
  it('keys a run by its short runtime id', () => {
    expect(usageKeyOf('arn:aws:ecs:us-east-1:123456789012:task/fargated/0123abcd')).toBe('0123abcd')
    expect(usageKeyOf('e'.repeat(64))).toBe('e'.repeat(64))
  })

  it('stores samples per hour, reads a range across hours, oldest first', async () => {
    const key = 'task-a'
    const added = await appendUsageSamples(ts.store, key, [s(H + 3540), s(H + 3600), s(H + 60), s(H + 7200)])
    expect(added).toBe(4)
    expect((await ts.store.listRecords(USAGE_KIND, key)).length).toBe(3)
    const read = await readUsageSamples(ts.store, key, H + 60, H + 3600)
    expect(read.map((x) => x.time)).toEqual([H + 60, H + 3540, H + 3600])
    expect((await listUsageSamples(ts.store, key, 0, Infinity)).map((x) => x.time)).toEqual([H + 60, H + 3540, H + 3600, H + 7200])
  })

  it('merges appends, replacing a sample with the same time, and drops invalid ones', async () => {
    const key = 'task-b'
    await appendUsageSamples(ts.store, key, [s(H), s(H + 60)])
    const added = await appendUsageSamples(ts.store, key, [s(H + 60, 99), s(H + 120), { ...s(H + 180), cpuUnits: Number.NaN }, { ...s(H + 240), memoryMiB: -1 }])
    expect(added).toBe(1)
    const read = await readUsageSamples(ts.store, key, H, H + 3599)
    expect(read.map((x) => [x.time, x.cpuUnits])).toEqual([[H, 10], [H + 60, 99], [H + 120, 10]])
  })

  it('keeps at most MAX_SAMPLES_PER_RECORD per hour, newest kept', async () => {
    const key = 'task-c'
    const many = Array.from({ length: MAX_SAMPLES_PER_RECORD + 50 }, (_, i) => s(H + i * 4))
    await appendUsageSamples(ts.store, key, many)
    const read = await readUsageSamples(ts.store, key, H, H + 3599)
    expect(read).toHaveLength(MAX_SAMPLES_PER_RECORD)
    expect(read.at(-1)?.time).toBe(H + (MAX_SAMPLES_PER_RECORD + 49) * 4)
    expect(hourOf(H + 3599)).toBe(H)
  })

  it('expires records after the TTL', async () => {
    const key = 'task-d'
    await appendUsageSamples(ts.store, key, [s(H)], { ttlSeconds: 60 })
    clock.advance(61)
    expect(await readUsageSamples(ts.store, key, H, H + 10)).toEqual([])
  })
})

describe('usage sources', () => {
  const run = (ref: string): Run => ({
    containerId: 'c'.repeat(64),
    namespace: 'default',
    number: 1,
    backend: 'docker',
    ref,
    size: { cpu: 256, memory: 512 },
    image: 'busybox',
    capacity: 'on-demand',
    lastStatus: 'RUNNING',
    createdAt: new Date(H * 1000).toISOString(),
    startedAt: new Date(H * 1000).toISOString(),
    eventVersion: 1,
  })

  it('polls the backend once per collect and stores what it returns', async () => {
    const backend = Object.assign(new FakeBackend(), {
      kind: 'docker' as const,
      polls: 0,
      async usage(this: { polls: number }, _run: Run, since: number) {
        this.polls++
        return [s(since + this.polls * 30)]
      },
    })
    const source = usageSourceFor(ts.store, backend)
    expect(source).toBeInstanceOf(PolledUsageSource)
    const r = run('e'.repeat(64))
    const stopped = { ...run('f'.repeat(64)), lastStatus: 'STOPPED' as const }
    const out = await source.collect!([r, stopped], H + 100)
    expect(out).toEqual({ polled: 1, stored: 1, errors: [] })
    await source.collect!([r], H + 130)
    expect((await source.samples(r, H, H + 3600)).map((x) => x.time)).toEqual([H + 30, H + 60])
  })

  it('reports a failing poll per run without failing the others', async () => {
    const backend = Object.assign(new FakeBackend(), {
      kind: 'docker' as const,
      async usage(r: Run) {
        if (r.ref === 'bad') throw new Error('engine gone')
        return [s(H + 5)]
      },
    })
    const out = await new PolledUsageSource(ts.store, backend).collect([run('bad'), run('good')], H)
    expect(out.stored).toBe(1)
    expect(out.errors).toEqual([{ ref: 'bad', message: 'engine gone' }])
  })

  it('reads stored samples only for the ECS backend (no runtime call)', async () => {
    expect(usageSourceFor(ts.store, new FakeBackend())).toBeInstanceOf(StoredUsageSource)
    expect(usageSourceFor(ts.store, new FakeBackend())).not.toBeInstanceOf(PolledUsageSource)
  })
})
