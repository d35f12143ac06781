import type { Hono } from 'hono'
import type { ListFilters } from '../../core/container-list.js'
import { ConflictError, UnsupportedError } from '../../core/errors.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { canTop } from './backend-capabilities.js'
import { containerInspect, containerSummary } from './containers-json.js'
import { namespaceOf } from './docker-auth.js'
import { checkFilterKeys, parseFilters, queryBool, queryInt } from './query.js'

const PS_FILTERS = ['status', 'label', 'name', 'id', 'ancestor', 'before', 'since'] as const

/** `filters` of `docker ps` → the core's ListFilters (unknown keys are a 400, as in Docker). */
export function psFilters(raw: string | undefined): ListFilters {
  const f = parseFilters(raw)
  checkFilterKeys(f, PS_FILTERS)
  const out: ListFilters = {}
  for (const key of PS_FILTERS) if (f[key]?.length) out[key] = f[key]
  return out
}

/** GET /containers/json, GET /containers/{id}/json, GET /containers/{id}/top. */
export function registerContainerReads(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/containers/json', async (c) => {
    const list = await deps.containers.list(namespaceOf(c), {
      all: queryBool(c.req.query('all')),
      limit: queryInt(c.req.query('limit'), 'limit'),
      filters: psFilters(c.req.query('filters')),
    })
    const now = deps.clock.now()
    const withSize = queryBool(c.req.query('size'))
    return c.json(list.map((x) => containerSummary(x, now, deps.backend.kind, withSize, deps.publishHost)))
  })

  app.get('/containers/:id/json', async (c) => {
    const { container, run } = await deps.containers.inspect(namespaceOf(c), c.req.param('id'))
    return c.json(containerInspect(container, run, deps.backend.kind, deps.publishHost))
  })

  app.get('/containers/:id/top', async (c) => {
    const { container, run } = await deps.containers.inspect(namespaceOf(c), c.req.param('id'))
    const backend = deps.backend
    if (!canTop(backend)) {
      throw new UnsupportedError(
        'docker top is not supported on ECS Fargate: a task\'s process list is only reachable through ECS Exec, which fargated does not set up. Use docker stats for usage',
      )
    }
    if (!container.state.running || !run?.ref) throw new ConflictError(`Container ${container.id} is not running`)
    return c.json((await backend.top(run, c.req.query('ps_args'))) as Record<string, unknown>)
  })
}
