import { describe, expect, it } from 'vitest'
import { simulate } from '../../../bench/cost/simulator.js'
import { formatTrace, parseTrace } from '../../../bench/cost/trace.js'
import { generateTrace } from '../../../bench/cost/trace-generator.js'

describe('the default trace (seed 1, 7 days): the figures bench/README.md reports', () => {
  const result = simulate(parseTrace(formatTrace(generateTrace())))
  const { total } = result

  it('saves at least 40% with no harm after lifetime stops', () => {
    expect(total.savingPercent).toBeGreaterThanOrEqual(40)
    expect(total.harm.lifetimeMinutes).toBe(0)
  })

  it('costs exactly one active minute per restart after an idle stop (the 60 s restart)', () => {
    expect(total.harm.idleMinutes).toBe(total.restartsAfterIdle)
  })

  it('has one OOM caused by resizing: the weekly reindex no 24 h lookback sees; memory then steps up', () => {
    expect(total.harm.oomSamplesFromResize).toBe(1)
    expect(total.oomKills).toBe(1)
    const indexer = result.containers.find((c) => c.name === 'search-indexer')!
    expect(indexer.harm.oomSamplesFromResize).toBe(1)
    expect(indexer.sizes.at(-1)!.memory).toBeGreaterThan(indexer.sizes.at(-2)!.memory)
  })
})
