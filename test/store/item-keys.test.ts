import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { eventSortKey, padTimeNano, TIME_NANO_DIGITS } from '../../shared/store/item-keys.js'

const nanos = fc.bigInt({ min: 0n, max: 10n ** BigInt(TIME_NANO_DIGITS) - 1n }).map(String)
const sign = (n: number) => Math.sign(n)
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

describe('event sort keys', () => {
  it('order lexically exactly as their times order numerically', () => {
    fc.assert(
      fc.property(nanos, nanos, fc.string(), fc.string(), (a, b, idA, idB) => {
        const numeric = sign(Number(BigInt(a) - BigInt(b)))
        expect(compare(padTimeNano(a), padTimeNano(b))).toBe(numeric)
        if (numeric !== 0) expect(compare(eventSortKey(a, idA, 'start'), eventSortKey(b, idB, 'die'))).toBe(numeric)
      }),
    )
  })

  it('fall inside [pad(since), pad(until) + "~"] exactly when since ≤ time ≤ until', () => {
    fc.assert(
      fc.property(nanos, nanos, nanos, fc.string(), (time, since, until, id) => {
        const key = eventSortKey(time, id, 'start')
        const inside = key >= padTimeNano(since) && key <= padTimeNano(until) + '~'
        expect(inside).toBe(BigInt(since) <= BigInt(time) && BigInt(time) <= BigInt(until))
      }),
    )
  })

  it('refuse anything but 1-20 digits', () => {
    for (const bad of ['', '-1', '1.5', '1e9', ' 1', '1'.repeat(21)]) expect(() => padTimeNano(bad)).toThrow(/timeNano/)
  })
})
