/** mulberry32: a tiny deterministic 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function hash(label: string): number {
  let h = 2166136261
  for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619)
  return h >>> 0
}

/** Helpers over a seeded uniform source. */
export class Random {
  readonly next: () => number

  constructor(readonly seed: number) {
    this.next = mulberry32(seed)
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  int(min: number, max: number): number {
    return Math.floor(this.uniform(min, max + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = Math.max(this.next(), 1e-12)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  /** A multiplicative noise factor around 1 with relative spread `sigma`, never negative. */
  jitter(sigma: number): number {
    return Math.max(0, 1 + sigma * this.normal())
  }

  /** A generator derived from this seed and a label only, so draws in one workload do not shift the others. */
  fork(label: string): Random {
    return new Random((hash(label) ^ Math.imul(this.seed, 2654435761)) >>> 0)
  }
}
