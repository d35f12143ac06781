import type { LogLine, LogOptions } from '../../core/ports.js'

const LINE_OVERHEAD_BYTES = 64

/** Approximate memory of one line: its text plus a fixed cost. */
export function lineBytes(line: LogLine): number {
  return line.message.length + line.time.length + LINE_OVERHEAD_BYTES
}

/** Approximate memory of a log. */
export function logBytes(lines: readonly LogLine[]): number {
  return lines.reduce((bytes, line) => bytes + lineBytes(line), 0)
}

/**
 * The complete logs of engine containers that have exited, kept in memory (least recently read
 * out first, within a byte budget) so `docker logs` of a finished run costs no engine call.
 * Only complete logs are kept: the engine drains a container's output and closes its log
 * before it reports the exit (moby's exit handling), and a run is STOPPED in the store only
 * after that report, so such a log never changes.
 */
export class FinishedLogs {
  private readonly entries = new Map<string, { lines: LogLine[]; bytes: number }>()
  /** Logs found over the entry limit (read straight from the engine from then on), the latest 1,000. */
  private readonly tooBig = new Set<string>()
  private total = 0

  constructor(
    readonly budgetBytes = 8 * 1024 * 1024,
    /** A log larger than this is not kept (and reading it for the cache stops there). */
    readonly entryLimitBytes = 1024 * 1024,
  ) {}

  /** Can `options` be answered from a complete log: both streams or one, the last N lines, no time window, no follow. */
  static answers(options: LogOptions): boolean {
    return !options.follow && options.since === undefined && options.until === undefined
  }

  get(ref: string): LogLine[] | undefined {
    const entry = this.entries.get(ref)
    if (!entry) return undefined
    this.entries.delete(ref)
    this.entries.set(ref, entry)
    return entry.lines
  }

  /** Remembers that `ref`'s log is over the entry limit: it is not read for the cache again. */
  markTooBig(ref: string): void {
    this.tooBig.add(ref)
    if (this.tooBig.size > 1000) this.tooBig.delete(this.tooBig.values().next().value!)
  }

  isTooBig(ref: string): boolean {
    return this.tooBig.has(ref)
  }

  set(ref: string, lines: LogLine[]): void {
    const bytes = logBytes(lines)
    if (bytes > this.entryLimitBytes) return this.markTooBig(ref)
    this.delete(ref)
    this.entries.set(ref, { lines, bytes })
    this.total += bytes
    for (const [key, entry] of this.entries) {
      if (this.total <= this.budgetBytes) break
      this.entries.delete(key)
      this.total -= entry.bytes
    }
  }

  delete(ref: string): void {
    this.tooBig.delete(ref)
    const entry = this.entries.get(ref)
    if (!entry) return
    this.entries.delete(ref)
    this.total -= entry.bytes
  }

  /** Bytes held now. */
  get size(): number {
    return this.total
  }
}

/**
 * The lines of a complete log that `options` asks for, as the engine picks them: the last
 * `tail` lines of the log, then the streams asked for.
 */
export function selectLines(lines: readonly LogLine[], options: LogOptions): LogLine[] {
  const stdout = options.stdout ?? true
  const stderr = options.stderr ?? true
  const tail = options.tail === undefined ? lines.length : Math.max(0, Math.floor(options.tail))
  const last = tail === 0 ? [] : lines.slice(-tail)
  return stdout && stderr ? last : last.filter((l) => (l.stream === 'stdout' ? stdout : stderr))
}
