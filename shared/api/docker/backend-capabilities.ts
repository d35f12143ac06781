/**
 * Optional backend operations, found structurally: the ComputeBackend port does not carry
 * them; the DockerBackend (local engine) has the image and stats ones. A backend that lacks
 * one gets a 501 (or a reduced answer) from the Docker surface.
 */
import type { Run } from '../../core/model.js'

/** `docker top`: `top(run, psArgs)` → `{Titles, Processes}` (no backend has it yet). */
export interface TopCapable {
  top(run: Run, psArgs?: string): Promise<unknown>
}

/** `docker stats`: the engine's stats object, one (stream=false) or an iterable (stream=true). */
export interface StatsCapable {
  stats(run: Run, options: { stream: boolean; signal?: AbortSignal }): Promise<unknown> | AsyncIterable<unknown>
}

/** Engine image operations (DockerBackend: images are the engine's, with no namespace). */
export interface ImageCapable {
  /** The engine's inspect object; NotFoundError when absent. */
  inspectImage(ref: string): Promise<unknown>
  tagImage(source: string, repo: string, tag: string): Promise<void>
  /** The engine's delete report: `[{Untagged}|{Deleted}]`. */
  removeImage(ref: string, options: { force?: boolean; noprune?: boolean }): Promise<unknown>
  /** Pulls through the engine; progress objects arrive through onProgress. */
  pullImage(ref: string, options: { auth?: RegistryCredentials; platform?: string; onProgress?: (event: Record<string, unknown>) => void; signal?: AbortSignal }): Promise<void>
}

/** X-Registry-Auth, decoded. */
export type RegistryCredentials = { username: string; password: string; serveraddress?: string } | { identitytoken: string; serveraddress?: string }

/** Does `target` have a method `name`? */
export function hasMethod<K extends string>(target: object, name: K): boolean {
  return typeof (target as Record<string, unknown>)[name] === 'function'
}

export function canTop(backend: object): backend is TopCapable {
  return hasMethod(backend, 'top')
}

export function canStats(backend: object): backend is StatsCapable {
  return hasMethod(backend, 'stats')
}

/** The image operation `name`, when the backend has it. */
export function imageOps<K extends keyof ImageCapable>(backend: object, name: K): ImageCapable[K] | undefined {
  const fn = (backend as Record<string, unknown>)[name]
  return typeof fn === 'function' ? (fn.bind(backend) as ImageCapable[K]) : undefined
}

/** Is `value` an async iterable (a stream of objects) rather than one value? */
export function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function'
}
