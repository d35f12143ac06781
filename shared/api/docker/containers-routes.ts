import type { Hono } from 'hono'
import { ConflictError, InvalidRequestError, UnsupportedError } from '../../core/errors.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { namespaceOf } from './docker-auth.js'
import { queryBool, queryInt } from './query.js'

/** Signal names as Docker accepts them: `KILL`, `SIGKILL`, `sigkill`, `9`. */
const SIGNAL = /^(?:(?:SIG)?[A-Z][A-Z0-9+-]*|\d{1,2})$/i

export function checkSignal(signal: string | undefined): string | undefined {
  if (signal === undefined || signal === '') return undefined
  if (!SIGNAL.test(signal)) throw new InvalidRequestError(`Invalid signal: ${signal}`)
  return signal
}

function isTerm(signal: string): boolean {
  const s = signal.toUpperCase().replace(/^SIG/, '')
  return s === 'TERM' || s === '15'
}

/** `t` of stop/restart: seconds before SIGKILL; negative (wait forever) means the spec's timeout. */
function stopTimeout(raw: string | undefined): number | undefined {
  const t = queryInt(raw, 't')
  return t === undefined || t < 0 ? undefined : t
}

/** stop/restart `signal`: the runtime stops with SIGTERM, so only that one is accepted. */
function checkStopSignal(raw: string | undefined, command: string): void {
  const signal = checkSignal(raw)
  if (signal !== undefined && !isTerm(signal)) {
    throw new UnsupportedError(`${command} --signal ${signal} is not supported: fargated stops containers with SIGTERM, then SIGKILL after the timeout. Send other signals with docker kill -s (local engine only)`)
  }
}

/** start, stop, restart, kill, rm, rename, resize: 204 (304 when nothing changes). */
export function registerContainerLifecycle(app: Hono<AppEnv>, deps: ApiDeps): void {
  const svc = deps.containers

  app.post('/containers/:id/start', async (c) => {
    await svc.start(namespaceOf(c), c.req.param('id'))
    return c.body(null, 204)
  })

  app.post('/containers/:id/stop', async (c) => {
    checkStopSignal(c.req.query('signal'), 'docker stop')
    await svc.stop(namespaceOf(c), c.req.param('id'), { timeoutSeconds: stopTimeout(c.req.query('t')) })
    return c.body(null, 204)
  })

  app.post('/containers/:id/restart', async (c) => {
    checkStopSignal(c.req.query('signal'), 'docker restart')
    await svc.restart(namespaceOf(c), c.req.param('id'), { timeoutSeconds: stopTimeout(c.req.query('t')) })
    return c.body(null, 204)
  })

  app.post('/containers/:id/kill', async (c) => {
    const ref = c.req.param('id')
    const signal = checkSignal(c.req.query('signal'))
    try {
      await svc.kill(namespaceOf(c), ref, signal)
    } catch (err) {
      if (err instanceof ConflictError) throw new ConflictError(`Cannot kill container: ${ref}: ${err.message}`, { cause: err })
      throw err
    }
    return c.body(null, 204)
  })

  app.delete('/containers/:id', async (c) => {
    if (queryBool(c.req.query('link'))) throw new InvalidRequestError('links are not supported: fargated has no container links to remove')
    await svc.remove(namespaceOf(c), c.req.param('id'), { force: queryBool(c.req.query('force')) })
    return c.body(null, 204)
  })

  app.post('/containers/:id/rename', async (c) => {
    const name = c.req.query('name')
    if (!name) throw new InvalidRequestError('rename needs the new name: ?name=<new name>')
    await svc.rename(namespaceOf(c), c.req.param('id'), name)
    return c.body(null, 204)
  })

  /** `run -t` sends the terminal size after start; output is replayed from logs, so it only needs to exist. */
  app.post('/containers/:id/resize', async (c) => {
    await svc.resolve(namespaceOf(c), c.req.param('id'))
    return c.body(null, 200)
  })
}
