import type { Hono } from 'hono'
import { NotFoundError } from '../../core/errors.js'
import { parseSpec } from '../../core/spec.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { namespaceOf } from './docker-auth.js'
import { parseJsonBody } from './docker-errors.js'
import { readBody } from './read-body.js'
import { translateCreate } from './translate-create.js'

/**
 * POST /containers/create?name=&platform= → 201 {Id, Warnings}. An image the runtime cannot
 * find is a 404 `No such image`, which makes the CLI pull (POST /images/create) and retry;
 * other image-resolution failures are left to `start`, which reports them.
 */
export function registerCreate(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.post('/containers/create', async (c) => {
    const namespace = namespaceOf(c)
    const body = parseJsonBody(await readBody(c, deps), 'the create body')
    const { spec, warnings } = translateCreate(body, { platform: c.req.query('platform'), backend: deps.backend.kind })
    const parsed = parseSpec(spec)
    try {
      await deps.backend.resolveImage(namespace, parsed.image, parsed.platform)
    } catch (err) {
      if (err instanceof NotFoundError) throw new NotFoundError(`No such image: ${parsed.image}`, { cause: err })
    }
    const name = c.req.query('name')
    const container = await deps.containers.create(namespace, { spec, ...(name ? { name } : {}) })
    return c.json({ Id: container.id, Warnings: warnings }, 201)
  })
}
