/**
 * Helpers for suites that run on the real engine. Wrap them in
 * `describe.skipIf(!engineAvailable())(...)`, label every engine container with
 * `suiteLabels(id)` (the DockerBackend `labels` option) and call `removeSuiteContainers(id)`
 * in afterAll.
 */
import { randomBytes } from 'node:crypto'
import Dockerode from 'dockerode'
import { inject } from 'vitest'
import { newContainerId } from '../../shared/core/ids.js'
import type { StartRunInput } from '../../shared/core/ports.js'
import { parseSpec, sizeOf, type ContainerSpecInput } from '../../shared/core/spec.js'

/** The image scripts/test-image.sh builds from the host's static busybox. */
export const TEST_IMAGE = 'fargated-test/busybox:1'

/** The label that marks engine containers created by a test suite. */
export const TEST_LABEL = 'fargated.test'

/** True when global setup found an engine (see test/support/engine-setup.ts). */
export function engineAvailable(): boolean {
  return inject('engineAvailable')
}

/** A fresh suite id (`<name>-<hex>`) for labelling that suite's engine containers. */
export function suiteId(name: string): string {
  return `${name}-${randomBytes(4).toString('hex')}`
}

export function suiteLabels(id: string): Record<string, string> {
  return { [TEST_LABEL]: id }
}

/** Force-removes every engine container labelled fargated.test=<id>; returns how many. */
export async function removeSuiteContainers(id: string, docker: Dockerode = new Dockerode()): Promise<number> {
  const found = await docker.listContainers({ all: true, filters: { label: [`${TEST_LABEL}=${id}`] } })
  await Promise.all(found.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)))
  return found.length
}

/** A StartRunInput for the test image (spec defaults applied; a new container id and token). */
export function runInput(spec: Partial<ContainerSpecInput> = {}, overrides: Partial<StartRunInput> = {}): StartRunInput {
  const parsed = parseSpec({ image: TEST_IMAGE, ...spec })
  const id = newContainerId()
  return {
    container: { id, namespace: 'test', name: `t-${id.slice(0, 8)}`, spec: parsed },
    runNumber: 1,
    size: sizeOf(parsed),
    image: parsed.image,
    capacity: 'on-demand',
    token: `tok-${randomBytes(8).toString('hex')}`,
    ...overrides,
  }
}

/** Polls `check` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}
