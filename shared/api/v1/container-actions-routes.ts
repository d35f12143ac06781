/** /v1/containers/{id}/start|stop|restart|kill|wait. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { WaitCondition } from '../../core/container-wait.js'
import { NotModifiedError } from '../../core/errors.js'
import type { Container } from '../../core/model.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { ContainerViewSchema, containerViewWithRun } from './container-view.js'
import { ContainerParamsSchema, queryInt } from './params.js'
import { problemResponses } from './problem.js'
import type { ScopeGuard } from './scopes.js'

/** Longest /v1 wait, seconds: one request must end well inside a Lambda invocation. */
export const MAX_WAIT_SECONDS = 60

const JSON_TYPE = 'application/json'
const containerJson = (description: string) => ({ description, content: { [JSON_TYPE]: { schema: ContainerViewSchema } } })

const StopQuerySchema = z.object({ timeout: queryInt('Seconds between SIGTERM and SIGKILL (default: the spec\'s stopTimeout)', 0, 120) })
const KillQuerySchema = z.object({
  signal: z
    .string()
    .regex(/^(SIG)?[A-Z0-9]{1,12}$/i, 'use a signal name (SIGKILL, TERM) or number (9)')
    .optional()
    .openapi({ description: 'Default SIGKILL. ECS can only deliver TERM and KILL (others: 501)', example: 'SIGTERM' }),
})
const WaitQuerySchema = z.object({
  condition: z
    .enum(['not-running', 'next-exit', 'removed'], { error: 'use not-running, next-exit or removed' })
    .optional()
    .openapi({ description: 'Default not-running' }),
  timeout: queryInt(`Give up after this many seconds (default and maximum ${MAX_WAIT_SECONDS}); call again to keep waiting`, 0, MAX_WAIT_SECONDS),
})

const WaitResultSchema = z
  .object({
    statusCode: z.number().int().openapi({ description: 'Exit code; -1 when the wait timed out' }),
    error: z.string().optional(),
    timedOut: z.boolean().openapi({ description: 'true: the condition did not hold within the timeout' }),
  })
  .openapi('WaitResult')

/** Start of a running / stop of a stopped container: 200 with the unchanged container, not 304. */
async function unlessUnchanged(run: () => Promise<Container>, unchanged: () => Promise<Container>): Promise<Container> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof NotModifiedError) return unchanged()
    throw err
  }
}

export function registerContainerActionRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, scope: ScopeGuard): void {
  const { containers, store } = deps
  const params = ContainerParamsSchema

  app.openapi(
    createRoute({
      method: 'post', path: '/containers/{id}/start', tags: ['containers'], operationId: 'startContainer', summary: 'Start a new run (docker start)',
      description: 'Every start is a fresh Fargate task with a fresh filesystem. Starting a running container answers 200 with it unchanged. Scope: write.',
      ...scope('write'),
      request: { params },
      responses: { 200: containerJson('The container (its run is starting)'), ...problemResponses(400, 401, 403, 404, 409, 429, 502, 503) },
    }),
    async (c) => {
      const ns = c.get('auth').namespace
      const { id } = c.req.valid('param')
      const container = await unlessUnchanged(() => containers.start(ns, id), () => containers.resolve(ns, id))
      return c.json(await containerViewWithRun(store, container), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/containers/{id}/stop', tags: ['containers'], operationId: 'stopContainer', summary: 'Stop (docker stop)',
      description: 'SIGTERM, then SIGKILL after the timeout. Stopping a stopped container answers 200 with it unchanged. Scope: write.',
      ...scope('write'),
      request: { params, query: StopQuerySchema },
      responses: { 200: containerJson('The container'), ...problemResponses(400, 401, 403, 404, 409, 429, 502) },
    }),
    async (c) => {
      const ns = c.get('auth').namespace
      const { id } = c.req.valid('param')
      const timeoutSeconds = c.req.valid('query').timeout
      const container = await unlessUnchanged(() => containers.stop(ns, id, { timeoutSeconds }), () => containers.resolve(ns, id))
      return c.json(await containerViewWithRun(store, container), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/containers/{id}/restart', tags: ['containers'], operationId: 'restartContainer', summary: 'Restart (docker restart)',
      description: 'Stops the current run if any, then starts a new one. Scope: write.',
      ...scope('write'),
      request: { params, query: StopQuerySchema },
      responses: { 200: containerJson('The container (its new run is starting)'), ...problemResponses(400, 401, 403, 404, 409, 429, 502, 503) },
    }),
    async (c) => {
      const container = await containers.restart(c.get('auth').namespace, c.req.valid('param').id, { timeoutSeconds: c.req.valid('query').timeout })
      return c.json(await containerViewWithRun(store, container), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/containers/{id}/kill', tags: ['containers'], operationId: 'killContainer', summary: 'Send a signal (docker kill)',
      description: 'A container that is not running answers 409. Scope: write.',
      ...scope('write'),
      request: { params, query: KillQuerySchema },
      responses: { 200: containerJson('The container'), ...problemResponses(400, 401, 403, 404, 409, 429, 501, 502) },
    }),
    async (c) => {
      const container = await containers.kill(c.get('auth').namespace, c.req.valid('param').id, c.req.valid('query').signal)
      return c.json(await containerViewWithRun(store, container), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/containers/{id}/wait', tags: ['containers'], operationId: 'waitContainer', summary: 'Wait for a condition (docker wait)',
      description: `Blocks until the condition holds or the timeout (at most ${MAX_WAIT_SECONDS} s) passes. Scope: read.`,
      ...scope('read'),
      request: { params, query: WaitQuerySchema },
      responses: {
        200: { description: 'The exit status, or timedOut', content: { [JSON_TYPE]: { schema: WaitResultSchema } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const result = await containers.wait(c.get('auth').namespace, c.req.valid('param').id, {
        condition: q.condition as WaitCondition | undefined,
        timeoutMs: (q.timeout ?? MAX_WAIT_SECONDS) * 1000,
        signal: c.req.raw.signal,
      })
      const timedOut = result.statusCode === -1
      return c.json({ statusCode: result.statusCode, error: result.error, timedOut }, 200)
    },
  )
}
