import type { CoreDeps } from './core-deps.js'
import { ConflictError } from './errors.js'
import { recordContainerEvent } from './event-log.js'
import { newContainerId } from './ids.js'
import type { Container } from './model.js'
import { generateName, normalizeName } from './names.js'
import { checkSecretRefs } from './secret-refs.js'
import { parseSpec, sizeOf, type ContainerSpec } from './spec.js'

export interface CreateInput {
  spec: unknown
  name?: string
}

/**
 * Validates the spec, claims the name (generated when absent) and writes the container in
 * state `created`. The name claim comes first; if the container write fails the claim is
 * released, so a failed create leaves nothing behind.
 */
export async function createContainer(deps: CoreDeps, namespace: string, input: CreateInput): Promise<Container> {
  const spec: ContainerSpec = parseSpec(input.spec)
  checkSecretRefs(spec, namespace)
  const size = sizeOf(spec)
  const id = newContainerId()
  const name = await claimName(deps, namespace, id, input.name)
  const container: Container = {
    id,
    namespace,
    name,
    spec,
    size,
    state: { status: 'created', running: false, exitCode: null, oomKilled: false },
    createdAt: deps.clock.now().toISOString(),
    runNumber: 0,
    restartCount: 0,
    version: 1,
  }
  try {
    await deps.store.createContainer(container)
  } catch (err) {
    await deps.store.releaseName(namespace, name, id).catch(() => undefined)
    throw err
  }
  await recordContainerEvent(deps.store, deps.clock, container, 'create')
  return container
}

async function claimName(deps: CoreDeps, namespace: string, id: string, requested?: string): Promise<string> {
  if (requested) {
    const name = normalizeName(requested)
    await deps.store.claimName(namespace, name, id)
    return name
  }
  for (let attempt = 0; attempt < 10; attempt++) {
    const name = attempt < 5 ? generateName() : `${generateName()}${attempt}`
    try {
      await deps.store.claimName(namespace, name, id)
      return name
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err
    }
  }
  throw new ConflictError('could not generate a free container name; pass one explicitly')
}
