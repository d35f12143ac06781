/**
 * A one-consumer queue between a callback producer (`onProgress`) and an async iterator:
 * `push` items, then `close()` or `close(error)`; iterating ends (or throws) after the items.
 */
export class Channel<T> {
  private readonly items: T[] = []
  private wake?: () => void
  private closed = false
  private error?: unknown
  private pushed = false

  push(item: T): void {
    if (this.closed) return
    this.items.push(item)
    this.pushed = true
    this.wake?.()
  }

  close(error?: unknown): void {
    if (this.closed) return
    this.closed = true
    this.error = error
    this.wake?.()
  }

  /** The error that closed the channel before any item arrived. */
  get failedEarly(): unknown {
    return this.closed && !this.pushed ? this.error : undefined
  }

  /** Resolves once an item is available or the channel is closed. */
  ready(): Promise<void> {
    if (this.items.length > 0 || this.closed) return Promise.resolve()
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined
        resolve()
      }
    })
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      await this.ready()
      const item = this.items.shift()
      if (item !== undefined) {
        yield item
        continue
      }
      if (this.error !== undefined) throw this.error
      return
    }
  }
}
