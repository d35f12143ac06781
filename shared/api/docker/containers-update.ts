import type { Hono } from 'hono'
import { InvalidSpecError } from '../../core/errors.js'
import type { SpecPatch } from '../../core/spec.js'
import type { AppEnv, ApiDeps } from '../context.js'
import { isUnset, readNumber, readObject, readString, type Obj } from './body-reader.js'
import { namespaceOf } from './docker-auth.js'
import { parseJsonBody } from './docker-errors.js'
import { checkFilterKeys, parseFilters, queryTime } from './query.js'
import { readBody } from './read-body.js'

const MIB = 1024 * 1024
const UPDATABLE = new Set(['NanoCpus', 'CpuQuota', 'CpuPeriod', 'Memory', 'RestartPolicy'])

/** `docker update` body → a spec patch: --cpus, --memory, --restart; other knobs are refused. */
export function translateUpdate(body: Obj): SpecPatch {
  for (const [key, value] of Object.entries(body)) {
    if (!UPDATABLE.has(key) && !isUnset(value) && key !== 'MemorySwap') {
      throw new InvalidSpecError(`docker update of ${key} is not supported: fargated can change --cpus, --memory and --restart`)
    }
  }
  const patch: SpecPatch = {}
  const nano = readNumber(body, 'NanoCpus', '') ?? 0
  const quota = readNumber(body, 'CpuQuota', '') ?? 0
  const period = readNumber(body, 'CpuPeriod', '') ?? 0
  if (nano > 0) patch.cpu = nano / 1e9
  else if (quota > 0) patch.cpu = quota / (period > 0 ? period : 100_000)
  const memory = readNumber(body, 'Memory', '') ?? 0
  if (memory > 0) patch.memory = Math.ceil(memory / MIB)
  const restart = readObject(body, 'RestartPolicy', '')
  const name = restart ? readString(restart, 'Name', 'RestartPolicy.') : undefined
  if (restart && name) {
    const max = readNumber(restart, 'MaximumRetryCount', 'RestartPolicy.') ?? 0
    patch.restartPolicy = { name: name as 'no', ...(max > 0 ? { maximumRetryCount: max } : {}) }
  }
  return patch
}

/** POST /containers/{id}/update and POST /containers/prune. */
export function registerUpdatePrune(app: Hono<AppEnv>, deps: ApiDeps): void {
  app.post('/containers/:id/update', async (c) => {
    const body = parseJsonBody(await readBody(c, deps), 'the update body')
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new InvalidSpecError('the update body must be a JSON object')
    const updated = await deps.containers.update(namespaceOf(c), c.req.param('id'), translateUpdate(body as Obj))
    const warnings = updated.state.running ? ['the new size and policy apply at the next start (Fargate cannot resize a running task)'] : []
    return c.json({ Warnings: warnings })
  })

  app.post('/containers/prune', async (c) => {
    const namespace = namespaceOf(c)
    const filters = parseFilters(c.req.query('filters'))
    checkFilterKeys(filters, ['label', 'until'])
    const until = queryTime(filters.until?.[0], 'until filter')
    const candidates = await deps.containers.list(namespace, { all: true, filters: { label: filters.label } })
    const deleted: string[] = []
    for (const x of candidates) {
      if (x.state.running || x.state.status === 'restarting') continue
      if (until !== undefined && !(Date.parse(x.createdAt) / 1000 < until)) continue
      await deps.containers.remove(namespace, x.id)
      deleted.push(x.id)
    }
    return c.json({ ContainersDeleted: deleted, SpaceReclaimed: 0 })
  })
}
