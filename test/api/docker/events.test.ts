import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DomainEvent } from '../../../shared/core/model.js'
import { dockerEventJson, eventMatcher } from '../../../shared/api/docker/events-routes.js'
import { startApiHarness } from '../../support/api-harness.js'
import { ManualClock } from '../../support/dynalite.js'
import { dockerCreate, dockerRun, finishTask, readUntil, startDockerHarness } from './docker-harness.js'

let h: Awaited<ReturnType<typeof startDockerHarness>>
let start: number
beforeAll(async () => {
  h = await startDockerHarness()
  start = Date.now() / 1000 - 1
})
afterAll(async () => h.close())

type Event = { status: string; id: string; from?: string; Type: string; Action: string; Actor: { ID: string; Attributes: Record<string, string> }; scope: string; time: number; timeNano: number }

function parseLines(text: string): Event[] {
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Event)
}

const event = (over: Partial<DomainEvent> = {}): DomainEvent => ({
  namespace: 'default',
  timeNano: '1795966792935580090',
  type: 'container',
  action: 'create',
  id: 'c'.repeat(64),
  attributes: { name: 'rt-full', image: 'local/busybox:1', app: 'web' },
  ...over,
})

describe('event JSON', () => {
  it('has the new-style and legacy fields, with exact int64 time and timeNano', () => {
    const text = dockerEventJson(event())
    expect(text.endsWith('}\n')).toBe(true)
    expect(text).toContain('"time":1795966792,"timeNano":1795966792935580090}')
    expect(JSON.parse(text)).toMatchObject({
      status: 'create',
      id: 'c'.repeat(64),
      from: 'local/busybox:1',
      Type: 'container',
      Action: 'create',
      Actor: { ID: 'c'.repeat(64), Attributes: { name: 'rt-full', image: 'local/busybox:1', app: 'web' } },
      scope: 'local',
    })
  })

  it('matches filters server-side: ORed within a key, ANDed across keys', () => {
    const match = (f: Record<string, string[]>, e = event()) => eventMatcher(f)(e)
    expect(match({ event: ['die', 'create'] })).toBe(true)
    expect(match({ event: ['die'] })).toBe(false)
    expect(match({ container: ['rt-full'] })).toBe(true)
    expect(match({ container: ['cccccc'] })).toBe(true)
    expect(match({ container: ['other'] })).toBe(false)
    expect(match({ label: ['app=web'], type: ['container'] })).toBe(true)
    expect(match({ label: ['app=db'] })).toBe(false)
    expect(match({ image: ['local/busybox'] })).toBe(true)
    expect(match({ image: ['local/busybox:2'] })).toBe(false)
    expect(match({ type: ['image'] })).toBe(false)
  })
})

describe('GET /events', () => {
  it('with since and until returns the lifecycle in order and closes', async () => {
    const { id, ref } = await dockerRun(h, 'ev1', { Labels: { tier: 'front' } })
    await finishTask(h, ref, 3)
    const until = Date.now() / 1000 + 0.001
    const res = await h.request(`/v1.44/events?since=${start}&until=${until}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json')
    const events = parseLines(await res.text()).filter((e) => e.id === id)
    expect(events.map((e) => e.Action)).toEqual(['create', 'start', 'die'])
    const die = events[2]
    expect(die.Actor.Attributes).toMatchObject({ name: 'ev1', image: 'busybox', tier: 'front', exitCode: '3', reason: 'exited' })
    expect(Number.isInteger(die.time)).toBe(true)
    expect(String(die.timeNano)).toMatch(/^\d{19}$/)
  })

  it('applies filters (the CLI filters nothing itself)', async () => {
    const { ref } = await dockerRun(h, 'ev2')
    await finishTask(h, ref, 1)
    const filters = encodeURIComponent(JSON.stringify({ event: { die: true }, container: { ev2: true } }))
    const res = await h.request(`/v1.44/events?since=${start}&until=${Date.now() / 1000}&filters=${filters}`)
    const events = parseLines(await res.text())
    expect(events.map((e) => [e.Action, e.Actor.Attributes.name])).toEqual([['die', 'ev2']])
    expect((await h.request('/v1.44/events?filters=%7B%22nope%22%3A%7B%22x%22%3Atrue%7D%7D')).status).toBe(400)
  })

  it('without until streams new events as they happen, from now on', async () => {
    await dockerCreate(h, 'ev-before')
    const res = await h.request('/v1.44/events')
    expect(res.status).toBe(200)
    const reading = readUntil(res, (text) => text.includes('"ev-after"'))
    await dockerCreate(h, 'ev-after')
    const events = parseLines(await reading)
    expect(events.map((e) => e.Actor.Attributes.name)).toEqual(['ev-after'])
  })

})

describe('GET /events with an until in the future', () => {
  it('keeps streaming until the clock passes it, then closes', async () => {
    // Later than any real time: event times are kept increasing across the process (event-log.ts).
    const clock = new ManualClock(Date.parse('2040-01-01T00:00:00Z'))
    const m = await startApiHarness({ clock, pollIntervalMs: 10 })
    try {
      const until = clock.now().getTime() / 1000 + 60
      const res = await m.request(`/v1.44/events?until=${until}`)
      const text = res.text()
      await m.containers.create('default', { spec: { image: 'busybox' }, name: 'ev-window' })
      clock.advance(61)
      const events = parseLines(await text)
      expect(events.map((e) => e.Actor.Attributes.name)).toEqual(['ev-window'])
    } finally {
      await m.close()
    }
  })
})
