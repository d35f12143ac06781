export interface LifetimeInput {
  /** Seconds; undefined means no limit. */
  maxLifetime?: number
  /** When the run started, unix seconds. */
  startedAt: number
  /** Unix seconds. */
  now: number
}

export type LifetimeVerdict =
  | { expired: false; deadline?: number; remaining?: number }
  | { expired: true; deadline: number }

/** A run expires at startedAt + maxLifetime, whatever it is doing. */
export function evaluateLifetime({ maxLifetime, startedAt, now }: LifetimeInput): LifetimeVerdict {
  if (maxLifetime === undefined) return { expired: false }
  const deadline = startedAt + maxLifetime
  if (now >= deadline) return { expired: true, deadline }
  return { expired: false, deadline, remaining: deadline - now }
}
