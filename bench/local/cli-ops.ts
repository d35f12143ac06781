/**
 * The same operations as a user runs them: the stock `docker` CLI (the first on PATH), once
 * with DOCKER_HOST at the engine's socket, once at fargated's, each command a new process as
 * in a shell or a CI script. The CLI's own start-up is in both columns.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { median } from './docker-ops.js'

export interface CliSide {
  /** DOCKER_HOST value. */
  host: string
  /** DOCKER_CONFIG folder (fargated's carries the key in HttpHeaders). */
  configDir: string
}

export interface CliRow {
  op: string
  engine: number
  fargated: number
}

/** A DOCKER_CONFIG folder; with a key, config.json sends it on every request. */
export function cliConfig(dir: string, key?: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  writeFileSync(join(dir, 'config.json'), JSON.stringify(key ? { HttpHeaders: { Authorization: `Bearer ${key}` } } : {}), { mode: 0o600 })
  return dir
}

function docker(side: CliSide, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_HOST: side.host, DOCKER_CONFIG: side.configDir, DOCKER_CLI_HINTS: 'false' }
  for (const stray of ['DOCKER_CONTEXT', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) delete env[stray]
  return new Promise((resolve, reject) => {
    execFile('docker', args, { env, timeout: 60_000 }, (error, stdout, stderr) => (error ? reject(new Error(`docker ${args.join(' ')}: ${stderr || error.message}`)) : resolve(String(stdout))))
  })
}

/** Is a docker CLI on PATH? */
export async function cliAvailable(): Promise<boolean> {
  return new Promise((resolve) => execFile('docker', ['--version'], (error) => resolve(!error)))
}

/**
 * Medians of `runs` for run -d, ps -a, inspect and logs (of an exited and a running container) through the CLI on both sides
 * (alternating, after `warmup` rounds). `onCreated` gets every container id it makes.
 */
export async function measureCli(
  sides: { engine: CliSide; fargated: CliSide },
  opts: {
    image: string
    labels: string[]
    runs: number
    warmup: number
    /** An exited container on each side with 10 lines of output. */
    exited: Record<'engine' | 'fargated', string>
    onCreated(side: 'engine' | 'fargated', id: string): void
  },
): Promise<CliRow[]> {
  const targets: Record<'engine' | 'fargated', string> = { engine: '', fargated: '' }
  const ops: Array<[string, (side: 'engine' | 'fargated') => Promise<void>]> = [
    ['docker run -d', async (side) => {
      const id = (await docker(sides[side], ['run', '-d', ...opts.labels, opts.image, 'sleep', '300'])).trim()
      opts.onCreated(side, id)
      targets[side] ||= id
    }],
    ['docker ps -a', async (side) => void (await docker(sides[side], ['ps', '-a']))],
    ['docker inspect', async (side) => void (await docker(sides[side], ['inspect', targets[side]]))],
    ['docker logs (exited, 10 lines)', async (side) => void (await docker(sides[side], ['logs', opts.exited[side]]))],
    ['docker logs (running)', async (side) => void (await docker(sides[side], ['logs', targets[side]]))],
  ]
  const rows: CliRow[] = []
  for (const [op, fn] of ops) {
    const times = { engine: [] as number[], fargated: [] as number[] }
    for (let i = 0; i < opts.warmup + opts.runs; i++) {
      for (const side of ['engine', 'fargated'] as const) {
        const t = performance.now()
        await fn(side)
        if (i >= opts.warmup) times[side].push(performance.now() - t)
      }
    }
    rows.push({ op, engine: median(times.engine), fargated: median(times.fargated) })
  }
  return rows
}
