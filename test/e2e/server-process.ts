/**
 * `npm start` as a child process: shared/local/main.ts under tsx, as `npx tsx shared/local/main.ts`
 * runs it, but in one process (`node --import tsx`), so a signal reaches the server itself and a
 * SIGKILL in cleanup leaves no orphan behind. Reads the URL and the admin key from its output;
 * every wait is bounded.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const START_MS = 60_000

export interface ServerProcess {
  url: string
  /** The admin key, when this start printed one. */
  adminKey?: string
  child: ChildProcess
  /** Everything printed so far (stdout and stderr). */
  output(): string
  /** Resolves with the first match of `pattern` in the output, or throws after `timeoutMs`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Sends `signal` and resolves with the exit code (null when killed by a signal); bounded. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>
}

export async function startServer(env: Record<string, string | undefined>): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, FARGATED_ADMIN_KEY: undefined, FARGATED_REAPER_INTERVAL: '0', FARGATED_PORT: '0', ...env }
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k]
  const child = spawn(process.execPath, ['--import', 'tsx', 'shared/local/main.ts'], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let text = ''
  const listeners = new Set<() => void>()
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8')
    for (const l of listeners) l()
  }
  child.stdout!.on('data', onData)
  child.stderr!.on('data', onData)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

  function waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(text)
        if (!m) return false
        done()
        resolve(m)
        return true
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`no ${pattern} in the server output within ${timeoutMs} ms:\n${text}`))
      }, timeoutMs)
      const gone = () => {
        done()
        reject(new Error(`the server exited before printing ${pattern}:\n${text}`))
      }
      const done = () => {
        clearTimeout(timer)
        listeners.delete(listener)
        child.off('exit', gone)
      }
      const listener = () => void check()
      if (check()) return
      listeners.add(listener)
      child.once('exit', gone)
    })
  }

  const [, url] = await waitForOutput(/is listening on (http:\/\/\S+)/, START_MS)
  // The key (first start only) is printed before these lines.
  await waitForOutput(/Point the docker CLI at fargated/)
  const key = /Admin API key[^\n]*\n\s*(\S+)/.exec(text)
  return {
    url,
    adminKey: key?.[1],
    child,
    output: () => text,
    waitForOutput,
    async stop(signal = 'SIGTERM', timeoutMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode
      child.kill(signal)
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the server did not exit within ${timeoutMs} ms of ${signal}:\n${text}`)), timeoutMs)
      })
      try {
        return await Promise.race([exited, timeout])
      } finally {
        clearTimeout(timer)
      }
    },
  }
}

/** fetch against the server with the key (when given), JSON in and out, bounded. */
export function apiClient(base: string, key?: string) {
  return async function api(method: string, path: string, body?: unknown): Promise<{ status: number; type: string; json: () => Record<string, unknown>; text: string }> {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    })
    const text = await res.text()
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) as Record<string, unknown> }
  }
}
