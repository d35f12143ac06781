/** /v1/images: list the namespace's images, delete one by tag or digest, tag one (manifest copy). */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import { UnsupportedError } from '../../core/errors.js'
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

const ImageRefParamsSchema = z.object({
  ref: z
    .string()
    .min(1)
    .openapi({
      param: { name: 'ref', in: 'path' },
      description: 'A tag (`app:1`) or digest (`app@sha256:…`), URL-encoded (`app%3A1`, `team%2Fapp%3A1`)',
      example: 'app:1',
    }),
})

const TagImageSchema = z
  .object({
    source: z.string().min(1).openapi({ description: 'The image to tag: `app:1` or `app@sha256:…`', example: 'app:1' }),
    target: z.string().min(1).openapi({ description: 'The new tag: `app:stable`', example: 'app:stable' }),
  })
  .openapi('TagImageRequest')

function unsupported(verb: string): UnsupportedError {
  return new UnsupportedError(`${verb} is not supported by this runtime`)
}

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

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/images/{ref}',
      tags: ['images'],
      operationId: 'deleteImage', summary: 'Delete an image by tag or digest (docker rmi)',
      description: 'A tag untags (the image stays while other tags reference it); a digest deletes the image and all its tags. Scope: write.',
      ...scope('write'),
      request: { params: ImageRefParamsSchema },
      responses: {
        200: {
          description: 'What was untagged or deleted',
          content: { 'application/json': { schema: z.object({ deleted: z.array(z.string()) }) } },
        },
        ...problemResponses(400, 401, 403, 404, 409, 429, 501, 502, 503),
      },
    }),
    async (c) => {
      if (!deps.backend.deleteImage) throw unsupported('deleting images')
      const { ref } = c.req.valid('param')
      return c.json(await deps.backend.deleteImage(c.get('auth').namespace, ref), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post',
      path: '/images/tag',
      tags: ['images'],
      operationId: 'tagImage', summary: 'Tag an image (docker tag)',
      description:
        "Adds `target` to `source` by copying its manifest; no layers move. On ECS both must be in the same repository of the namespace. Scope: write.",
      ...scope('write'),
      request: { body: { required: true, content: { 'application/json': { schema: TagImageSchema } } } },
      responses: {
        201: {
          description: 'Tagged',
          content: {
            'application/json': {
              schema: z.object({ source: z.string(), target: z.string(), image: ImageSchema.optional() }),
            },
          },
        },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 429, 501, 502, 503),
      },
    }),
    async (c) => {
      if (!deps.backend.addImageTag) throw unsupported('tagging images')
      const { source, target } = c.req.valid('json')
      const image = await deps.backend.addImageTag(c.get('auth').namespace, source, target)
      return c.json({ source, target, ...(image ? { image } : {}) }, 201)
    },
  )
}
