/** GET /v1/images: the namespace's images, as the runtime lists them. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv, ApiDeps } from '../context.js'
import { problemResponses } from './problem.js'
import type { ScopeGuard } from './scopes.js'

export const ImageSchema = z
  .object({
    id: z.string(),
    repository: z.string().openapi({ example: 'fargated/default/app' }),
    tags: z.array(z.string()),
    digest: z.string().optional(),
    sizeBytes: z.number(),
    createdAt: z.string().optional(),
    pushedAt: z.string().optional(),
    architecture: z.string().optional(),
    os: z.string().optional(),
  })
  .openapi('Image')

export function registerImageRoutes(app: OpenAPIHono<AppEnv>, deps: ApiDeps, scope: ScopeGuard): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/images',
      tags: ['images'],
      operationId: 'listImages', summary: 'List images (docker images)',
      description: "The namespace's repositories in the registry (ECR), or the engine's images locally. Scope: read.",
      ...scope('read'),
      responses: {
        200: { description: 'The images', content: { 'application/json': { schema: z.object({ images: z.array(ImageSchema) }) } } },
        ...problemResponses(401, 403, 429, 502, 503),
      },
    }),
    async (c) => c.json({ images: await deps.backend.listImages(c.get('auth').namespace) }, 200),
  )
}
