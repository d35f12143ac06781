import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidRequestError } from '../../shared/core/errors.js'
import type { DomainEvent } from '../../shared/core/model.js'
import { EVENT_TTL_SECONDS } from '../../shared/store/events.js'
import { ManualClock, startTestStore, type TestStore } from '../support/dynalite.js'
import { uniqueNamespace } from './fixtures.js'

const clock = new ManualClock()
let t: TestStore
beforeAll(async () => {
  t = await startTestStore({ clock })
})
afterAll(() => t.close())

const event = (namespace: string, timeNano: string, overrides: Partial<DomainEvent> = {}): DomainEvent => ({
  namespace,
  timeNano,
  type: 'container',
  action: 'start',
  id: 'a'.repeat(64),
  attributes: { name: 'web', image: 'nginx:1.27', 'com.example.empty': '' },
  ...overrides,
})

// Different digit counts: lexical order of the raw strings would put 900 after 1000.
const TIMES = ['7', '900', '1000', '1735689600000000000', '1735689600000000001', '1735689700000000000']

async function seed(): Promise<string> {
  const namespace = uniqueNamespace()
  for (const time of [...TIMES].reverse()) await t.store.appendEvent(event(namespace, time))
  await t.store.appendEvent(event(uniqueNamespace(), '950'))
  return namespace
}

const times = (events: DomainEvent[]) => events.map((e) => e.timeNano)

describe('appendEvent / listEvents', () => {
  it('round-trips an event and lists the namespace in numeric time order', async () => {
    const namespace = await seed()
    const listed = await t.store.listEvents(namespace)
    expect(times(listed)).toEqual(TIMES)
    expect(listed[0]).toStrictEqual(event(namespace, '7'))
  })

  it('filters by an inclusive since/until range', async () => {
    const namespace = await seed()
    expect(times(await t.store.listEvents(namespace, '900', '1735689600000000000'))).toEqual(TIMES.slice(1, 4))
    expect(times(await t.store.listEvents(namespace, '901'))).toEqual(TIMES.slice(2))
    expect(times(await t.store.listEvents(namespace, undefined, '1000'))).toEqual(TIMES.slice(0, 3))
    expect(times(await t.store.listEvents(namespace, '1735689600000000001', '1735689600000000001'))).toEqual([TIMES[4]])
    expect(await t.store.listEvents(namespace, '1000', '999')).toEqual([])
  })

  it('keeps two events of the same nanosecond', async () => {
    const namespace = uniqueNamespace()
    await t.store.appendEvent(event(namespace, '500', { action: 'die' }))
    await t.store.appendEvent(event(namespace, '500', { action: 'stop' }))
    expect((await t.store.listEvents(namespace, '500', '500')).map((e) => e.action).sort()).toEqual(['die', 'stop'])
  })

  it('stores the same event twice as one', async () => {
    const namespace = uniqueNamespace()
    await t.store.appendEvent(event(namespace, '42'))
    await t.store.appendEvent(event(namespace, '42'))
    expect(await t.store.listEvents(namespace)).toHaveLength(1)
  })

  it('drops events after 7 days', async () => {
    const namespace = uniqueNamespace()
    await t.store.appendEvent(event(namespace, '1'))
    clock.advance(EVENT_TTL_SECONDS - 1)
    await t.store.appendEvent(event(namespace, '2'))
    expect(times(await t.store.listEvents(namespace))).toEqual(['1', '2'])
    clock.advance(1)
    expect(times(await t.store.listEvents(namespace))).toEqual(['2'])
  })

  it('rejects a timeNano that is not a nanosecond count', async () => {
    await expect(t.store.appendEvent(event(uniqueNamespace(), '1.5'))).rejects.toThrow(InvalidRequestError)
    await expect(t.store.listEvents(uniqueNamespace(), '-1')).rejects.toThrow(InvalidRequestError)
  })
})
