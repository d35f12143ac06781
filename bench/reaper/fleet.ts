/**
 * A running fleet of N containers for the reaper benchmark, written straight into the memory
 * store and the fake ECS (no latency while seeding). Per 100 containers:
 *   2 past their max lifetime (stopped by the tick), 3 idle with an idle policy (stopped; more
 *   in the "idle storm" scenario), 15 busy with an idle policy (usage read, kept), the rest
 *   without stop policies;
 *   and one container in 200 whose task stopped in ECS while the event was lost (repaired).
 * Recommendations are fresh except for 1 in 100, which the tick refreshes.
 */
import { createHash } from 'node:crypto'
import type { Container, Run } from '../../shared/core/model.js'
import type { UsageSample } from '../../shared/core/ports.js'
import { parseSpec, sizeOf } from '../../shared/core/spec.js'
import { appendUsageSamples } from '../../shared/core/usage/usage-records.js'
import type { FakeEcs } from './fake-ecs.js'
import type { MemoryStore } from './memory-store.js'

export const FAMILY = 'fargated-bench-0123456789abcdef'

export type Role = 'expired' | 'idle' | 'busy' | 'plain'

/** Per 100 containers: 2 expired, `idlePercent` idle, 15 busy, the rest plain. */
export function roleOf(i: number, idlePercent = 3): Role {
  const k = i % 100
  return k < 2 ? 'expired' : k < 2 + idlePercent ? 'idle' : k < 17 + idlePercent ? 'busy' : 'plain'
}

const hex = (label: string, length: number) => createHash('sha256').update(label).digest('hex').slice(0, length)

function samples(from: number, to: number, busy: boolean): UsageSample[] {
  const out: UsageSample[] = []
  for (let t = from; t <= to; t += 60) out.push({ time: t, cpuUnits: busy ? 180 : 1, memoryMiB: busy ? 300 : 60, networkBytesPerSec: busy ? 40_000 : 20 })
  return out
}

export async function seedFleet(n: number, store: MemoryStore, ecs: FakeEcs, nowMs: number, idlePercent = 3): Promise<{ roles: Record<Role, number>; lostEvents: number }> {
  const roles: Record<Role, number> = { expired: 0, idle: 0, busy: 0, plain: 0 }
  let lostEvents = 0
  const now = nowMs / 1000
  const iso = (s: number) => new Date(s * 1000).toISOString()
  for (let i = 0; i < n; i++) {
    const role = roleOf(i, idlePercent)
    roles[role]++
    const id = hex(`container-${i}`, 64)
    const namespace = `team${i % 10}`
    const taskId = hex(`task-${i}`, 32)
    const ref = `arn:aws:ecs:us-east-1:123456789012:task/fargated/${taskId}`
    const started = now - (role === 'expired' ? 2 * 3600 : 3 * 3600)
    const spec = parseSpec({
      image: 'busybox',
      cpu: 0.5,
      memory: 1024,
      ...(role === 'expired' ? { maxLifetime: '1h' } : {}),
      ...(role === 'idle' || role === 'busy' ? { idle: { after: '15m' } } : {}),
    })
    const size = sizeOf(spec)
    const fresh = i % 100 !== 50
    const c: Container = {
      id,
      namespace,
      name: `c${i}`,
      spec,
      size,
      state: { status: 'running', running: true, exitCode: null, oomKilled: false, startedAt: iso(started) },
      createdAt: iso(started),
      runNumber: 1,
      restartCount: 0,
      version: 3,
      recommendation: {
        size,
        current: size,
        basis: { samples: 60, p95CpuUnits: 100, peakMemoryMiB: 200, lookbackSeconds: 86400 },
        monthlyCostCurrent: 0,
        monthlyCostRecommended: 0,
        updatedAt: iso(fresh ? now - 600 : now - 7200),
      },
    }
    const run: Run = {
      containerId: id,
      namespace,
      number: 1,
      backend: 'ecs',
      ref,
      size,
      image: 'busybox',
      capacity: 'on-demand',
      lastStatus: 'RUNNING',
      createdAt: iso(started - 30),
      startedAt: iso(started),
      eventVersion: 3,
    }
    store.seedContainer(c)
    store.seedRun(run)
    const lost = i % 200 === 7
    if (lost) lostEvents++
    ecs.tasks.set(ref, {
      arn: ref,
      containerId: id,
      namespace,
      run: 1,
      family: FAMILY,
      lastStatus: lost ? 'STOPPED' : 'RUNNING',
      version: lost ? 4 : 3,
      startedAt: new Date(started * 1000),
      ...(lost ? { stoppedAt: new Date((now - 120) * 1000), exitCode: 0 } : {}),
    })
    if (role === 'idle' || role === 'busy' || !fresh) {
      await appendUsageSamples(store, taskId, samples(now - 2 * 3600, now - 30, role !== 'idle'))
    }
  }
  return { roles, lostEvents }
}
