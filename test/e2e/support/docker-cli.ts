/**
 * Runs the stock `docker` CLI (the first on PATH, as CI does) against a fargated endpoint.
 * Every call has a deadline and is SIGKILLed past it: the CLI can hang on stream commands
 * and forwards softer signals to the container (docker-engine-api.md §4, §5.13).
 */
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface CliResult {
  /** The exit code; null when the CLI was killed at its deadline. */
  code: number | null
  stdout: string
  stderr: string
}

export interface DockerCli {
  (...args: string[]): Promise<CliResult>
  /** The same CLI with other DOCKER_CONFIG (undefined: an empty config folder). */
  withConfig(dir: string): DockerCli
}

/** Variables that would point the CLI elsewhere than DOCKER_HOST. */
const STRAY = ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'DOCKER_API_VERSION', 'DOCKER_TLS']

/** A DOCKER_CONFIG folder whose config.json sends `Authorization: Bearer <key>` on every request. */
export function writeCliConfig(dir: string, key?: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const config = key ? { HttpHeaders: { Authorization: `Bearer ${key}` } } : {}
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(config)}\n`, { mode: 0o600 })
  return dir
}

/** `docker` bound to one endpoint (`tcp://127.0.0.1:PORT`) and one config folder. */
export function dockerCli(host: string, configDir: string, timeoutMs = 30_000): DockerCli {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: host, DOCKER_CONFIG: configDir, DOCKER_CLI_HINTS: 'false' }
  for (const name of STRAY) delete env[name]
  const run = (...args: string[]) =>
    new Promise<CliResult>((resolve) => {
      execFile('docker', args, { env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; killed?: boolean }) | null
        const code = !failure ? 0 : failure.killed || typeof failure.code !== 'number' ? null : failure.code
        resolve({ code, stdout: String(stdout), stderr: String(stderr) })
      })
    })
  return Object.assign(run, { withConfig: (dir: string) => dockerCli(host, dir, timeoutMs) })
}

/** Assertion text for a failed CLI call: the command and what it printed. */
export function explain(args: string[], r: CliResult): string {
  return `docker ${args.join(' ')} → ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`
}
