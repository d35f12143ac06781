import { describe, expect, it } from 'vitest'
import { simulate } from '../../../bench/cost/simulator.js'
import { formatTrace, parseTrace } from '../../../bench/cost/trace.js'
import { generateTrace } from '../../../bench/cost/trace-generator.js'

/**
 * The targets on the generated fleet (seed 1). 14 days rather than the default 28 to
 * keep the test short; it still holds two weekly reindexes, the second one after a full week
 * of history.
 */
describe('the generated trace (seed 1, 14 days): the targets bench/README.md reports', () => {
  const result = simulate(parseTrace(formatTrace(generateTrace({ seed: 1, days: 14 }))))
  const { total } = result
  const named = (name: string) => result.containers.find((c) => c.name === name)!

  it('saves at least 40%', () => {
    expect(total.savingPercent).toBeGreaterThanOrEqual(40)
  })

  it('cuts off no work: zero harm minutes from idle and lifetime stops', () => {
    expect(total.idleStops).toBeGreaterThan(0)
    expect(total.harm.idleMinutes).toBe(0)
    expect(total.harm.lifetimeMinutes).toBe(0)
  })

  it('makes every dev-box and notebook return wait for its start, 60 s each, and shows it', () => {
    expect(total.restartWaits.count).toBeGreaterThan(0)
    expect(total.restartWaits.minutes).toBe(total.restartWaits.count)
    expect(named('devbox-alice').restartWaits.count).toBeGreaterThan(0)
    expect(named('notebook').restartWaits.count).toBeGreaterThan(0)
  })

  it('has no OOM caused by resizing: the weekly reindex keeps its memory', () => {
    expect(total.harm.oomSamplesFromResize).toBe(0)
    expect(total.oomKills).toBe(0)
    const indexer = named('search-indexer')
    expect(indexer.sizes.every((s) => s.memory >= 3072)).toBe(true)
    expect(indexer.resizes).toBeGreaterThan(0)
  })

  it('still shrinks memory once a week of usage is seen', () => {
    const admin = named('admin-panel')
    expect(admin.sizes.at(-1)!.memory).toBeLessThan(admin.requested.memory)
    const shrink = result.events.find((e) => e.container === 'admin-panel' && e.kind === 'resize' && e.size!.memory < e.from!.memory)!
    expect(shrink.time - result.window.start).toBeGreaterThanOrEqual(7 * 86_400)
  })
})
