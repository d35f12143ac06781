import { BackendError } from '../../core/errors.js'
import type { LogLine } from '../../core/ports.js'

const HEADER = 8
const NEWLINE = 0x0a
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/

interface Pending {
  time: string
  parts: Buffer[]
}

/** The decoding an engine log answer's Content-Type names (API ≥ 1.42), else `auto`. */
export function logModeOf(contentType: string | undefined): 'framed' | 'raw' | 'auto' {
  if (contentType?.includes('multiplexed-stream')) return 'framed'
  if (contentType?.includes('raw-stream')) return 'raw'
  return 'auto'
}

/**
 * Turns the engine's log stream (requested with timestamps=1) into LogLines.
 * Framed mode (Tty=false) reads the 8-byte headers of docker-engine-api §1.4: byte 0 is the
 * stream (0/1 stdout, 2 stderr, 3 an engine error), bytes 4-7 the big-endian payload length.
 * Raw mode (Tty=true) is one stdout byte stream. Each payload starts with the entry's
 * RFC 3339 time and a space; lines are split on `\n` and a partial line is kept, per stream,
 * until its newline arrives (or flush()); a line takes the time of its first piece.
 */
export class LogDecoder {
  private buffer: Buffer = Buffer.alloc(0)
  private readonly pending = new Map<LogLine['stream'], Pending>()

  /**
   * `auto` decides on the first byte: a frame starts with its stream byte (0-3), a raw entry
   * with its timestamp's first digit.
   */
  constructor(private mode: 'framed' | 'raw' | 'auto') {}

  /** Feeds bytes; returns the lines they complete. Throws BackendError on an engine error frame. */
  push(chunk: Buffer): LogLine[] {
    const out: LogLine[] = []
    if (this.mode === 'auto') {
      if (!chunk.length) return out
      this.mode = chunk[0] <= 3 ? 'framed' : 'raw'
    }
    if (this.mode === 'raw') {
      this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
      let nl: number
      while ((nl = this.buffer.indexOf(NEWLINE)) >= 0) {
        out.push(this.entryLine('stdout', this.buffer.subarray(0, nl + 1)))
        this.buffer = this.buffer.subarray(nl + 1)
      }
      return out
    }
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
    while (this.buffer.length >= HEADER) {
      const length = this.buffer.readUInt32BE(4)
      if (this.buffer.length < HEADER + length) break
      const kind = this.buffer[0]
      const payload = this.buffer.subarray(HEADER, HEADER + length)
      this.buffer = this.buffer.subarray(HEADER + length)
      if (kind === 3) throw new BackendError(`engine log stream error: ${payload.toString('utf8').trim()}`)
      this.entry(kind === 2 ? 'stderr' : 'stdout', payload, out)
    }
    return out
  }

  /** Ends the stream: partial lines become lines. */
  flush(): LogLine[] {
    const out: LogLine[] = []
    if (this.mode === 'raw' && this.buffer.length) out.push(this.entryLine('stdout', this.buffer))
    this.buffer = Buffer.alloc(0)
    for (const [stream, p] of this.pending) out.push(line(stream, p.time, Buffer.concat(p.parts)))
    this.pending.clear()
    return out
  }

  private entryLine(stream: LogLine['stream'], bytes: Buffer): LogLine {
    const { time, body } = splitTimestamp(bytes)
    return line(stream, time, body)
  }

  private entry(stream: LogLine['stream'], payload: Buffer, out: LogLine[]): void {
    const { time, body } = splitTimestamp(payload)
    let rest = body
    let nl: number
    while ((nl = rest.indexOf(NEWLINE)) >= 0) {
      const p = this.pending.get(stream)
      this.pending.delete(stream)
      const piece = rest.subarray(0, nl)
      out.push(line(stream, p?.time ?? time, p ? Buffer.concat([...p.parts, piece]) : piece))
      rest = rest.subarray(nl + 1)
    }
    if (rest.length) {
      const p = this.pending.get(stream)
      if (p) p.parts.push(rest)
      else this.pending.set(stream, { time, parts: [rest] })
    }
  }
}

function splitTimestamp(bytes: Buffer): { time: string; body: Buffer } {
  const space = bytes.indexOf(0x20)
  if (space > 0 && space <= 40) {
    const candidate = bytes.subarray(0, space).toString('latin1')
    if (TIMESTAMP.test(candidate)) return { time: candidate, body: bytes.subarray(space + 1) }
  }
  return { time: new Date().toISOString(), body: bytes }
}

function line(stream: LogLine['stream'], time: string, bytes: Buffer): LogLine {
  let message = bytes.toString('utf8')
  if (message.endsWith('\n')) message = message.slice(0, -1)
  if (message.endsWith('\r')) message = message.slice(0, -1)
  return { stream, time, message }
}
