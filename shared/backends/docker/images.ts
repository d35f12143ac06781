import type Dockerode from 'dockerode'
import { BackendError, InvalidRequestError, NotFoundError } from '../../core/errors.js'
import { parseImageReference } from '../../core/image-reference.js'
import type { ImageInfo, ResolvedImage } from '../../core/ports.js'
import type { EngineContext } from './engine-context.js'
import { chunks } from './engine-stream.js'
import { engineCall, engineMessage, engineStatus, translateEngineError } from './errors.js'
import { jsonLines } from './json-lines.js'

/** The engine's image inspect object, as the Docker-compat `image inspect` returns it. */
export type EngineImage = Dockerode.ImageInspectInfo

/** Registry credentials for a pull (the engine's X-Registry-Auth). */
export type RegistryAuth = { username: string; password: string; serveraddress?: string } | { identitytoken: string; serveraddress?: string }

/** Splits `repo:tag` (the tag is after the last `:` that follows the last `/`). */
export function splitRepoTag(repoTag: string): { repository: string; tag?: string } {
  const colon = repoTag.lastIndexOf(':')
  if (colon > repoTag.lastIndexOf('/')) return { repository: repoTag.slice(0, colon), tag: repoTag.slice(colon + 1) }
  return { repository: repoTag }
}

/** Inspects an image on the engine; a missing one is NotFoundError(`No such image: <ref>`). */
export async function inspectImage(ctx: EngineContext, ref: string): Promise<EngineImage> {
  try {
    return await ctx.docker.getImage(ref).inspect()
  } catch (error) {
    if (engineStatus(error) === 404) throw new NotFoundError(`No such image: ${ref}`, { cause: error })
    throw translateEngineError(error)
  }
}

/**
 * Resolves a spec image on the engine. Local images have no namespace: the reference is used as
 * given. The digest is the registry digest when the image has one (RepoDigests), else its id.
 */
export async function resolveImage(ctx: EngineContext, ref: string): Promise<ResolvedImage> {
  const info = await inspectImage(ctx, ref)
  const repoDigest = info.RepoDigests?.[0]
  const digest = repoDigest?.includes('@') ? repoDigest.slice(repoDigest.indexOf('@') + 1) : info.Id
  return { image: ref, digest }
}

/** Engine images as ImageInfo: one entry per (image, repository); untagged images as `<none>`. */
export async function listImages(ctx: EngineContext): Promise<ImageInfo[]> {
  const images = await engineCall(() => ctx.docker.listImages())
  const out: ImageInfo[] = []
  for (const image of images) {
    const byRepo = new Map<string, string[]>()
    for (const repoTag of image.RepoTags ?? []) {
      if (repoTag === '<none>:<none>') continue
      const { repository, tag } = splitRepoTag(repoTag)
      byRepo.set(repository, [...(byRepo.get(repository) ?? []), ...(tag ? [tag] : [])])
    }
    if (byRepo.size === 0) byRepo.set('<none>', [])
    for (const [repository, tags] of byRepo) {
      const repoDigest = image.RepoDigests?.find((d) => d.startsWith(`${repository}@`))
      out.push({
        id: image.Id,
        repository,
        tags,
        ...(repoDigest ? { digest: repoDigest.slice(repoDigest.indexOf('@') + 1) } : {}),
        sizeBytes: image.Size,
        createdAt: new Date(image.Created * 1000).toISOString(),
      })
    }
  }
  return out
}

/** Tags `source` as `repo:tag`. */
export async function tagImage(ctx: EngineContext, source: string, repo: string, tag: string): Promise<void> {
  await inspectImage(ctx, source)
  await engineCall(() => ctx.docker.getImage(source).tag({ repo, tag }))
}

/** Removes (untags) an image; returns the engine's `[{Untagged}|{Deleted}]` list. */
export async function removeImage(ctx: EngineContext, ref: string, options: { force?: boolean; noprune?: boolean } = {}): Promise<Record<string, string>[]> {
  try {
    return (await ctx.docker.getImage(ref).remove({ force: options.force ?? false, noprune: options.noprune ?? false })) as Record<string, string>[]
  } catch (error) {
    if (engineStatus(error) === 404) throw new NotFoundError(`No such image: ${ref}`, { cause: error })
    throw translateEngineError(error)
  }
}

/**
 * Pulls an image and waits for the end of the progress stream. Errors (including the in-stream
 * `{"error": ...}` form and an offline engine's DNS failure) become BackendError
 * `could not pull <ref>: <engine's reason>`; an unknown repository or tag is NotFoundError.
 */
export async function pullImage(
  ctx: EngineContext,
  ref: string,
  options: { auth?: RegistryAuth; platform?: string; onProgress?: (event: Record<string, unknown>) => void; signal?: AbortSignal } = {},
): Promise<void> {
  let stream: NodeJS.ReadableStream
  try {
    stream = await ctx.docker.pull(ref, {
      ...(options.auth ? { authconfig: options.auth } : {}),
      ...(options.platform ? { platform: options.platform } : {}),
      ...(options.signal ? { abortSignal: options.signal } : {}),
    })
  } catch (error) {
    const e = translateEngineError(error)
    if (e instanceof NotFoundError || e.code === 'engine_unavailable') throw e
    throw new BackendError(`could not pull ${ref}: ${engineMessage(error)}`, { cause: error })
  }
  for await (const value of jsonLines(chunks(stream, options.signal))) {
    const event = value as Record<string, unknown>
    if (typeof event.error === 'string') throw new BackendError(`could not pull ${ref}: ${event.error}`)
    options.onProgress?.(event)
  }
}

/** The port's deleteImage: `docker rmi` without force; what the engine untagged or deleted. */
export async function deleteImage(ctx: EngineContext, ref: string): Promise<{ deleted: string[] }> {
  const report = await removeImage(ctx, ref)
  return { deleted: report.flatMap((entry) => Object.values(entry).filter((v) => typeof v === 'string' && v !== '')) }
}

/** The port's addImageTag: tags `source` as `target` (`repo[:tag]`, `:latest` by default). */
export async function addImageTag(ctx: EngineContext, source: string, target: string): Promise<void> {
  const ref = parseImageReference(target)
  if (ref.digest) throw new InvalidRequestError(`the target ${target} must be a tag (repo:tag), not a digest`)
  const repo = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository
  await tagImage(ctx, source, repo, ref.tag ?? 'latest')
}
