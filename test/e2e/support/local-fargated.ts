/** Local mode in-process for the client suites: a temp data folder, port 0, a known admin key. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startLocalServer, type LocalServer } from '../../../shared/local/local-server.js'

export interface LocalFargated {
  server: LocalServer
  /** `tcp://127.0.0.1:PORT`, for DOCKER_HOST. */
  dockerHost: string
  port: number
  key: string
  /** A scratch folder removed by close(). */
  dir: string
  close(): Promise<void>
}

/**
 * `engineLabels` (e.g. `{ 'fargated.test': suite }`) mark every engine container of this
 * server and keep other servers' containers out of its engine watch.
 */
export async function startLocalFargated(engineLabels?: Record<string, string>): Promise<LocalFargated> {
  const dir = mkdtempSync(join(tmpdir(), 'fargated-e2e-'))
  const key = `fgd_e2e_${randomBytes(16).toString('hex')}`
  const server = await startLocalServer(
    {
      host: '127.0.0.1',
      port: 0,
      dataDir: join(dir, 'data'),
      socketPath: join(dir, 'fargated.sock'),
      adminKey: key,
      reaperIntervalSeconds: 0,
      engineRetrySeconds: 1,
      publishHost: '127.0.0.1',
      tableName: 'fargated',
      engineLabels,
    },
    () => undefined,
  )
  const port = Number(new URL(server.url).port)
  return {
    server,
    dockerHost: `tcp://127.0.0.1:${port}`,
    port,
    key,
    dir,
    async close() {
      await server.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
