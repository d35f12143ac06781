import type { Container, DomainEvent } from './model.js'
import type { Clock, Store } from './ports.js'

let lastNano = 0n

/** A strictly increasing nanosecond timestamp (Docker's timeNano), as a decimal string. */
export function nextTimeNano(clock: Clock): string {
  const now = BigInt(clock.now().getTime()) * 1_000_000n
  lastNano = now > lastNano ? now : lastNano + 1n
  return lastNano.toString()
}

/** Docker-style event attributes for a container: name, image and its labels. */
export function containerAttributes(c: Container, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const attrs: Record<string, string> = { ...c.spec.labels, name: c.name, image: c.spec.image }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) attrs[k] = v
  return attrs
}

/** Records a container event. Failures to record are logged, never fatal to the operation. */
export async function recordContainerEvent(
  store: Store,
  clock: Clock,
  container: Container,
  action: DomainEvent['action'],
  extra: Record<string, string | undefined> = {},
): Promise<void> {
  const event: DomainEvent = {
    namespace: container.namespace,
    timeNano: nextTimeNano(clock),
    type: 'container',
    action,
    id: container.id,
    attributes: containerAttributes(container, extra),
  }
  try {
    await store.appendEvent(event)
  } catch (err) {
    console.error(JSON.stringify({ msg: 'event not recorded', action, container: container.id, error: String(err) }))
  }
}
