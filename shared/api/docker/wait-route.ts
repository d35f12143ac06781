import type { Hono } from 'hono'
import { waitContainer, WAIT_CONDITIONS, type WaitCondition } from '../../core/container-wait.js'
import { InvalidRequestError } from '../../core/errors.js'
import type { Container } from '../../core/model.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { namespaceOf } from './docker-auth.js'
import { streamBody } from './streams.js'

export function parseCondition(raw: string | undefined): WaitCondition {
  if (raw === undefined || raw === '') return 'not-running'
  if (!WAIT_CONDITIONS.includes(raw as WaitCondition)) {
    throw new InvalidRequestError(`invalid condition: "${raw}": use not-running, next-exit or removed`)
  }
  return raw as WaitCondition
}

/** The wait body: `{"StatusCode":n,"Error":null}` or with `{"Message"}` when the run failed. */
async function* waitResult(deps: ApiDeps, container: Container, condition: WaitCondition, signal: AbortSignal): AsyncGenerator<string> {
  try {
    const result = await waitContainer(deps.containers.deps, container, { condition, signal })
    if (signal.aborted) return
    yield `${JSON.stringify({ StatusCode: result.statusCode, Error: result.error ? { Message: result.error } : null })}\n`
  } catch (err) {
    if (signal.aborted) return
    yield `${JSON.stringify({ StatusCode: -1, Error: { Message: err instanceof Error ? err.message : String(err) } })}\n`
  }
}

/**
 * POST /containers/{id}/wait. The CLI waits for the response headers before it sends
 * `start` (docker-engine-api §3): the 200 goes out at once with an empty streamed body, and
 * the JSON follows when the condition holds. A client that hangs up stops the polling.
 */
export function registerWait(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.post('/containers/:id/wait', async (c) => {
    const condition = parseCondition(c.req.query('condition'))
    const container = await deps.containers.resolve(namespaceOf(c), c.req.param('id'))
    const body = streamBody((signal) => waitResult(deps, container, condition, signal), c.req.raw.signal)
    return new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } })
  })
}
