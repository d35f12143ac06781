import { describe, expect, it } from 'vitest'
import { evaluateStop } from '../../../shared/core/policies/stop-policy.js'
import type { UsageSample } from '../../../shared/core/ports.js'
import { parseSpec } from '../../../shared/core/spec.js'

const T0 = 1_700_000_000
const size = { cpu: 512, memory: 1024 }
const quiet: UsageSample[] = Array.from({ length: 180 }, (_, i) => ({ time: T0 + i * 60, cpuUnits: 1, memoryMiB: 100, networkBytesPerSec: 10 }))

describe('evaluateStop', () => {
  it('reads the policies from fargated.* labels and stops an idle run with a reason', () => {
    const spec = parseSpec({ image: 'nginx', labels: { 'fargated.idle': '30m', 'fargated.idle-grace': '0' } })
    expect(evaluateStop({ spec, size, startedAt: T0, now: T0 + 1799, samples: quiet })).toBeUndefined()
    expect(evaluateStop({ spec, size, startedAt: T0, now: T0 + 1800, samples: quiet })).toEqual({
      cause: 'idle',
      reason: 'idle for 30m (CPU ≤ 2% of 0.5 vCPU / 1024 MiB, network ≤ 1024 B/s)',
    })
  })

  it('checks the max lifetime first, even for a busy run with no samples', () => {
    const spec = parseSpec({ image: 'nginx', labels: { 'fargated.idle': '30m', 'fargated.max-lifetime': '2h' } })
    expect(evaluateStop({ spec, size, startedAt: T0, now: T0 + 7200, samples: [] })).toEqual({ cause: 'lifetime', reason: 'reached its max lifetime of 2h' })
    expect(evaluateStop({ spec, size, startedAt: T0, now: T0 + 7200, samples: quiet })?.cause).toBe('lifetime')
  })

  it('leaves a run without policies running', () => {
    expect(evaluateStop({ spec: parseSpec({ image: 'nginx' }), size, startedAt: T0, now: T0 + 86400, samples: quiet })).toBeUndefined()
  })
})
