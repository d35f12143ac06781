import { describe, expect, it } from 'vitest'
import { LogDecoder, logModeOf } from '../../../shared/backends/docker/log-decoder.js'

const T1 = '2026-11-29T15:40:01.590881316Z'
const T2 = '2026-11-29T15:40:02.000000001Z'

function frame(stream: number, payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8')
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(body.length, 4)
  return Buffer.concat([header, body])
}

describe('LogDecoder (framed, Tty=false)', () => {
  it('separates stdout and stderr frames and strips the timestamp', () => {
    const d = new LogDecoder('framed')
    const lines = d.push(Buffer.concat([frame(1, `${T1} hello-out\n`), frame(2, `${T2} hello-err\n`)]))
    expect(lines).toEqual([
      { stream: 'stdout', time: T1, message: 'hello-out' },
      { stream: 'stderr', time: T2, message: 'hello-err' },
    ])
    expect(d.flush()).toEqual([])
  })

  it('reassembles a frame split across chunks at any byte', () => {
    const bytes = Buffer.concat([frame(1, `${T1} tick\n`), frame(2, `${T2} tock\n`)])
    for (let cut = 1; cut < bytes.length; cut++) {
      const d = new LogDecoder('framed')
      const lines = [...d.push(bytes.subarray(0, cut)), ...d.push(bytes.subarray(cut)), ...d.flush()]
      expect(lines.map((l) => `${l.stream}:${l.message}`)).toEqual(['stdout:tick', 'stderr:tock'])
    }
  })

  it('keeps a partial line per stream until its newline, with the time of its first piece', () => {
    const d = new LogDecoder('framed')
    expect(d.push(frame(1, `${T1} par`))).toEqual([])
    expect(d.push(frame(2, `${T1} err-line\n`))).toEqual([{ stream: 'stderr', time: T1, message: 'err-line' }])
    expect(d.push(frame(1, `${T2} tial\n`))).toEqual([{ stream: 'stdout', time: T1, message: 'partial' }])
  })

  it('flushes a last line without a newline', () => {
    const d = new LogDecoder('framed')
    expect(d.push(frame(1, `${T1} no-newline`))).toEqual([])
    expect(d.flush()).toEqual([{ stream: 'stdout', time: T1, message: 'no-newline' }])
  })

  it('keeps multi-byte characters split across frames intact', () => {
    const d = new LogDecoder('framed')
    const text = Buffer.from('héllo', 'utf8')
    const a = Buffer.concat([Buffer.from(`${T1} `), text.subarray(0, 2)])
    const b = Buffer.concat([Buffer.from(`${T2} `), text.subarray(2), Buffer.from('\n')])
    const mk = (p: Buffer) => Buffer.concat([Buffer.from([1, 0, 0, 0]), Buffer.from([0, 0, 0, p.length]), p])
    expect([...d.push(mk(a)), ...d.push(mk(b))]).toEqual([{ stream: 'stdout', time: T1, message: 'héllo' }])
  })

  it('keeps empty lines', () => {
    const d = new LogDecoder('framed')
    expect(d.push(frame(1, `${T1} \n`))).toEqual([{ stream: 'stdout', time: T1, message: '' }])
  })

  it('raises the engine error carried by a systemerr frame', () => {
    const d = new LogDecoder('framed')
    expect(() => d.push(frame(3, 'log file is gone'))).toThrow(/engine log stream error: log file is gone/)
  })
})

describe('LogDecoder (raw, Tty=true)', () => {
  it('splits raw bytes into stdout lines and drops the TTY carriage return', () => {
    const d = new LogDecoder('raw')
    const lines = [...d.push(Buffer.from(`${T1} tty-line\r\n${T2} sec`)), ...d.push(Buffer.from('ond\r\n'))]
    expect(lines).toEqual([
      { stream: 'stdout', time: T1, message: 'tty-line' },
      { stream: 'stdout', time: T2, message: 'second' },
    ])
  })

  it('flushes a trailing partial line', () => {
    const d = new LogDecoder('raw')
    expect(d.push(Buffer.from(`${T1} prompt$ `))).toEqual([])
    expect(d.flush()).toEqual([{ stream: 'stdout', time: T1, message: 'prompt$ ' }])
  })
})

describe('LogDecoder (auto) and logModeOf', () => {
  it('takes the mode the engine names in its Content-Type', () => {
    expect(logModeOf('application/vnd.docker.multiplexed-stream')).toBe('framed')
    expect(logModeOf('application/vnd.docker.raw-stream')).toBe('raw')
    expect(logModeOf(undefined)).toBe('auto')
    expect(logModeOf('application/octet-stream')).toBe('auto')
  })

  it('reads frames when the first byte is a stream byte', () => {
    const d = new LogDecoder('auto')
    expect(d.push(Buffer.alloc(0))).toEqual([])
    expect([...d.push(frame(2, `${T1} err\n`)), ...d.push(frame(1, `${T2} out\n`))]).toEqual([
      { stream: 'stderr', time: T1, message: 'err' },
      { stream: 'stdout', time: T2, message: 'out' },
    ])
  })

  it('reads raw bytes when the first byte starts a timestamp', () => {
    const d = new LogDecoder('auto')
    expect(d.push(Buffer.from(`${T1} tty\r\n`))).toEqual([{ stream: 'stdout', time: T1, message: 'tty' }])
  })
})
