import { describe, expect, it } from 'vitest'
import { FinishedLogs, logBytes, selectLines } from '../../../shared/backends/docker/finished-logs.js'
import type { LogLine } from '../../../shared/core/ports.js'

const T = '2026-11-29T15:40:01.590881316Z'
const line = (stream: LogLine['stream'], message: string): LogLine => ({ stream, time: T, message })
const log = [line('stdout', 'a'), line('stderr', 'b'), line('stdout', 'c'), line('stderr', 'd')]

describe('selectLines', () => {
  it('takes the last N lines of the log, then the streams asked for (as the engine does)', () => {
    expect(selectLines(log, {})).toEqual(log)
    expect(selectLines(log, { tail: 2 }).map((l) => l.message)).toEqual(['c', 'd'])
    expect(selectLines(log, { stdout: true, stderr: false }).map((l) => l.message)).toEqual(['a', 'c'])
    expect(selectLines(log, { stdout: false, stderr: true, tail: 3 }).map((l) => l.message)).toEqual(['b', 'd'])
    expect(selectLines(log, { tail: 0 })).toEqual([])
    expect(selectLines(log, { tail: 99 })).toEqual(log)
  })
})

describe('FinishedLogs', () => {
  it('answers only requests without follow or a time window', () => {
    expect(FinishedLogs.answers({ tail: 5, stdout: true })).toBe(true)
    expect(FinishedLogs.answers({ follow: true })).toBe(false)
    expect(FinishedLogs.answers({ since: 1 })).toBe(false)
    expect(FinishedLogs.answers({ until: 2 })).toBe(false)
  })

  it('keeps logs within its budget, dropping the least recently read first', () => {
    const one = logBytes(log)
    const cache = new FinishedLogs(one * 2, one)
    cache.set('r1', log)
    cache.set('r2', log)
    expect(cache.get('r1')).toBe(log)
    cache.set('r3', log)
    expect(cache.get('r2')).toBeUndefined()
    expect(cache.get('r1')).toBe(log)
    expect(cache.get('r3')).toBe(log)
    expect(cache.size).toBe(one * 2)
    cache.delete('r1')
    expect(cache.get('r1')).toBeUndefined()
    expect(cache.size).toBe(one)
  })

  it('does not keep a log over its entry limit, and remembers it is too big', () => {
    const cache = new FinishedLogs(1_000_000, logBytes(log) - 1)
    cache.set('big', log)
    expect(cache.get('big')).toBeUndefined()
    expect(cache.size).toBe(0)
    expect(cache.isTooBig('big')).toBe(true)
    cache.delete('big')
    expect(cache.isTooBig('big')).toBe(false)
  })
})
