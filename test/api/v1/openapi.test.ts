import { Script } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startV1, type V1Harness } from './v1-harness.js'

interface Operation {
  operationId?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string; required?: boolean }[]
  requestBody?: { content: Record<string, { schema: unknown }> }
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>
}
interface Doc {
  openapi: string
  info: { title: string; version: string }
  servers: { url: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, { type: string; scheme: string }> }
}

/** Every /v1 operation and the scope it needs. */
const OPERATIONS: [string, string, string][] = [
  ['post', '/v1/containers', 'write'],
  ['get', '/v1/containers', 'read'],
  ['get', '/v1/containers/{id}', 'read'],
  ['patch', '/v1/containers/{id}', 'write'],
  ['delete', '/v1/containers/{id}', 'write'],
  ['get', '/v1/containers/{id}/runs', 'read'],
  ['post', '/v1/containers/{id}/start', 'write'],
  ['post', '/v1/containers/{id}/stop', 'write'],
  ['post', '/v1/containers/{id}/restart', 'write'],
  ['post', '/v1/containers/{id}/kill', 'write'],
  ['post', '/v1/containers/{id}/wait', 'read'],
  ['get', '/v1/containers/{id}/logs', 'read'],
  ['get', '/v1/images', 'read'],
  ['delete', '/v1/images/{ref}', 'write'],
  ['post', '/v1/images/tag', 'write'],
  ['get', '/v1/events', 'read'],
  ['post', '/v1/keys', 'admin'],
  ['get', '/v1/keys', 'admin'],
  ['delete', '/v1/keys/{id}', 'admin'],
  ['get', '/v1/usage', 'read'],
  ['get', '/v1/containers/{id}/recommendation', 'read'],
  ['post', '/v1/hooks', 'write'],
  ['get', '/v1/hooks', 'read'],
  ['get', '/v1/hooks/{id}', 'read'],
  ['delete', '/v1/hooks/{id}', 'write'],
  ['post', '/v1/hooks/{id}/rotate', 'write'],
  ['get', '/v1/hooks/{id}/deliveries', 'read'],
  ['post', '/v1/registry/credentials', 'write'],
  ['post', '/v1/registry/notifications', 'write'],
]

/** Webhook deliveries authenticate by the sender's signature, not a key. */
const UNAUTHENTICATED: [string, string][] = [['post', '/v1/webhooks/{hookId}']]

let h: V1Harness
let doc: Doc
beforeAll(async () => {
  h = await startV1()
  const res = await h.request('/v1/openapi.json', { key: null })
  expect(res.status).toBe(200)
  doc = (await res.json()) as Doc
})
afterAll(async () => {
  await h?.close()
})

/** Every `$ref` in a value. */
function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else refs(v, out)
    }
  }
  return out
}

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document for this deployment', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(doc.info).toMatchObject({ title: 'fargated API', version: 'test' })
    expect(doc.servers).toEqual([{ url: 'http://localhost', description: 'This deployment' }])
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
  })

  it('lists every route with its scope, an operationId and problem responses', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`))
    expect(listed.sort()).toEqual([...OPERATIONS, ...UNAUTHENTICATED].map(([m, p]) => `${m} ${p}`).sort())
    for (const [method, path] of UNAUTHENTICATED) expect(doc.paths[path][method].security ?? []).toEqual([])
    for (const [method, path, scope] of OPERATIONS) {
      const op = doc.paths[path][method]
      expect(op.security, `${method} ${path}`).toEqual([{ bearer: [scope] }])
      expect(op.responses['401']?.content?.['application/problem+json']).toBeDefined()
      const success = Object.keys(op.responses).filter((s) => s.startsWith('2'))
      expect(success.length, `${method} ${path}`).toBe(1)
    }
    // operationIds are unique and every operation has one.
    const ids = OPERATIONS.map(([m, p]) => doc.paths[p][m].operationId).filter(Boolean)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.length).toBe(OPERATIONS.length)
  })

  it('declares every path parameter and resolves every $ref', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      for (const op of Object.values(item)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path')
        expect(declared.map((p) => p.name).sort()).toEqual(templated.sort())
        expect(declared.every((p) => p.required)).toBe(true)
      }
    }
    const all = refs(doc)
    expect(all.length).toBeGreaterThan(0)
    for (const ref of all) {
      expect(ref).toMatch(/^#\/components\/schemas\//)
      expect(doc.components.schemas[ref.split('/').pop()!], ref).toBeDefined()
    }
  })

  it('documents the shared schemas: the container view, the spec body and the problem', () => {
    for (const name of ['Container', 'ContainerSpec', 'CreateContainer', 'SpecPatch', 'Problem', 'Run', 'Event', 'ApiKey', 'Image', 'LogLine']) {
      expect(doc.components.schemas[name], name).toBeDefined()
    }
    const create = doc.paths['/v1/containers'].post
    expect(refs(create.requestBody)).toEqual(['#/components/schemas/CreateContainer'])
    expect(create.parameters?.map((p) => p.name)).toContain('idempotency-key')
    const logs = doc.paths['/v1/containers/{id}/logs'].get.responses['200'].content!
    expect(Object.keys(logs).sort()).toEqual(['application/x-ndjson', 'text/plain'])
  })
})

describe('GET /v1/docs', () => {
  it('serves a self-contained page that renders the document', async () => {
    const res = await h.request('/v1/docs', { key: null })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).toContain("fetch('openapi.json')")
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']https?:/)
    expect(html).toContain('id="error-not_found"')
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? ''
    expect(() => new Script(script)).not.toThrow()
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toMatch(/default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'/)
    expect(csp).toContain("connect-src 'self'")
  })

  it('renders every operation from the document (script run against a minimal DOM)', async () => {
    const html = await (await h.request('/v1/docs', { key: null })).text()
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? ''
    interface FakeEl { tag: string; textContent: string; className: string; children: FakeEl[]; rows: FakeEl[]; append(...c: FakeEl[]): void }
    const make = (tag: string): FakeEl => {
      const el: FakeEl = { tag, textContent: '', className: '', children: [], rows: [], append: (...c) => { el.children.push(...c); if (tag === 'table') el.rows.push(...c.filter((x) => x.tag === 'tr')) } }
      return el
    }
    const nodes: Record<string, FakeEl> = { ops: make('div'), desc: make('pre') }
    const document = { getElementById: (id: string) => nodes[id], createElement: make }
    const fetch = async () => ({ json: async () => doc })
    await new Script(`(async () => { await ${script.trim().replace(/;?$/, '')} })()`).runInNewContext({ document, fetch, Object, JSON })
    const text = (el: FakeEl): string => [el.textContent, ...el.children.map(text)].join(' ')
    const rendered = text(nodes.ops)
    for (const [, path] of OPERATIONS) expect(rendered).toContain(path)
    expect(rendered).toContain('Scope: admin')
    expect(rendered).toContain('curl -H "Authorization: Bearer $FARGATED_KEY" -X POST http://localhost/v1/containers')
    expect(nodes.desc.textContent).toMatch(/Idempotency-Key/)
  })

  it("has an anchor for every problem type a problem's `type` names", async () => {
    const html = await (await h.request('/v1/docs', { key: null })).text()
    const { PROBLEM_CATALOG } = await import('../../../shared/api/v1/problem.js')
    for (const p of PROBLEM_CATALOG) expect(html).toContain(`id="error-${p.code}"`)
  })
})
