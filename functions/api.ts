/**
 * The API Lambda: the Hono app (native /v1 and the Docker API) behind API Gateway REST.
 *
 * - `handler`: response streaming (REST integration in STREAM mode), for `logs -f`, events
 *   and waits past 29 s. Needs the Lambda Node.js runtime's `awslambda` global.
 * - `bufferedHandler`: the same app, buffered (BUFFERED integrations, function URLs, ALB).
 *
 * Module init is cheap: the store, the ECS backend and their SDK clients are built on the
 * first request (dynamic imports), and the bootstrap admin key is loaded from Secrets Manager
 * then. A failed build is retried on the next request.
 */
import { Hono } from 'hono'
import { handle, streamHandle } from 'hono/aws-lambda'
import type { ApiDeps } from '../shared/api/context.js'
import { LazyValue } from '../shared/aws/lazy-value.js'
import { readEnv, type AwsEnv } from '../shared/config/env.js'

import { VERSION } from '../shared/aws/aws-runtime.js'

export { VERSION }

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>

/** The app on the given deps, as a fetch function. */
async function appOn(deps: Promise<ApiDeps>): Promise<Fetch> {
  const [{ createApp }, built] = await Promise.all([import('../shared/api/app.js'), deps])
  const app = createApp(built)
  return (request: Request, env: unknown) => app.fetch(request, env)
}

const app = new LazyValue<Fetch>(() => appOn(buildDeps(readEnv())))

/** Reads the bootstrap admin key (a plain string, or JSON with a `key` field). */
export async function readAdminSecret(secretArn: string, region: string): Promise<string> {
  const { SecretsManagerClient, GetSecretValueCommand } = await import('../shared/aws/secrets-manager-sdk.js')
  const { BackendError } = await import('../shared/core/errors.js')
  const client = new SecretsManagerClient({ region })
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }))
    const raw = (out.SecretString ?? '').trim()
    const value = raw.startsWith('{') ? (JSON.parse(raw) as { key?: unknown }).key : raw
    if (typeof value !== 'string' || value.length < 16) throw new Error('the secret holds no key of at least 16 characters')
    return value
  } catch (err) {
    const name = err instanceof Error ? err.name : 'Error'
    throw new BackendError(`cannot read the bootstrap admin key from Secrets Manager (${name}); check ${secretArn} and the function's secretsmanager:GetSecretValue permission`, { cause: err })
  } finally {
    client.destroy()
  }
}

/** The production composition root: the shared AWS runtime plus keys and the bootstrap key. */
export async function buildDeps(env: AwsEnv): Promise<ApiDeps> {
  const [{ buildAwsRuntime }, { KeyService }] = await Promise.all([
    import('../shared/aws/aws-runtime.js'),
    import('../shared/core/key-service.js'),
  ])
  const rt = await buildAwsRuntime(env)
  const keys = new KeyService(rt.store, rt.clock)
  if (env.adminSecretArn) {
    await keys.ensure(await readAdminSecret(env.adminSecretArn, env.region), 'default', 'bootstrap admin key')
  }
  return { containers: rt.containers, keys, store: rt.store, backend: rt.backend, clock: rt.clock, mode: 'aws', version: VERSION, extras: rt.extras }
}


/** Tests: use these deps (or a factory) instead of the environment; undefined restores it. */
export function setDepsForTest(deps: ApiDeps | (() => Promise<ApiDeps>) | undefined): void {
  app.override(deps === undefined ? undefined : () => appOn(typeof deps === 'function' ? deps() : Promise.resolve(deps)))
}

/** Forwards every request to the app, built on first use. */
const entry = new Hono()
entry.all('*', async (c) => (await app.get())(c.req.raw, c.env))
entry.onError((err, c) => {
  console.error(JSON.stringify({ msg: 'api not ready', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }))
  return c.json({ type: 'about:blank', title: 'Service unavailable', status: 503, code: 'internal', detail: 'the API could not start; see the function logs' }, 503, {
    'content-type': 'application/problem+json',
  })
})

/** Buffered: API Gateway REST/HTTP, function URLs, ALB. */
export const bufferedHandler = handle(entry)

function notInLambda(): never {
  throw new Error('response streaming needs the Lambda Node.js runtime (global awslambda); use bufferedHandler elsewhere')
}

/** The runtime's global; the AWS SDK may define an `awslambda` object too, without streamifyResponse. */
function canStream(): boolean {
  const runtime = (globalThis as { awslambda?: { streamifyResponse?: unknown } }).awslambda
  return typeof runtime?.streamifyResponse === 'function'
}

/** Streaming: API Gateway REST with responseTransferMode STREAM, or a RESPONSE_STREAM function URL. */
export const handler = canStream() ? streamHandle(entry) : notInLambda
