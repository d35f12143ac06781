/** The /v1 OpenAPI 3.1 document, generated from the routes' zod schemas. */
import type { OpenAPIHono } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../context.js'
import { PROBLEM_CODES } from './problem.js'

type OpenApiDocument = ReturnType<OpenAPIHono<AppEnv>['getOpenAPI31Document']>

const DESCRIPTION = `Run Docker-style containers as AWS Fargate tasks.

Every operation except this document and /v1/docs needs \`Authorization: Bearer <key>\` with a
scope: **read** for GETs, **write** for changes, **admin** for keys. Keys belong to one namespace;
anything in another namespace answers 404.

Errors are \`application/problem+json\` with a stable \`code\` (${PROBLEM_CODES.join(', ')}).
Starting a running container or stopping a stopped one answers 200 with the container unchanged.
\`POST /v1/containers\` honours \`Idempotency-Key\`.`

const TAGS = [
  { name: 'containers', description: 'Containers outlive their runs; every start is a new Fargate task' },
  { name: 'images', description: 'Images in the namespace\'s repositories' },
  { name: 'events', description: 'Lifecycle events' },
  { name: 'keys', description: 'API keys (admin)' },
  { name: 'usage', description: 'Estimated spend, savings and size recommendations' },
]

/** Registers the bearer scheme; call once on the /v1 app. */
export function registerSecurityScheme(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (fgd_…). The scope an operation needs is listed in its security requirement.',
  })
}

/**
 * The public base URL of the API: the request origin plus the API Gateway stage when the
 * stage is part of the URL (execute-api hosts), so "Try it" URLs in the document work.
 */
export function publicBase(c: Context<AppEnv>): string {
  const url = new URL(c.req.url)
  const env = c.env as { event?: { path?: string; requestContext?: { path?: string } } } | undefined
  const full = env?.event?.requestContext?.path
  const routed = env?.event?.path
  const prefix = full && routed && full !== routed && full.endsWith(routed) ? full.slice(0, -routed.length) : ''
  return `${url.origin}${prefix}`
}

/** Builds the document once per app (paths prefixed with /v1); servers follow the request. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, version: string): (c: Context<AppEnv>) => OpenApiDocument {
  let cached: OpenApiDocument | undefined
  return (c) => {
    cached ??= prefixPaths(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'fargated API', version, description: DESCRIPTION },
        tags: TAGS,
        security: [{ bearer: [] }],
      }),
      '/v1',
    )
    return { ...cached, servers: [{ url: publicBase(c), description: 'This deployment' }] }
  }
}

function prefixPaths(doc: OpenApiDocument, prefix: string): OpenApiDocument {
  const paths = Object.fromEntries(Object.entries(doc.paths ?? {}).map(([p, item]) => [`${prefix}${p}`, item]))
  return { ...doc, paths }
}
