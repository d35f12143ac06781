import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ManualClock } from '../../support/dynalite.js'
import { problem, startV1, type V1Harness } from './v1-harness.js'

interface EventView {
  type: string
  action: string
  id: string
  time: number
  timeNano: string
  attributes: Record<string, string>
}

let h: V1Harness
let clock: ManualClock
let t0: number
let firstId: string
let secondId: string

beforeAll(async () => {
  // Far in the future so these events are newer than any other suite's in this process.
  clock = new ManualClock(Date.parse('2099-01-01T00:00:00Z'))
  h = await startV1({ clock })
  t0 = clock.now().getTime() / 1000
  firstId = (await h.run({ image: 'busybox', name: 'ev-one', start: false })).id // create @ t0
  clock.advance(100)
  secondId = (await h.run({ image: 'busybox', name: 'ev-two', labels: { team: 'x' } })).id // create, start @ t0+100
  clock.advance(100)
  await h.request('/v1/containers/ev-two/stop', { method: 'POST' }) // stop (and die) @ t0+200
})
afterAll(async () => {
  await h?.close()
})

async function events(query = ''): Promise<EventView[]> {
  const res = await h.request(`/v1/events${query}`)
  const body = await res.text()
  expect(res.status, body).toBe(200)
  expect(res.headers.get('content-type')).toBe('application/x-ndjson')
  return body.trim() ? body.trim().split('\n').map((l) => JSON.parse(l) as EventView) : []
}

describe('GET /v1/events', () => {
  it('returns the namespace\'s events oldest first as NDJSON', async () => {
    const all = await events()
    expect(all.slice(0, 3).map((e) => [e.action, e.id])).toEqual([
      ['create', firstId],
      ['create', secondId],
      ['start', secondId],
    ])
    expect(all.map((e) => e.action)).toContain('stop')
    const nanos = all.map((e) => BigInt(e.timeNano))
    expect(nanos).toEqual([...nanos].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    expect(all[0]).toMatchObject({ type: 'container', time: t0, attributes: { name: 'ev-one', image: 'busybox' } })
    expect(all[1].attributes.team).toBe('x')
  })

  it('filters by since and until in unix seconds or RFC 3339', async () => {
    expect((await events(`?since=${t0 + 50}&until=${t0 + 150}`)).map((e) => e.action)).toEqual(['create', 'start'])
    const iso = (s: number) => encodeURIComponent(new Date(s * 1000).toISOString())
    expect((await events(`?until=${iso(t0 + 50)}`)).map((e) => e.id)).toEqual([firstId])
    expect((await events(`?since=${iso(t0 + 150)}`)).every((e) => e.id === secondId)).toBe(true)
    expect(await events(`?since=${t0 + 1000}`)).toEqual([])
  })

  it('filters by type and action (repeatable)', async () => {
    expect(await events('?type=image')).toEqual([])
    expect((await events('?action=start')).map((e) => e.id)).toEqual([secondId])
    expect((await events('?type=container&action=create&action=stop')).map((e) => e.action).sort()).toEqual(['create', 'create', 'stop'])
  })

  it('follows new events until the client goes away', async () => {
    const res = await h.request(`/v1/events?follow=true&since=${t0}&action=create`)
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const seen: EventView[] = []
    let buffer = ''
    const readUntil = async (done: () => boolean) => {
      while (!done()) {
        const chunk = await reader.read()
        if (chunk.done) throw new Error('stream ended early')
        buffer += new TextDecoder().decode(chunk.value)
        const lines = buffer.split('\n')
        buffer = lines.pop() ?? ''
        for (const l of lines) if (l) seen.push(JSON.parse(l) as EventView)
      }
    }
    await readUntil(() => seen.length >= 2)
    clock.advance(10)
    const third = await h.run({ image: 'busybox', name: 'ev-three', start: false })
    await readUntil(() => seen.some((e) => e.id === third.id))
    expect(seen.map((e) => e.action)).toEqual(['create', 'create', 'create'])
    await reader.cancel()
  })

  it('ends a followed stream once the clock passes until', async () => {
    clock.advance(5)
    const now = clock.now().getTime() / 1000
    const res = await h.request(`/v1/events?follow=true&since=${now}&until=${now + 60}`)
    const body = res.text()
    const fourth = await h.run({ image: 'busybox', name: 'ev-four', start: false })
    clock.advance(61)
    const lines = (await body).trim().split('\n').map((l) => JSON.parse(l) as EventView)
    expect(lines.map((e) => [e.action, e.id])).toEqual([['create', fourth.id]])
  })

  it('answers 400 for bad times and types', async () => {
    const p = await problem(await h.request('/v1/events?since=last-tuesday'), 400, 'invalid_request')
    expect(p.errors?.[0]).toMatchObject({ in: 'query', field: 'since' })
    await problem(await h.request('/v1/events?type=volume'), 400, 'invalid_request')
  })
})
