/**
 * The container lifecycle as the core promises it, written once and run on every backend
 * (ecs.contract.test.ts: EcsBackend on the ECS simulator; docker.contract.test.ts: DockerBackend
 * on the real engine). Waits are bounded polls of the store; nothing asserts on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContainerService } from '../../shared/core/container-service.js'
import { ConflictError, NotFoundError, NotModifiedError, ThrottledError } from '../../shared/core/errors.js'
import type { Container, Run } from '../../shared/core/model.js'
import type { LogOptions } from '../../shared/core/ports.js'
import { startDueRestart } from '../../shared/core/reaper/restarts.js'
import type { ContainerSpecInput } from '../../shared/core/spec.js'
import { waitFor } from '../support/engine.js'
import type { ContractEnv } from './contract-env.js'

export type { ContractEnv } from './contract-env.js'

const WAIT_MS = 20_000
/** Killed by signal: 137 (SIGKILL, the engine with a 0 s timeout) or 143 (SIGTERM, ECS). */
const KILLED = [137, 143]

export function defineLifecycleContract(name: string, setup: () => Promise<ContractEnv>, options: { skip?: boolean } = {}): void {
  describe.skipIf(options.skip ?? false)(`lifecycle contract: ${name}`, () => {
    let env: ContractEnv
    let ns: string
    let svc: ContainerService

    beforeAll(async () => {
      env = await setup()
      ns = env.namespace
      svc = env.service
    })
    afterAll(async () => {
      if (!env) return
      for (const c of await svc.list(ns, { all: true })) await svc.remove(ns, c.id, { force: true }).catch(() => undefined)
      await env.close()
    })

    const spec = (script: string, extra: Partial<ContainerSpecInput> = {}): ContainerSpecInput => ({ image: env.image, cmd: ['sh', '-c', script], ...extra })

    /** Polls the container until `check` holds. */
    const until = (ref: string, check: (c: Container) => boolean, what: string): Promise<Container> =>
      waitFor(async () => {
        const c = await svc.resolve(ns, ref)
        return check(c) ? c : undefined
      }, `${name}: ${what}`, WAIT_MS, 20)

    /** Polls the container's current run until `check` holds. */
    const untilRun = (ref: string, check: (run: Run) => boolean, what: string): Promise<{ container: Container; run: Run }> =>
      waitFor(async () => {
        const { container, run } = await svc.inspect(ns, ref)
        return run && check(run) ? { container, run } : undefined
      }, `${name}: ${what}`, WAIT_MS, 20)

    const runRunning = async (containerName: string): Promise<Container> => {
      const c = await svc.run(ns, { spec: spec('sleep 300'), name: containerName })
      return (await untilRun(c.id, (r) => r.lastStatus === 'RUNNING', `${containerName} RUNNING`)).container
    }

    const logLines = async (ref: string, options: LogOptions = {}): Promise<string[]> => {
      const out: string[] = []
      for await (const line of await svc.logs(ns, ref, options)) out.push(line.message)
      return out
    }

    /** Creates, then starts, so that next-exit sees the run end however fast it is. */
    const runToExit = async (containerName: string, script: string, extra: Partial<ContainerSpecInput> = {}) => {
      const c = await svc.run(ns, { spec: spec(script, extra), name: containerName, start: false })
      const waiting = svc.wait(ns, c.id, { condition: 'next-exit', timeoutMs: WAIT_MS })
      await svc.start(ns, c.id)
      return { container: c, result: await waiting }
    }

    it('run → running, listed by ps, found by inspect (name or id prefix)', async () => {
      const started = await svc.run(ns, { spec: spec('sleep 300'), name: 'web' })
      expect(started).toMatchObject({ name: 'web', runNumber: 1, state: { running: true, status: 'running' } })
      const { run } = await untilRun('web', (r) => r.lastStatus === 'RUNNING', 'web RUNNING')
      expect(run).toMatchObject({ number: 1, containerId: started.id, ref: expect.any(String) })
      await env.settle()

      expect((await svc.list(ns)).map((c) => c.id)).toContain(started.id)
      const byPrefix = await svc.inspect(ns, started.id.slice(0, 12))
      expect(byPrefix.container).toMatchObject({ id: started.id, name: 'web', state: { status: 'running', running: true } })
      expect(byPrefix.container.spec.cmd).toEqual(['sh', '-c', 'sleep 300'])
      expect(byPrefix.run?.ref).toBe(run.ref)
    })

    it('a script that echoes and exits 3: wait(next-exit) = 3, its lines in logs, ps -a shows exited (3)', async () => {
      const { container, result } = await runToExit('exit3', 'echo hello-contract; echo to-stderr >&2; exit 3')
      expect(result.statusCode).toBe(3)

      const lines = await logLines(container.id)
      expect(lines).toEqual(expect.arrayContaining(['hello-contract', 'to-stderr']))
      const all = await svc.list(ns, { all: true })
      expect(all.find((c) => c.id === container.id)?.state).toMatchObject({ status: 'exited', running: false, exitCode: 3 })
      expect((await svc.list(ns)).some((c) => c.id === container.id)).toBe(false)
    })

    it('stop a running container → exited; stop again → NotModified', async () => {
      const c = await runRunning('stopper')
      await svc.stop(ns, c.id, { timeoutSeconds: 0 })
      const stopped = await until(c.id, (x) => x.state.status === 'exited', 'stopper exited')
      expect(stopped.state.running).toBe(false)
      expect(KILLED).toContain(stopped.state.exitCode)
      await expect(svc.stop(ns, c.id, { timeoutSeconds: 0 })).rejects.toBeInstanceOf(NotModifiedError)
    })

    it('start a stopped container → a second run', async () => {
      const c = await runRunning('again')
      await svc.stop(ns, c.id, { timeoutSeconds: 0 })
      await until(c.id, (x) => x.state.status === 'exited', 'again exited')

      const restarted = await svc.start(ns, c.id)
      expect(restarted.runNumber).toBe(2)
      const { run } = await untilRun(c.id, (r) => r.number === 2 && r.lastStatus === 'RUNNING', 'run 2 RUNNING')
      const runs = await svc.deps.store.listRuns(c.id)
      expect(runs.map((r) => r.number).sort()).toEqual([1, 2])
      expect(runs.find((r) => r.number === 1)).toMatchObject({ lastStatus: 'STOPPED' })
      expect(run.ref).not.toBe(runs.find((r) => r.number === 1)?.ref)
      await expect(svc.start(ns, c.id)).rejects.toBeInstanceOf(NotModifiedError)
    })

    it('restart → the run number increments and the old run ends', async () => {
      const c = await runRunning('restarter')
      const restarted = await svc.restart(ns, c.id, { timeoutSeconds: 0 })
      expect(restarted.runNumber).toBe(2)
      await untilRun(c.id, (r) => r.number === 2 && r.lastStatus === 'RUNNING', 'run 2 RUNNING')
      await waitFor(async () => ((await svc.deps.store.getRun(c.id, 1))?.lastStatus === 'STOPPED' ? true : undefined), `${name}: run 1 STOPPED`, WAIT_MS, 20)
      expect((await svc.resolve(ns, c.id)).state).toMatchObject({ status: 'running', running: true })
    })

    it('kill → exited; kill again → Conflict (not running)', async () => {
      const c = await runRunning('killer')
      await svc.kill(ns, c.id)
      const killed = await until(c.id, (x) => x.state.status === 'exited', 'killer exited')
      expect(KILLED).toContain(killed.state.exitCode)
      await expect(svc.kill(ns, c.id)).rejects.toBeInstanceOf(ConflictError)
    })

    it('rm of a running container needs force; rm -f removes it and frees the name', async () => {
      const c = await runRunning('remover')
      await expect(svc.remove(ns, c.id)).rejects.toBeInstanceOf(ConflictError)
      expect((await svc.resolve(ns, c.id)).state.running).toBe(true)

      await svc.remove(ns, 'remover', { force: true })
      await expect(svc.resolve(ns, c.id)).rejects.toBeInstanceOf(NotFoundError)
      await expect(svc.inspect(ns, 'remover')).rejects.toBeInstanceOf(NotFoundError)
      const again = await svc.run(ns, { spec: spec('true'), name: 'remover', start: false })
      expect(again.id).not.toBe(c.id)
      await svc.remove(ns, again.id)
      await expect(svc.resolve(ns, again.id)).rejects.toBeInstanceOf(NotFoundError)
    })

    it('rename: the new name resolves, the old one is free', async () => {
      const c = await svc.run(ns, { spec: spec('true'), name: 'old-name', start: false })
      const renamed = await svc.rename(ns, 'old-name', 'new-name')
      expect(renamed).toMatchObject({ id: c.id, name: 'new-name' })
      expect((await svc.resolve(ns, 'new-name')).id).toBe(c.id)
      await expect(svc.resolve(ns, 'old-name')).rejects.toBeInstanceOf(NotFoundError)
      const other = await svc.run(ns, { spec: spec('true'), name: 'old-name', start: false })
      await expect(svc.rename(ns, other.id, 'new-name')).rejects.toBeInstanceOf(ConflictError)
    })

    it('a taken name is a conflict and starts nothing', async () => {
      const first = await svc.run(ns, { spec: spec('true'), name: 'taken', start: false })
      await expect(svc.run(ns, { spec: spec('sleep 300'), name: 'taken' })).rejects.toBeInstanceOf(ConflictError)
      const named = (await svc.list(ns, { all: true })).filter((c) => c.name === 'taken')
      expect(named.map((c) => c.id)).toEqual([first.id])
      expect(named[0].state.status).toBe('created')
    })

    it('logs tail: the last N lines, across runs', async () => {
      const script = 'echo line-1; echo line-2; echo line-3; echo line-4; echo line-5'
      const { container, result } = await runToExit('tailer', script)
      expect(result.statusCode).toBe(0)
      expect(await logLines(container.id)).toEqual(['line-1', 'line-2', 'line-3', 'line-4', 'line-5'])
      expect(await logLines(container.id, { tail: 2 })).toEqual(['line-4', 'line-5'])
      expect(await logLines(container.id, { tail: 0 })).toEqual([])

      const waiting = svc.wait(ns, container.id, { condition: 'next-exit', timeoutMs: WAIT_MS })
      await svc.start(ns, container.id)
      expect((await waiting).statusCode).toBe(0)
      expect(await logLines(container.id, { tail: 7 })).toEqual(['line-4', 'line-5', 'line-1', 'line-2', 'line-3', 'line-4', 'line-5'])
    })

    it('a start retried after a lost runtime answer reuses the token: one task', async () => {
      const c = await svc.run(ns, { spec: spec('sleep 300'), name: 'lost-answer', start: false })
      env.pauseEvents()
      try {
        env.loseNextStartResponse()
        await expect(svc.start(ns, c.id)).rejects.toBeInstanceOf(ThrottledError)
        expect((await svc.resolve(ns, c.id)).state.running).toBe(false)
        const retried = await svc.start(ns, c.id)
        expect(retried.runNumber).toBe(1)
      } finally {
        env.resumeEvents()
      }
      const { container } = await untilRun(c.id, (r) => r.lastStatus === 'RUNNING', 'lost-answer RUNNING')
      await env.settle()
      expect(container.runNumber).toBe(1)
      expect(await env.runtimeRunCount(c.id)).toBe(1)
    })

    // When the runtime's events adopt the run before the lost answer surfaces, the start must not
    // revert the container over that run: a retry would start a second task.
    it('a start retried after a lost answer whose run was already adopted from events: one task', async () => {
      const c = await svc.run(ns, { spec: spec('sleep 300'), name: 'late-answer', start: false })
      env.loseNextStartResponse({ afterEventsApplied: true })
      await expect(svc.start(ns, c.id)).rejects.toBeInstanceOf(ThrottledError)
      await svc.start(ns, c.id).catch((err: unknown) => {
        if (!(err instanceof NotModifiedError)) throw err
      })
      await untilRun(c.id, (r) => r.lastStatus === 'RUNNING', 'late-answer RUNNING')
      await env.settle()
      expect(await env.runtimeRunCount(c.id)).toBe(1)
      expect((await svc.resolve(ns, c.id)).runNumber).toBe(1)
    })

    it('restart policy on-failure:2: exactly two restarts, then exited', async () => {
      const policy = { restartPolicy: { name: 'on-failure' as const, maximumRetryCount: 2 } }
      const c = await svc.run(ns, { spec: spec('echo crash; exit 1', policy), name: 'crashy' })
      for (const attempt of [1, 2]) {
        const due = await until(c.id, (x) => !x.state.running && x.restartAt !== undefined, `restart ${attempt} scheduled`)
        expect(due.state.status).toBe('restarting')
        const restarted = await startDueRestart(svc.deps, due, Date.parse(due.restartAt!) / 1000)
        expect(restarted).toMatchObject({ restartCount: attempt, runNumber: attempt + 1 })
      }
      const final = await until(c.id, (x) => x.runNumber === 3 && x.state.status === 'exited', 'final exit')
      expect(final).toMatchObject({ restartCount: 2, state: { exitCode: 1, running: false } })
      expect(final.restartAt).toBeUndefined()
      expect(await startDueRestart(svc.deps, final, Date.now() / 1000 + 3600)).toBeUndefined()
      await env.settle()
      expect(await env.runtimeRunCount(c.id)).toBe(3)
    })
  })
}
