import { describe, expect, it } from 'vitest'
import type { ContainerState } from '../../../shared/core/model.js'
import { commandLine, humanDuration, pathAndArgs, statusText } from '../../../shared/api/docker/status-text.js'
import { parseFilters, queryBool, queryTime, secondsToNano } from '../../../shared/api/docker/query.js'
import { parseTail } from '../../../shared/api/docker/logs-stream.js'

const now = new Date('2026-11-29T16:00:00Z')
const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString()
const state = (over: Partial<ContainerState>): ContainerState => ({ status: 'running', running: true, exitCode: null, oomKilled: false, ...over })

describe('status text (docker ps STATUS)', () => {
  it('follows go-units HumanDuration', () => {
    expect(humanDuration(500)).toBe('Less than a second')
    expect(humanDuration(1000)).toBe('1 second')
    expect(humanDuration(59_000)).toBe('59 seconds')
    expect(humanDuration(60_000)).toBe('About a minute')
    expect(humanDuration(5 * 60_000)).toBe('5 minutes')
    expect(humanDuration(3600_000)).toBe('About an hour')
    expect(humanDuration(5 * 3600_000)).toBe('5 hours')
    expect(humanDuration(3 * 86400_000)).toBe('3 days')
    expect(humanDuration(21 * 86400_000)).toBe('3 weeks')
    expect(humanDuration(90 * 86400_000)).toBe('3 months')
    expect(humanDuration(800 * 86400_000)).toBe('2 years')
  })

  it('says Up, Exited (n) … ago, Created, Restarting, Dead, and the runtime phase', () => {
    expect(statusText(state({ startedAt: ago(300) }), now)).toBe('Up 5 minutes')
    expect(statusText(state({ detail: 'Starting (PENDING)', startedAt: ago(3) }), now)).toBe('Starting (PENDING)')
    expect(statusText(state({ startedAt: ago(300), health: 'healthy' }), now)).toBe('Up 5 minutes (healthy)')
    expect(statusText(state({ startedAt: ago(300), health: 'unhealthy' }), now)).toBe('Up 5 minutes (unhealthy)')
    expect(statusText(state({ startedAt: ago(3), health: 'starting' }), now)).toBe('Up 3 seconds (health: starting)')
    expect(statusText(state({ detail: 'Stopping' }), now)).toBe('Stopping')
    expect(statusText(state({ status: 'exited', running: false, exitCode: 0, finishedAt: ago(120) }), now)).toBe('Exited (0) 2 minutes ago')
    expect(statusText(state({ status: 'exited', running: false, exitCode: 137 }), now)).toBe('Exited (137)')
    expect(statusText(state({ status: 'created', running: false }), now)).toBe('Created')
    expect(statusText(state({ status: 'restarting', running: false, exitCode: 1, finishedAt: ago(3) }), now)).toBe('Restarting (1) 3 seconds ago')
    expect(statusText(state({ status: 'dead', running: false }), now)).toBe('Dead')
  })

  it('builds Path/Args and the quoted COMMAND as the engine does', () => {
    const spec = { entrypoint: ['/bin/sh'], cmd: ['-c', 'while true; do echo tick; done'] }
    expect(pathAndArgs(spec)).toEqual({ path: '/bin/sh', args: ['-c', 'while true; do echo tick; done'] })
    expect(commandLine(spec)).toBe("/bin/sh -c 'while true; do echo tick; done'")
    expect(commandLine({ cmd: ['sleep', '300'] })).toBe('sleep 300')
    expect(commandLine({})).toBe('')
  })
})

describe('query parameters', () => {
  it('reads Docker booleans', () => {
    expect(['1', 'true', 'True'].map(queryBool)).toEqual([true, true, true])
    expect([undefined, '', '0', 'false'].map(queryBool)).toEqual([false, false, false, false])
  })

  it('reads times as (fractional) unix seconds or RFC 3339, and converts to nanoseconds exactly', () => {
    expect(queryTime('1767225600.000000000', 'since')).toBe(1767225600)
    expect(queryTime('2026-01-01T00:00:00Z', 'since')).toBe(1767225600)
    expect(() => queryTime('yesterday', 'since')).toThrow(/since/)
    expect(secondsToNano(1767225600)).toBe('1767225600000000000')
    expect(secondsToNano(1767225600.5)).toBe('1767225600500000000')
  })

  it('reads filters in the current and the legacy form', () => {
    expect(parseFilters('{"label":{"app=web":true,"off":false},"status":{"exited":true}}')).toEqual({ label: ['app=web'], status: ['exited'] })
    expect(parseFilters('{"name":["web"]}')).toEqual({ name: ['web'] })
    expect(parseFilters(undefined)).toEqual({})
    expect(() => parseFilters('[1]')).toThrow(/invalid filters/)
  })

  it('reads tail like the engine: all, N, or anything else as all', () => {
    expect(parseTail('all')).toBeUndefined()
    expect(parseTail('5')).toBe(5)
    expect(parseTail('0')).toBe(0)
    expect(parseTail('-1')).toBeUndefined()
  })
})
