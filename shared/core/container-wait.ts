import type { CoreDeps } from './core-deps.js'
import { InvalidRequestError, NotFoundError } from './errors.js'
import type { Container } from './model.js'
import { sleep } from './sleep.js'

export type WaitCondition = 'not-running' | 'next-exit' | 'removed'

export interface WaitResult {
  statusCode: number
  error?: string
}

export interface WaitOptions {
  condition?: WaitCondition
  /** Give up after this long (bounded wait); the result then says so. */
  timeoutMs?: number
  signal?: AbortSignal
}

export const WAIT_CONDITIONS: WaitCondition[] = ['not-running', 'next-exit', 'removed']


function stopped(c: Container): boolean {
  return !c.state.running && c.state.status !== 'restarting'
}

/**
 * docker wait: blocks until the condition holds. `not-running` returns at once for a stopped
 * or created container; `next-exit` waits for a run to end after the call (a created
 * container's first run counts); `removed` waits until rm. Polls the store.
 */
export async function waitContainer(deps: CoreDeps, initial: Container, options: WaitOptions = {}): Promise<WaitResult> {
  const condition = options.condition ?? 'not-running'
  if (!WAIT_CONDITIONS.includes(condition)) {
    throw new InvalidRequestError(`invalid condition "${condition}": use not-running, next-exit or removed`)
  }
  const poll = deps.pollIntervalMs ?? 1000
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs
  const startRun = initial.runNumber
  const wasRunning = initial.state.running
  let last = initial
  for (;;) {
    const c = await deps.store.getContainer(initial.namespace, initial.id)
    if (!c) {
      if (condition === 'removed' || condition === 'next-exit') return { statusCode: await lastExitCode(deps, initial, last) }
      throw new NotFoundError(`No such container: ${initial.id}`)
    }
    last = c
    const done =
      condition === 'not-running' ? stopped(c)
      : condition === 'next-exit' ? stopped(c) && (wasRunning || c.runNumber > startRun) && c.state.status !== 'created'
      : false
    if (done) return { statusCode: c.state.exitCode ?? 0, error: c.state.error }
    if (options.signal?.aborted) return { statusCode: -1, error: 'wait aborted' }
    if (Date.now() >= deadline) return { statusCode: -1, error: `container still ${c.state.status} after the wait timeout` }
    await sleep(poll, options.signal)
  }
}

/** The exit code of a container that is gone: its last `die` event says it. */
async function lastExitCode(deps: CoreDeps, initial: Container, last: Container): Promise<number> {
  if (last.state.exitCode !== null && !last.state.running) return last.state.exitCode
  const since = (BigInt(Date.parse(initial.createdAt)) * 1_000_000n).toString()
  const events = await deps.store.listEvents(initial.namespace, since)
  const die = events.filter((e) => e.id === initial.id && e.action === 'die').pop()
  const code = Number(die?.attributes.exitCode)
  return Number.isFinite(code) ? code : 0
}
