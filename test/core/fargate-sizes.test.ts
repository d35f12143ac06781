import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hourlyPrice } from '../../shared/core/fargate-prices.js'
import { FARGATE_SIZES, isValidSize, stepUpMemory, toFargateSize, DEFAULT_SIZE } from '../../shared/core/fargate-sizes.js'

describe('Fargate size table', () => {
  it('holds every valid Linux pair from the AWS table, including 8 and 16 vCPU', () => {
    expect(FARGATE_SIZES).toHaveLength(3 + 4 + 7 + 13 + 23 + 12 + 12)
    expect(isValidSize({ cpu: 8192, memory: 16384 })).toBe(true)
    expect(isValidSize({ cpu: 8192, memory: 18432 })).toBe(false) // 8 vCPU steps by 4096
    expect(isValidSize({ cpu: 16384, memory: 122880 })).toBe(true)
    expect(isValidSize({ cpu: 256, memory: 4096 })).toBe(false)
  })

  it('maps no request to the smallest size', () => {
    expect(toFargateSize({})).toEqual(DEFAULT_SIZE)
  })

  it('rounds Docker --cpus/--memory up to the cheapest pair', () => {
    expect(toFargateSize({ cpus: 0.5, memoryMiB: 256 })).toEqual({ cpu: 512, memory: 1024 })
    expect(toFargateSize({ memoryMiB: 3000 })).toEqual({ cpu: 512, memory: 3072 })
    expect(toFargateSize({ cpus: 1.5 })).toEqual({ cpu: 2048, memory: 4096 })
    expect(toFargateSize({ cpus: 16, memoryMiB: 122880 })).toEqual({ cpu: 16384, memory: 122880 })
  })

  it('refuses what no Fargate size gives, saying the largest', () => {
    expect(() => toFargateSize({ cpus: 17 })).toThrow(/largest is 16 vCPU/)
    expect(() => toFargateSize({ memoryMiB: 200_000 })).toThrow(/122880 MiB/)
    expect(() => toFargateSize({ cpus: 0 })).toThrow(/greater than 0/)
  })

  it('property: the result is valid, covers the request and no valid pair is cheaper', () => {
    fc.assert(
      fc.property(
        fc.option(fc.double({ min: 0.01, max: 16, noNaN: true }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 122880 }), { nil: undefined }),
        (cpus, memoryMiB) => {
          const size = toFargateSize({ cpus, memoryMiB })
          expect(isValidSize(size)).toBe(true)
          if (cpus !== undefined) expect(size.cpu).toBeGreaterThanOrEqual(Math.ceil(cpus * 1024 - 1e-9))
          if (memoryMiB !== undefined) expect(size.memory).toBeGreaterThanOrEqual(memoryMiB)
          const cheaper = FARGATE_SIZES.filter(
            (s) => hourlyPrice(s) < hourlyPrice(size) && s.cpu >= Math.ceil((cpus ?? 0) * 1024 - 1e-9) && s.memory >= (memoryMiB ?? 0),
          )
          expect(cheaper).toEqual([])
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('property: stepping memory up gives a valid, larger size with at least the CPU', () => {
    for (const size of FARGATE_SIZES) {
      const up = stepUpMemory(size)
      if (size.memory === 122880) {
        expect(up).toBeUndefined()
        continue
      }
      expect(up && isValidSize(up)).toBe(true)
      expect(up!.memory).toBeGreaterThan(size.memory)
      expect(up!.cpu).toBeGreaterThanOrEqual(size.cpu)
    }
  })
})
