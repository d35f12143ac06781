/** The outcome of one item of `settleEach`. */
export type Settled<T, R> = { item: T; ok: true; value: R } | { item: T; ok: false; error: unknown }

/**
 * Runs `fn` over `items` with at most `limit` in flight and never rejects: each item's result
 * or error is returned in input order, so one failing item does not stop the others.
 */
export async function settleEach<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<Settled<T, R>[]> {
  const out = new Array<Settled<T, R>>(items.length)
  let next = 0
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++
      const item = items[i]
      try {
        out[i] = { item, ok: true, value: await fn(item) }
      } catch (error) {
        out[i] = { item, ok: false, error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  return out
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
