/**
 * The starts this process has in flight, per container. A local engine reports a run's
 * `start` (and, for a fast exit, its `die`) before the start call returns; observations that
 * wait here apply after the start has stored what the runtime answered, so they find the run
 * by its ref and are no-ops, instead of racing the start's own writes. Events that arrive in
 * another process (the events function on AWS) never wait.
 */
export class StartGate {
  private readonly inFlight = new Map<string, Set<Promise<unknown>>>()

  constructor(private readonly maxWaitMs = 30_000) {}

  /** Runs `start` for `containerId`, marked in flight until it settles. */
  track<T>(containerId: string, start: () => Promise<T>): Promise<T> {
    const running = start()
    const marker = running.catch(() => undefined)
    const starts = this.inFlight.get(containerId) ?? new Set()
    starts.add(marker)
    this.inFlight.set(containerId, starts)
    void marker.then(() => {
      starts.delete(marker)
      if (starts.size === 0 && this.inFlight.get(containerId) === starts) this.inFlight.delete(containerId)
    })
    return running
  }

  /** Resolves once no start of `containerId` is in flight (at most maxWaitMs). */
  async settled(containerId: string): Promise<void> {
    const starts = this.inFlight.get(containerId)
    if (!starts?.size) return
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.all(starts), new Promise((resolve) => (timer = setTimeout(resolve, this.maxWaitMs)))])
    clearTimeout(timer)
  }
}
