/**
 * An in-process DynamoDB-compatible server (dynalite) for local mode and tests. With `path`
 * the data lives in a LevelDB folder and survives restarts; without it, in memory.
 *
 * dynalite has no transactions and never deletes items by TTL: the store copes with both
 * (conditional single-item writes; expired items are ignored on read).
 */
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'

export interface EmbeddedDynamoOptions {
  /** LevelDB folder; omitted = in memory. */
  path?: string
  /** 0 (the default) picks a free port. */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
}

export interface EmbeddedDynamo {
  /** e.g. `http://127.0.0.1:41234`, for createDocumentClient({ endpoint }). */
  endpoint: string
  /** Stops listening and closes the LevelDB store (so the same path can be opened again). */
  close(): Promise<void>
}

interface DynaliteOptions {
  path?: string
  createTableMs?: number
  deleteTableMs?: number
  updateTableMs?: number
}

type Dynalite = (options: DynaliteOptions) => Server

// dynalite is CommonJS without type declarations.
const dynalite = createRequire(import.meta.url)('dynalite') as Dynalite

export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const host = options.host ?? '127.0.0.1'
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const urlHost = host.includes(':') ? `[${host}]` : host
  let closed: Promise<void> | undefined
  return {
    endpoint: `http://${urlHost}:${port}`,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        // SDK clients keep sockets alive; idle ones would hold close() open.
        server.closeIdleConnections()
      })
      return closed
    },
  }
}
