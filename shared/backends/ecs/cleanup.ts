/**
 * `docker rm` on ECS: deregister and delete the task definitions a container's runs used, when
 * no other container of the namespace would use the same definition, and drop their cache
 * records. Best effort by design: a definition left behind costs nothing but a list entry.
 *
 * The definition hashes are recomputed from the container's spec with each run's size and
 * image (run.image is the resolved image given to startRun; the spec image pinned to the run's
 * digest is tried too). Definitions of a spec version replaced by a later patch are not found
 * this way and stay registered.
 */
import type { Container, Run } from '../../core/model.js'
import type { Store } from '../../core/ports.js'
import type { AwsGateway } from './aws-gateway.js'
import type { EcsBackendConfig } from './ecs-config.js'
import { locateImage, runImage } from './image-location.js'
import { planTaskDefinition } from './task-definition.js'

export interface CleanupDeps {
  gateway: AwsGateway
  store: Pick<Store, 'getTaskDefinition' | 'deleteTaskDefinition' | 'listContainers'>
  config: EcsBackendConfig
}

type Shape = Pick<Container, 'namespace' | 'spec'>

function hashOf(config: EcsBackendConfig, c: Shape, size: Run['size'], image: string): string | undefined {
  try {
    return planTaskDefinition({ namespace: c.namespace, spec: c.spec, size, image, config }).hash
  } catch {
    return undefined
  }
}

function pinned(config: EcsBackendConfig, c: Shape, digest: string | undefined): string | undefined {
  try {
    return runImage(locateImage(c.namespace, c.spec.image, config), digest)
  } catch {
    return undefined
  }
}

/** Hashes of the definitions the container's runs used. */
function usedHashes(config: EcsBackendConfig, container: Shape, runs: Run[]): Set<string> {
  const out = new Set<string>()
  for (const run of runs) {
    if (run.backend !== 'ecs') continue
    for (const image of [run.image, pinned(config, container, run.imageDigest)]) {
      const h = image ? hashOf(config, container, run.size, image) : undefined
      if (h) out.add(h)
    }
  }
  return out
}

/** The hash another container's next start would use. */
function nextHash(config: EcsBackendConfig, c: Container): string | undefined {
  const image = pinned(config, c, c.imageDigest)
  return image ? hashOf(config, c, c.size, image) : undefined
}

export async function cleanupTaskDefinitions(deps: CleanupDeps, container: Pick<Container, 'id' | 'namespace' | 'spec'>, runs: Run[]): Promise<void> {
  const hashes = usedHashes(deps.config, container, runs)
  if (hashes.size === 0) return
  const others = (await deps.store.listContainers(container.namespace)).filter((c) => c.id !== container.id)
  for (const c of others) {
    const h = nextHash(deps.config, c)
    if (h) hashes.delete(h)
  }
  for (const hash of hashes) {
    const record = await deps.store.getTaskDefinition(container.namespace, hash)
    if (!record) continue
    await deps.gateway.deregisterTaskDefinition(record.arn)
    await deps.gateway.deleteTaskDefinitions([record.arn])
    await deps.store.deleteTaskDefinition(container.namespace, hash)
  }
}
