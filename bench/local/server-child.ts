/**
 * fargated local mode (startLocalServer, as `npm start` runs it) in its own process for the
 * local bench, with the time its store and its engine backend take counted per request.
 * Talks to the parent over IPC: sends `{ ready, url, pid }`; answers `stats` (store and
 * engine time since the last `reset`, memory) and `memory` (the same after a full GC);
 * exits on `close`.
 *
 *   FARGATED_DATA_DIR=… FARGATED_ADMIN_KEY=… BENCH_ENGINE_LABEL=… node --expose-gc --import tsx bench/local/server-child.ts
 */
import { join } from 'node:path'
import { startLocalServer } from '../../shared/local/local-server.js'

export interface ChildStats {
  store: { calls: number; ms: number }
  engine: { calls: number; ms: number }
  rssBytes: number
  heapUsedBytes: number
}

export type ChildMessage = { ready: true; url: string; socketPath?: string } | { stats: ChildStats }

/**
 * Calls, and wall time with at least one call in flight (nested and parallel calls are not
 * counted twice). A call lasts until its promise settles or its async iterable ends.
 */
class Meter {
  calls = 0
  ms = 0
  private inFlight = 0
  private since = 0
  enter(): () => void {
    this.calls++
    if (this.inFlight++ === 0) this.since = performance.now()
    let done = false
    return () => {
      if (done) return
      done = true
      if (--this.inFlight === 0) this.ms += performance.now() - this.since
    }
  }
  reset(): void {
    this.calls = 0
    this.ms = 0
  }
}

async function* timed<T>(source: AsyncIterable<T>, leave: () => void): AsyncGenerator<T> {
  try {
    yield* source
  } finally {
    leave()
  }
}

/** Long-lived calls (the engine's event stream) would keep a meter busy: not timed. */
const UNTIMED = new Set(['constructor', 'watchEvents'])

/** Replaces each method of `target` (from its class) with one that `m` times. */
function meter(target: object, m: Meter): void {
  const record = target as Record<string, unknown>
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(target))) {
    const original = record[name]
    if (UNTIMED.has(name) || typeof original !== 'function') continue
    record[name] = function (...args: unknown[]) {
      const leave = m.enter()
      try {
        const out = (original as (...a: unknown[]) => unknown).apply(target, args)
        if (out instanceof Promise) return out.finally(leave)
        if (out && typeof out === 'object' && Symbol.asyncIterator in out && 'next' in out) return timed(out as AsyncIterable<unknown>, leave)
        leave()
        return out
      } catch (err) {
        leave()
        throw err
      }
    }
  }
}

const store = new Meter()
const engine = new Meter()
const label = process.env.BENCH_ENGINE_LABEL ?? 'local'
const server = await startLocalServer(
  {
    host: '127.0.0.1',
    port: 0,
    socketPath: join(process.env.FARGATED_DATA_DIR ?? '.fargated-bench', 'fargated.sock'),
    dataDir: process.env.FARGATED_DATA_DIR ?? '.fargated-bench',
    adminKey: process.env.FARGATED_ADMIN_KEY,
    reaperIntervalSeconds: 0,
    engineRetrySeconds: 3,
    publishHost: '127.0.0.1',
    tableName: 'fargated',
    engineLabels: { 'fargated.bench': label },
  },
  () => undefined,
)
meter(server.deps.store, store)
meter(server.deps.backend, engine)

const send = (m: ChildMessage) => process.send?.(m)
process.on('message', (message: unknown) => {
  if (message === 'reset') {
    store.reset()
    engine.reset()
  } else if (message === 'stats' || message === 'memory') {
    // A full GC only for memory figures: after every timed request it would leave the next one a cold heap.
    if (message === 'memory') (globalThis as { gc?: () => void }).gc?.()
    const mem = process.memoryUsage()
    send({ stats: { store: { calls: store.calls, ms: store.ms }, engine: { calls: engine.calls, ms: engine.ms }, rssBytes: mem.rss, heapUsedBytes: mem.heapUsed } })
  } else if (message === 'close') {
    void server.close().finally(() => process.exit(0))
  }
})
process.on('disconnect', () => void server.close().finally(() => process.exit(0)))
send({ ready: true, url: server.url, socketPath: server.socketPath })
