import type { ComputeBackend } from '../../../shared/core/ports.js'
import { startApiHarness } from '../../support/api-harness.js'
import { FakeBackend } from '../../support/fake-backend.js'
import { CREATE_BODY, bodyOf } from './fixtures.js'

export type Harness = Awaited<ReturnType<typeof startApiHarness>>

/** The harness on a FakeBackend (kind 'ecs' unless `kind` says 'docker'). */
export async function startDockerHarness(options: { kind?: 'ecs' | 'docker'; backend?: ComputeBackend } = {}) {
  const backend = options.backend ?? new FakeBackend()
  if (options.kind === 'docker') Object.defineProperty(backend, 'kind', { value: 'docker' })
  const h = await startApiHarness({ backend, pollIntervalMs: 10 })
  return { ...h, fake: backend as FakeBackend }
}

/** Creates a container through the Docker route from the CLI's `docker create` body. */
export async function dockerCreate(h: Harness, name: string, changes: Record<string, unknown> = {}): Promise<string> {
  const res = await h.request(`/v1.44/containers/create?name=${name}`, { method: 'POST', json: bodyOf(CREATE_BODY, { Image: 'busybox', ...changes }) })
  if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { Id: string }).Id
}

/** Creates and starts, then applies the task's RUNNING observation; returns the id and the fake task ref. */
export async function dockerRun(h: Harness & { fake: FakeBackend }, name: string, changes: Record<string, unknown> = {}): Promise<{ id: string; ref: string }> {
  const id = await dockerCreate(h, name, changes)
  const res = await h.request(`/v1.44/containers/${id}/start`, { method: 'POST' })
  if (res.status !== 204) throw new Error(`start ${name}: ${res.status} ${await res.text()}`)
  const run = await h.store.getRun(id, 1)
  const ref = run!.ref!
  await h.containers.observe(h.fake.observe(h.fake.tasks.get(ref)!))
  return { id, ref }
}

/** Ends a fake task with an exit code and applies the observation, as the events function would. */
export async function finishTask(h: Harness & { fake: FakeBackend }, ref: string, exitCode: number): Promise<void> {
  await h.containers.observe(h.fake.finish(ref, exitCode))
}

/** The whole body as bytes. */
export async function bytesOf(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer())
}

/** Reads chunks until `until` says the text so far is complete, then cancels the body. */
export async function readUntil(res: Response, until: (text: string) => boolean): Promise<string> {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  while (!until(text)) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  await reader.cancel()
  return text
}
