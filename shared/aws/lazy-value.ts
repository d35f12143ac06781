/**
 * A value built once on first use and reused by warm Lambda invocations; a failed build is
 * retried on the next call. Tests replace the factory (or the value) with `override`.
 */
export class LazyValue<T> {
  private value: Promise<T> | undefined

  constructor(private readonly defaultFactory: () => Promise<T>, private factory = defaultFactory) {}

  get(): Promise<T> {
    this.value ??= this.factory().catch((err: unknown) => {
      this.value = undefined
      throw err
    })
    return this.value
  }

  /** A value, a factory, or undefined to go back to the default factory. */
  override(replacement: T | (() => Promise<T>) | undefined): void {
    this.factory = replacement === undefined ? this.defaultFactory
      : typeof replacement === 'function' ? (replacement as () => Promise<T>)
      : async () => replacement
    this.value = undefined
  }
}
