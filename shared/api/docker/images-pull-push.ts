import type { Hono } from 'hono'
import { InvalidRequestError, NotFoundError, UnsupportedError } from '../../core/errors.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { imageOps, type RegistryCredentials } from './backend-capabilities.js'
import { Channel } from './channel.js'
import { namespaceOf } from './docker-auth.js'
import { parseJsonBody } from './docker-errors.js'
import { normalizePlatform } from './translate-create.js'
import { readBody } from './read-body.js'
import { progressError, progressLine, streamBody } from './streams.js'

const JSON_HEADERS = { 'Content-Type': 'application/json' }

/** X-Registry-Auth: base64 (URL-safe or standard) JSON; `{}` or garbage → no credentials. */
export function decodeRegistryAuth(header: string | undefined): RegistryCredentials | undefined {
  if (!header) return undefined
  try {
    const value = JSON.parse(Buffer.from(header.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as Record<string, unknown>
    const str = (k: string) => (typeof value[k] === 'string' && value[k] !== '' ? (value[k] as string) : undefined)
    const server = str('serveraddress')
    const token = str('identitytoken')
    if (token) return { identitytoken: token, ...(server ? { serveraddress: server } : {}) }
    const username = str('username')
    if (username) return { username, password: str('password') ?? '', ...(server ? { serveraddress: server } : {}) }
  } catch {
    return undefined
  }
  return undefined
}

/**
 * The name a user typed, before the CLI normalized it for the pull (`app` →
 * `docker.io/library/app`): on ECS, create resolves a short name in the namespace's ECR, so the
 * pull the CLI sends after create's 404 must look where create looked.
 */
export function typedName(fromImage: string): string {
  const hub = /^(?:docker\.io|index\.docker\.io)\/(.+)$/.exec(fromImage)
  if (!hub) return fromImage
  return hub[1].startsWith('library/') && !hub[1].slice('library/'.length).includes('/') ? hub[1].slice('library/'.length) : hub[1]
}

/** `fromImage` + `tag` (a digest travels in `tag`) → one reference. */
export function pullReference(fromImage: string, tag: string | undefined): string {
  if (!tag) return fromImage
  return tag.startsWith('sha256:') ? `${fromImage}@${tag}` : `${fromImage}:${tag}`
}

function pushHint(deps: ApiDeps): string {
  if (deps.backend.kind === 'docker') {
    return 'fargated does not push images: the local engine\'s images are already usable by containers here. To push to a registry, use your engine directly (e.g. DOCKER_HOST=unix:///var/run/docker.sock docker push …)'
  }
  return 'fargated does not push images through the Docker API: push from your own engine to ECR. Get a login with POST /v1/registry/credentials (then docker login), tag the image as <account>.dkr.ecr.<region>.amazonaws.com/<namespace>/<repo>:<tag> and docker push it'
}

/** POST /images/create (pull), POST /images/{name}/push, POST /auth. */
export function registerPullPush(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.post('/images/create', async (c) => {
    const fromImage = c.req.query('fromImage')
    if (c.req.query('fromSrc')) throw new UnsupportedError('docker import is not supported by fargated: build and push an image instead')
    if (!fromImage) throw new InvalidRequestError('pull needs an image: ?fromImage=<name>&tag=<tag>')
    const ref = pullReference(fromImage, c.req.query('tag'))
    const platform = normalizePlatform(c.req.query('platform'))
    const pull = imageOps(deps.backend, 'pullImage')
    if (!pull) {
      const typed = pullReference(typedName(fromImage), c.req.query('tag'))
      const lines = [progressLine({ status: `Resolving ${typed}` })]
      try {
        const resolved = await deps.backend.resolveImage(namespaceOf(c), typed, platform ?? 'linux/amd64')
        lines.push(progressLine({ status: `Status: ${typed} is available as ${resolved.image}${resolved.digest && !resolved.image.includes('@') ? `@${resolved.digest}` : ''}; Fargate pulls it when a container starts` }))
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err
        lines.push(progressError(`${typed} was not found: fargated on ECS Fargate does not pull images, Fargate pulls them when a container starts, from ECR or a public registry. Push the image to the namespace's ECR repository first (login from POST /v1/registry/credentials, then docker push from your own engine)`))
      }
      return new Response(lines.join(''), { status: 200, headers: JSON_HEADERS })
    }
    const channel = new Channel<Record<string, unknown>>()
    const abort = new AbortController()
    c.req.raw.signal.addEventListener('abort', () => abort.abort(), { once: true })
    pull(ref, { auth: decodeRegistryAuth(c.req.header('x-registry-auth')), platform, signal: abort.signal, onProgress: (e) => channel.push(e) }).then(
      () => channel.close(),
      (err: unknown) => channel.close(err ?? new Error('pull failed')),
    )
    await channel.ready()
    if (channel.failedEarly) throw channel.failedEarly
    const body = streamBody(async function* (signal) {
      signal.addEventListener('abort', () => abort.abort(), { once: true })
      try {
        for await (const event of channel) yield progressLine(event)
      } catch (err) {
        yield progressError(err instanceof Error ? err.message : String(err))
      }
    }, c.req.raw.signal)
    return new Response(body, { status: 200, headers: JSON_HEADERS })
  })

  app.post('/images/:name{.+}/push', (c) => {
    const name = c.req.param('name')
    const lines = progressLine({ status: `The push refers to repository [${name}]` }) + progressError(pushHint(deps))
    return new Response(lines, { status: 200, headers: JSON_HEADERS })
  })

  /**
   * docker login: the credentials are for a registry, not for fargated, and are not checked
   * here (fargated never contacts the registry on login). The answer is "Login Succeeded"
   * whenever the bearer key is valid, so the CLI stores them and sends them with later pulls.
   */
  app.post('/auth', async (c) => {
    const body = parseJsonBody(await readBody(c, deps), 'the login body')
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InvalidRequestError('the login body must be a JSON object with username, password and serveraddress')
    return c.json({ Status: 'Login Succeeded', IdentityToken: '' })
  })
}
