import { Hono } from 'hono'
import type { AppEnv, ApiDeps } from '../context.js'
import { registerAttach } from './attach.js'
import { registerCreate } from './containers-create.js'
import { registerContainerReads } from './containers-read.js'
import { registerContainerLifecycle } from './containers-routes.js'
import { registerUpdatePrune } from './containers-update.js'
import { dockerAuth } from './docker-auth.js'
import { dockerErrorResponse } from './docker-errors.js'
import { registerEvents } from './events-routes.js'
import { registerPullPush } from './images-pull-push.js'
import { registerImages } from './images-routes.js'
import { registerLogs } from './logs-stream.js'
import { registerNotImplemented } from './not-implemented.js'
import { dockerHeaders, registerPingVersion } from './ping-version.js'
import { registerStats } from './stats.js'
import { registerWait } from './wait-route.js'

export { handleAttachUpgrade } from './attach.js'
export { DOCKER_API_VERSION } from './ping-version.js'

/**
 * The Docker Engine API subset the stock docker CLI uses (docker-engine-api.md), mounted at
 * `/` (app.ts strips the `/v1.NN` prefix). Every route but /_ping needs the bearer key;
 * errors are `{"message"}` with Docker's statuses. `docker run` without -d needs the
 * connection upgrade handled by handleAttachUpgrade on the node server.
 */
export function dockerRoutes(deps: ApiDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.onError((err) => dockerErrorResponse(err))
  app.use('*', dockerHeaders(deps.version))
  app.use('*', dockerAuth(deps.keys))
  registerPingVersion(app, deps)
  registerCreate(app, deps)
  registerUpdatePrune(app, deps)
  registerContainerReads(app, deps)
  registerContainerLifecycle(app, deps)
  registerWait(app, deps)
  registerLogs(app, deps)
  registerAttach(app, deps)
  registerStats(app, deps)
  registerEvents(app, deps)
  registerImages(app, deps)
  registerPullPush(app, deps)
  registerNotImplemented(app, deps)
  return app
}
