import { InvalidSpecError } from './errors.js'
import { hourlyPrice } from './fargate-prices.js'

/** A valid Fargate task size: CPU in units (1024 = 1 vCPU), memory in MiB. */
export interface FargateSize {
  readonly cpu: number
  readonly memory: number
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = []
  for (let m = from; m <= to; m += step) out.push(m)
  return out
}

/** Every valid Linux CPU/memory pair (aws-facts §1.1). */
export const FARGATE_CPU_MEMORY: ReadonlyArray<{ cpu: number; memory: readonly number[] }> = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: [1024, 2048, 3072, 4096] },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
]

/** All valid pairs, cheapest first (x86 on-demand price; ties by CPU then memory). */
export const FARGATE_SIZES: readonly FargateSize[] = FARGATE_CPU_MEMORY.flatMap(({ cpu, memory }) =>
  memory.map((m) => ({ cpu, memory: m })),
).sort((a, b) => hourlyPrice(a) - hourlyPrice(b) || a.cpu - b.cpu || a.memory - b.memory)

export const DEFAULT_SIZE: FargateSize = { cpu: 256, memory: 512 }
export const MAX_VCPU = 16
export const MAX_MEMORY_MIB = 122880

export function isValidSize(size: { cpu: number; memory: number }): boolean {
  return FARGATE_CPU_MEMORY.some((row) => row.cpu === size.cpu && row.memory.includes(size.memory))
}

/**
 * Maps Docker-style requests (`--cpus` in vCPU, `--memory` in MiB) to the cheapest valid Fargate
 * pair that gives at least both. Neither given → 0.25 vCPU / 512 MiB.
 */
export function toFargateSize(request: { cpus?: number; memoryMiB?: number }): FargateSize {
  const { cpus, memoryMiB } = request
  if (cpus !== undefined && !(cpus > 0)) throw new InvalidSpecError(`cpu must be greater than 0 vCPU (got ${cpus})`)
  if (memoryMiB !== undefined && !(memoryMiB > 0)) {
    throw new InvalidSpecError(`memory must be greater than 0 MiB (got ${memoryMiB})`)
  }
  if (cpus === undefined && memoryMiB === undefined) return DEFAULT_SIZE
  const cpuUnits = cpus === undefined ? 0 : Math.ceil(cpus * 1024 - 1e-9)
  const memory = memoryMiB ?? 0
  const fit = FARGATE_SIZES.find((s) => s.cpu >= cpuUnits && s.memory >= memory)
  if (!fit) {
    throw new InvalidSpecError(
      `No Fargate size gives ${cpus ?? 'any'} vCPU and ${memoryMiB ?? 'any'} MiB: the largest is ${MAX_VCPU} vCPU with ${MAX_MEMORY_MIB} MiB`,
    )
  }
  return fit
}

/** The next larger memory at the same CPU, or the cheapest size with more memory; undefined at the top. */
export function stepUpMemory(size: FargateSize): FargateSize | undefined {
  return FARGATE_SIZES.find((s) => s.cpu >= size.cpu && s.memory > size.memory)
}

export function formatSize(size: FargateSize): string {
  return `${size.cpu / 1024} vCPU / ${size.memory} MiB`
}
