/** Small dockerode helpers of the local bench. */
import { PassThrough } from 'node:stream'
import type Dockerode from 'dockerode'

/** Prints 10 lines and exits. */
export const LOG_COMMAND = ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do echo "line $i"; done']

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Polls inspect until the container has exited (at most 20 s). */
export async function waitExited(c: Dockerode.Container): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const state = (await c.inspect()).State
    if (!state.Running && state.Status !== 'created') return
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`container ${c.id} did not exit in 20 s`)
}

/** stdout + stderr of a (non-TTY) container, demultiplexed, read to the end. */
export async function logsOf(c: Dockerode.Container): Promise<string> {
  const raw = (await c.logs({ stdout: true, stderr: true, follow: false })) as Buffer | NodeJS.ReadableStream
  if (Buffer.isBuffer(raw)) return demuxBuffer(raw)
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (b: Buffer) => chunks.push(b))
  c.modem.demuxStream(raw, out, out)
  await new Promise<void>((resolve, reject) => {
    raw.on('end', () => resolve())
    raw.on('error', reject)
  })
  return Buffer.concat(chunks).toString()
}

/** Docker's 8-byte frame headers removed from a buffered log answer. */
function demuxBuffer(buf: Buffer): string {
  let out = ''
  for (let i = 0; i + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(i + 4)
    out += buf.subarray(i + 8, i + 8 + size).toString()
    i += 8 + size
  }
  return out
}
