/** /v1/containers: create (run), list, inspect, update, remove, run history. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { ContainerSpecInputSchema, SpecPatchSchema } from '../../core/spec.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { ContainerViewSchema, containerViewWithRun, toContainerView } from './container-view.js'
import { ContainerParamsSchema, queryBool, queryInt, queryList } from './params.js'
import { problemResponses } from './problem.js'
import { RunViewSchema, toRunView } from './run-view.js'
import type { ScopeGuard } from './scopes.js'

const JSON_TYPE = 'application/json'

export const CreateContainerSchema = ContainerSpecInputSchema.extend({
  name: z.string().optional().openapi({ description: 'Unique in the namespace; generated (docker style) when absent', example: 'web' }),
  start: z.boolean().default(true).openapi({ description: 'false: create only (docker create)' }),
}).openapi('CreateContainer')

const IdempotencyHeadersSchema = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(255, 'Idempotency-Key is at most 255 characters')
    .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key is printable ASCII without spaces')
    .optional()
    .openapi({
      description: 'Retries with the same key and body return the same container and never start a second task (24 h); the same key with another body is 409',
      example: 'deploy-7f3a2c',
    }),
})

const ListQuerySchema = z.object({
  all: queryBool('Include stopped containers (docker ps -a)'),
  limit: queryInt('Only the N most recently created (implies all)', 1, 1000),
  label: queryList('Label filter, `key` or `key=value`; repeat to require several'),
  status: queryList('created, running, restarting, exited, dead; repeat for any of several'),
  name: queryList('Name filter (substring or regular expression); repeat for any of several'),
  ancestor: queryList('Image filter: repository, repository:tag or digest'),
  id: queryList('Id prefix filter'),
})

const DeleteQuerySchema = z.object({ force: queryBool('Stop a running container first (SIGKILL)') })

const containerJson = (description: string) => ({ description, content: { [JSON_TYPE]: { schema: ContainerViewSchema } } })

export function registerContainerRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, scope: ScopeGuard): void {
  const { containers, store } = deps

  app.openapi(
    createRoute({
      method: 'post',
      path: '/containers',
      tags: ['containers'],
      operationId: 'createContainer', summary: 'Create and start a container (docker run)',
      description: 'Validates the spec, creates the container and, unless `start` is false, starts its first run. The response does not wait for RUNNING. Scope: write.',
      ...scope('write'),
      request: { headers: IdempotencyHeadersSchema, body: { required: true, content: { [JSON_TYPE]: { schema: CreateContainerSchema } } } },
      responses: { 201: containerJson('The container (its run is starting)'), ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429, 502, 503) },
    }),
    async (c) => {
      const body = c.req.valid('json')
      const key = c.req.valid('header')['idempotency-key']
      const { name, start, ...spec } = body
      const ns = c.get('auth').namespace
      const container = await containers.run(ns, { spec, name, start }, key ? { key, body } : undefined)
      return c.json(await containerViewWithRun(store, container), 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/containers',
      tags: ['containers'],
      operationId: 'listContainers', summary: 'List containers (docker ps)',
      description: 'Newest first. Running containers only unless `all`, `limit` or `status` is given. Filters of one kind match any value; different kinds must all match. Scope: read.',
      ...scope('read'),
      request: { query: ListQuerySchema },
      responses: {
        200: { description: 'The containers', content: { [JSON_TYPE]: { schema: z.object({ containers: z.array(ContainerViewSchema) }) } } },
        ...problemResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query')
      const filters = { label: q.label, status: q.status, name: q.name, ancestor: q.ancestor, id: q.id }
      const list = await containers.list(c.get('auth').namespace, { all: q.all, limit: q.limit, filters })
      return c.json({ containers: list.map((x) => toContainerView(x)) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/containers/{id}',
      tags: ['containers'],
      operationId: 'getContainer', summary: 'Inspect a container',
      description: 'By id, unique id prefix or name. Scope: read.',
      ...scope('read'),
      request: { params: ContainerParamsSchema },
      responses: { 200: containerJson('The container with its current run'), ...problemResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const { container, run } = await containers.inspect(c.get('auth').namespace, c.req.valid('param').id)
      return c.json(toContainerView(container, run), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/containers/{id}',
      tags: ['containers'],
      operationId: 'updateContainer', summary: 'Change resources and policies',
      description: 'cpu, memory, capacity, restart policy, stop timeout, storage, idle, maxLifetime, sizing and track. Applied at the next start; null clears a policy. Scope: write.',
      ...scope('write'),
      request: { params: ContainerParamsSchema, body: { required: true, content: { [JSON_TYPE]: { schema: SpecPatchSchema.extend({}).openapi('SpecPatch') } } } },
      responses: { 200: containerJson('The updated container'), ...problemResponses(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => {
      const updated = await containers.update(c.get('auth').namespace, c.req.valid('param').id, c.req.valid('json'))
      return c.json(await containerViewWithRun(store, updated), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/containers/{id}',
      tags: ['containers'],
      operationId: 'removeContainer', summary: 'Remove a container (docker rm)',
      description: 'A running container needs `force=true`, which stops it first. Scope: write.',
      ...scope('write'),
      request: { params: ContainerParamsSchema, query: DeleteQuerySchema },
      responses: { 204: { description: 'Removed' }, ...problemResponses(400, 401, 403, 404, 409, 502) },
    }),
    async (c) => {
      await containers.remove(c.get('auth').namespace, c.req.valid('param').id, { force: c.req.valid('query').force })
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'get',
      path: '/containers/{id}/runs',
      tags: ['containers'],
      operationId: 'listRuns', summary: 'Run history',
      description: 'Every run (one Fargate task each) of the container, newest first. Scope: read.',
      ...scope('read'),
      request: { params: ContainerParamsSchema },
      responses: {
        200: { description: 'The runs', content: { [JSON_TYPE]: { schema: z.object({ runs: z.array(RunViewSchema) }) } } },
        ...problemResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const container = await containers.resolve(c.get('auth').namespace, c.req.valid('param').id)
      const runs = (await store.listRuns(container.id)).sort((a, b) => b.number - a.number)
      return c.json({ runs: runs.map(toRunView) }, 200)
    },
  )
}
