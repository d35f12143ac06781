import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { KeyService } from '../core/key-service.js'
import type { Store } from '../core/ports.js'

export const DEFAULT_NAMESPACE = 'default'

/**
 * The bootstrap admin key: FARGATED_ADMIN_KEY when set; else generated on the first start,
 * stored hashed, and returned once (the caller prints it). Later starts return undefined.
 */
export async function bootstrapAdminKey(keys: KeyService, store: Store, configured?: string): Promise<{ secret?: string; created: boolean }> {
  if (configured) {
    await keys.ensure(configured, DEFAULT_NAMESPACE, 'bootstrap admin key (FARGATED_ADMIN_KEY)')
    return { secret: configured, created: false }
  }
  const marker = await store.getRecord<{ keyId: string }>('bootstrap', '_', 'admin-key')
  if (marker) return { created: false }
  const { secret, key } = await keys.create(DEFAULT_NAMESPACE, ['admin'], 'bootstrap admin key (generated at first start)')
  await store.putKey({ ...key, root: true })
  await store.putRecord('bootstrap', '_', 'admin-key', { keyId: key.id })
  return { secret, created: true }
}

/**
 * Writes a DOCKER_CONFIG folder whose config.json sends the key on every docker CLI request
 * (HttpHeaders). The file is 0600 in the data folder, like ~/.docker/config.json.
 */
export function writeDockerConfig(dataDir: string, secret: string): string {
  const dir = join(dataDir, 'docker-config')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify({ HttpHeaders: { Authorization: `Bearer ${secret}` } }, null, 2)}\n`, { mode: 0o600 })
  return dir
}
