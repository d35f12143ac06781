import type { LogLine } from '../../core/ports.js'

/** Docker's stream ids in the multiplexed format. */
export const STDOUT = 1
export const STDERR = 2
/** A daemon error: `docker logs` prints "error from daemon in stream: …" and exits 1. */
export const SYSTEMERR = 3

/** Content types the engine (API ≥ 1.42) uses; the CLI decides framing from Config.Tty. */
export const MULTIPLEXED = 'application/vnd.docker.multiplexed-stream'
export const RAW_STREAM = 'application/vnd.docker.raw-stream'

const encoder = new TextEncoder()

/** One multiplexed frame: [stream, 0, 0, 0, uint32 big-endian length] + payload. */
export function frame(stream: number, payload: Uint8Array | string): Uint8Array {
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload
  const out = new Uint8Array(8 + body.length)
  out[0] = stream
  new DataView(out.buffer).setUint32(4, body.length, false)
  out.set(body, 8)
  return out
}

/**
 * Go's RFC3339Nano: fractional seconds without trailing zeros (and no dot when they are all
 * zero), in UTC. Nanosecond digits in the input are kept.
 */
export function rfc3339Nano(iso: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso)
  if (!m) {
    const t = Date.parse(iso)
    return Number.isNaN(t) ? iso : rfc3339Nano(new Date(t).toISOString())
  }
  const frac = (m[2] ?? '').slice(0, 9).replace(/0+$/, '')
  return `${m[1]}${frac ? `.${frac}` : ''}Z`
}

/** A log line as the engine sends it: framed unless the container has a TTY. */
export function encodeLogLine(line: LogLine, options: { tty: boolean; timestamps: boolean }): Uint8Array {
  const text = `${options.timestamps ? `${rfc3339Nano(line.time)} ` : ''}${line.message}\n`
  if (options.tty) return encoder.encode(text)
  return frame(line.stream === 'stderr' ? STDERR : STDOUT, text)
}

/** An error after the headers went out: a systemerr frame, or plain text on a TTY stream. */
export function encodeStreamError(message: string, tty: boolean): Uint8Array {
  return tty ? encoder.encode(`\nError: ${message}\n`) : frame(SYSTEMERR, message)
}
