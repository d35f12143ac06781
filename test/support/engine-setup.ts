/**
 * Finds a container engine for the engine-backed suites (called once by test/global-setup.ts):
 * the one at DOCKER_HOST or /var/run/docker.sock, with the test image built by
 * scripts/test-image.sh; when none answers, DOCKER_HOST is unset and we are root on an apt
 * system, runs scripts/engine.sh (installs and starts one) and tries again.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import Dockerode from 'dockerode'

const run = promisify(execFile)
const SCRIPTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../scripts')

function where(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock'
}

async function ping(): Promise<string | undefined> {
  try {
    await new Dockerode({ timeout: 5000 }).ping()
    return undefined
  } catch (error) {
    const code = (error as { code?: string }).code
    return `no engine answers at ${where()}${code ? ` (${code})` : `: ${(error as Error).message}`}`
  }
}

async function script(name: string, timeoutMs: number): Promise<string | undefined> {
  try {
    await run('bash', [resolve(SCRIPTS, name)], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 })
    return undefined
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string }
    const tail = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim().split('\n').slice(-5).join(' | ')
    return `scripts/${name} failed: ${tail || e.message}`
  }
}

/** scripts/engine.sh manages the local default socket, so only without DOCKER_HOST. */
function canInstall(): boolean {
  return !process.env.DOCKER_HOST && process.getuid?.() === 0 && ['/usr/bin/apt-get', '/bin/apt-get'].some((p) => existsSync(p))
}

export async function ensureTestEngine(): Promise<{ available: boolean; reason: string }> {
  let unreachable = await ping()
  if (unreachable && canInstall()) {
    const failed = await script('engine.sh', 10 * 60_000)
    unreachable = await ping()
    if (unreachable) return { available: false, reason: failed ?? unreachable }
  }
  if (unreachable) return { available: false, reason: unreachable }
  const imageFailed = await script('test-image.sh', 120_000)
  if (imageFailed) return { available: false, reason: imageFailed }
  return { available: true, reason: `engine at ${where()}` }
}
