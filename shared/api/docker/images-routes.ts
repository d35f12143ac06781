import type { Hono } from 'hono'
import { InvalidRequestError, NotFoundError, UnsupportedError } from '../../core/errors.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { imageOps } from './backend-capabilities.js'
import { namespaceOf } from './docker-auth.js'
import { findImage, imageInspect, imageSummary, imageViews, matchesReference, type ImageView } from './image-json.js'
import { checkFilterKeys, parseFilters, queryBool } from './query.js'

const ECR_HINT = 'On ECS Fargate images live in ECR: manage tags and deletions there (aws ecr put-image / batch-delete-image, or a lifecycle policy), and push new tags from your own engine with a login from POST /v1/registry/credentials'

async function views(deps: ApiDeps, namespace: string): Promise<ImageView[]> {
  return imageViews(await deps.backend.listImages(namespace))
}

/** The image, or a 404 with Docker's wording. */
async function requireImage(deps: ApiDeps, namespace: string, ref: string): Promise<ImageView> {
  const found = findImage(await views(deps, namespace), ref)
  if (!found) throw new NotFoundError(`No such image: ${ref}`)
  return found
}

/** GET /images/json, GET /images/{name}/json, POST /images/{name}/tag, DELETE /images/{name}. */
export function registerImages(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.get('/images/json', async (c) => {
    const filters = parseFilters(c.req.query('filters'))
    checkFilterKeys(filters, ['reference', 'dangling'])
    let list = await views(deps, namespaceOf(c))
    if (filters.reference?.length) list = list.filter((v) => filters.reference.some((p) => matchesReference(v, p)))
    const dangling = filters.dangling?.[0]
    if (dangling !== undefined) list = list.filter((v) => (v.repoTags.length === 0) === queryBool(dangling))
    else if (!queryBool(c.req.query('all'))) list = list.filter((v) => v.repoTags.length > 0 || v.repoDigests.length > 0)
    return c.json(list.map(imageSummary))
  })

  app.get('/images/:name{.+}/json', async (c) => {
    const name = c.req.param('name')
    const inspect = imageOps(deps.backend, 'inspectImage')
    if (inspect) return c.json((await inspect(name)) as Record<string, unknown>)
    return c.json(imageInspect(await requireImage(deps, namespaceOf(c), name)))
  })

  app.post('/images/:name{.+}/tag', async (c) => {
    const source = c.req.param('name')
    const repo = c.req.query('repo')
    if (!repo) throw new InvalidRequestError('tag needs a target repository: ?repo=<name>&tag=<tag>')
    const tag = c.req.query('tag') || 'latest'
    const tagImage = imageOps(deps.backend, 'tagImage')
    if (!tagImage) {
      if (deps.backend.addImageTag) {
        // The CLI normalizes short names to Docker Hub's; on ECS a short name is the namespace's repository.
        const target = `${repo.replace(/^docker\.io\/(library\/)?/, '')}:${tag}`
        await deps.backend.addImageTag(namespaceOf(c), source, target)
        return c.body(null, 201)
      }
      await requireImage(deps, namespaceOf(c), source)
      throw new UnsupportedError(`docker tag is not supported on this backend. ${ECR_HINT}`)
    }
    await tagImage(source, repo, tag)
    return c.body(null, 201)
  })

  app.delete('/images/:name{.+}', async (c) => {
    const name = c.req.param('name')
    const removeImage = imageOps(deps.backend, 'removeImage')
    if (!removeImage) {
      if (deps.backend.deleteImage) {
        const { deleted } = await deps.backend.deleteImage(namespaceOf(c), name)
        return c.json(deleted.map((d) => (d.includes('@') ? { Deleted: d } : { Untagged: d })))
      }
      await requireImage(deps, namespaceOf(c), name)
      throw new UnsupportedError(`docker rmi is not supported on this backend. ${ECR_HINT}`)
    }
    const report = await removeImage(name, { force: queryBool(c.req.query('force')), noprune: queryBool(c.req.query('noprune')) })
    return c.json(Array.isArray(report) ? report : [{ Untagged: name }])
  })
}
