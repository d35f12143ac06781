import type { Hono } from 'hono'
import { NotFoundError, UnsupportedError } from '../../core/errors.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { dockerPath, isForeignPath } from './docker-auth.js'
import { dockerJsonError } from './docker-errors.js'

const NO_FILESYSTEM = 'Fargate gives no access to a task\'s filesystem'

/** Operations Fargate cannot do: [method, path, reason]. The CLI shows the reason (non-hijacked calls). */
const UNSUPPORTED: ReadonlyArray<readonly ['get' | 'post' | 'put' | 'head', string, string]> = [
  ['post', '/containers/:id/exec', 'docker exec is not supported: it needs ECS Exec (SSM agent, task role and session manager), which fargated does not set up yet. Use docker logs, or run a one-off container with docker run'],
  ['post', '/containers/:id/pause', 'docker pause is not supported: Fargate cannot freeze a task. Use docker stop; docker start later runs a fresh task'],
  ['post', '/containers/:id/unpause', 'docker unpause is not supported: Fargate cannot freeze a task, so nothing is paused'],
  ['post', '/commit', `docker commit is not supported: ${NO_FILESYSTEM}. Build images with docker build and push them`],
  ['get', '/containers/:id/archive', `docker cp is not supported: ${NO_FILESYSTEM}`],
  ['head', '/containers/:id/archive', `docker cp is not supported: ${NO_FILESYSTEM}`],
  ['put', '/containers/:id/archive', `docker cp is not supported: ${NO_FILESYSTEM}`],
  ['get', '/containers/:id/export', `docker export is not supported: ${NO_FILESYSTEM}`],
  ['get', '/containers/:id/changes', `docker diff is not supported: ${NO_FILESYSTEM}`],
  ['post', '/build', 'docker build is not supported: build with your own engine and push to the registry (login from POST /v1/registry/credentials)'],
  ['get', '/images/:name{.+}/history', 'docker history is not supported: fargated keeps no image layers'],
  ['get', '/images/search', 'docker search is not supported by fargated: search the registry directly'],
  ['post', '/images/load', 'docker load is not supported: push images to the registry instead'],
  ['get', '/images/get', 'docker save is not supported: fargated keeps no image layers'],
  ['get', '/images/:name{.+}/get', 'docker save is not supported: fargated keeps no image layers'],
  ['post', '/images/prune', 'docker image prune is not supported: expire images with the registry\'s lifecycle policy'],
  ['post', '/networks/create', 'docker network create is not supported: Fargate tasks use awsvpc networking'],
  ['post', '/volumes/create', 'docker volume create is not supported: fargated does not manage volumes'],
]

/**
 * 501s with the reason, the 404s `docker inspect` falls through (networks, volumes, plugins),
 * the empty lists of `network ls` / `volume ls`, and 404 `page not found` for any other path.
 */
export function registerNotImplemented(app: Hono<AppEnv>, _deps: ApiDeps): void {
  for (const [method, path, why] of UNSUPPORTED) {
    app.on(method.toUpperCase(), path, () => {
      throw new UnsupportedError(why)
    })
  }
  app.get('/exec/:id/json', (c) => {
    throw new NotFoundError(`No such exec instance: ${c.req.param('id')}`)
  })
  app.post('/exec/:id/start', (c) => {
    throw new NotFoundError(`No such exec instance: ${c.req.param('id')}`)
  })
  app.get('/networks', (c) => c.json([]))
  app.get('/volumes', (c) => c.json({ Volumes: [], Warnings: null }))
  app.get('/networks/:name', (c) => {
    throw new NotFoundError(`network ${c.req.param('name')} not found`)
  })
  app.get('/volumes/:name', (c) => {
    throw new NotFoundError(`get ${c.req.param('name')}: no such volume`)
  })
  app.get('/plugins/:name{.+}/json', (c) => {
    throw new NotFoundError(`plugin "${c.req.param('name')}" not found`)
  })
  app.all('*', async (c, next) => {
    if (isForeignPath(c)) return next()
    return dockerJsonError(404, `page not found: ${c.req.method} ${dockerPath(c)}`)
  })
}
