/**
 * GET /v1/docs: a self-contained page (no CDN: the API may run without internet) that renders
 * /v1/openapi.json with a little inline script. The error-code anchors that problem `type`
 * URIs point at are rendered server-side, so they work without the script.
 */
import { createHash } from 'node:crypto'
import { PROBLEM_CATALOG } from './problem.js'

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:980px;padding:1.5rem;color:#1b1f24}
h1{margin:.2rem 0}h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2rem}
code,pre{font:13px ui-monospace,monospace;background:#f6f8fa;border-radius:4px}pre{padding:.6rem;overflow:auto;white-space:pre-wrap}
details{border:1px solid #d0d7de;border-radius:6px;margin:.4rem 0;padding:.3rem .6rem}summary{cursor:pointer}
.m{display:inline-block;min-width:4.2rem;font-weight:600;font-family:ui-monospace,monospace}
.get{color:#0969da}.post{color:#1a7f37}.patch{color:#9a6700}.delete{color:#cf222e}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #d0d7de;padding:.2rem .5rem;text-align:left;vertical-align:top}
.muted{color:#57606a}`

const SCRIPT = `
(async () => {
  const root = document.getElementById('ops')
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e }
  let doc
  try { doc = await (await fetch('openapi.json')).json() } catch (e) { root.append(el('p', 'Could not load openapi.json: ' + e)); return }
  const schemas = (doc.components && doc.components.schemas) || {}
  const show = (s, depth, seen) => {
    if (!s) return 'any'
    if (s.$ref) { const name = s.$ref.split('/').pop(); return depth > 2 || seen.includes(name) ? name : name + ' ' + show(schemas[name], depth, seen.concat(name)) }
    const alt = s.anyOf || s.oneOf
    if (alt) return alt.map((x) => show(x, depth, seen)).join(' | ')
    if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ')
    if (s.type === 'array') return show(s.items, depth, seen) + '[]'
    if (s.type === 'object' || s.properties) {
      const req = s.required || []
      const pad = '  '.repeat(depth + 1)
      const props = Object.entries(s.properties || {}).map(([k, v]) => pad + k + (req.includes(k) ? '' : '?') + ': ' + show(v, depth + 1, seen) + (v.description ? '  // ' + v.description : ''))
      if (s.additionalProperties && typeof s.additionalProperties === 'object') props.push(pad + '[key]: ' + show(s.additionalProperties, depth + 1, seen))
      return props.length ? '{\\n' + props.join('\\n') + '\\n' + '  '.repeat(depth) + '}' : 'object'
    }
    return [].concat(s.type || 'any').join(' | ')
  }
  document.getElementById('desc').textContent = (doc.info && doc.info.description) || ''
  const server = (doc.servers && doc.servers[0] && doc.servers[0].url) || ''
  const byTag = {}
  for (const [path, item] of Object.entries(doc.paths || {})) for (const [method, op] of Object.entries(item)) {
    const tag = (op.tags && op.tags[0]) || 'other'; (byTag[tag] = byTag[tag] || []).push({ path, method, op })
  }
  for (const [tag, ops] of Object.entries(byTag)) {
    root.append(el('h2', tag))
    for (const { path, method, op } of ops) {
      const d = el('details'); const sum = el('summary')
      sum.append(el('span', method.toUpperCase(), 'm ' + method), el('code', path), el('span', '  ' + (op.summary || ''), 'muted'))
      d.append(sum)
      if (op.description) d.append(el('p', op.description))
      const scopes = (op.security || []).flatMap((r) => Object.values(r).flat())
      d.append(el('p', scopes.length ? 'Scope: ' + scopes.join(', ') : 'No key needed', 'muted'))
      if (op.parameters && op.parameters.length) {
        const t = el('table'); t.append(el('tr')); t.rows[0].append(el('th', 'parameter'), el('th', 'in'), el('th', 'type'), el('th', 'description'))
        for (const p of op.parameters) { const r = el('tr'); r.append(el('td', p.name + (p.required ? ' *' : '')), el('td', p.in), el('td', show(p.schema, 0, [])), el('td', p.description || (p.schema && p.schema.description) || '')); t.append(r) }
        d.append(t)
      }
      const body = op.requestBody && op.requestBody.content
      if (body) for (const [type, media] of Object.entries(body)) d.append(el('p', 'Body (' + type + ')'), el('pre', show(media.schema, 0, [])))
      for (const [status, res] of Object.entries(op.responses || {})) {
        const types = Object.entries(res.content || {})
        d.append(el('p', status + ' ' + (res.description || '') + (types.length ? ' (' + types.map(([t]) => t).join(', ') + ')' : '')))
        if (status < 300) for (const [, media] of types) d.append(el('pre', show(media.schema, 0, [])))
      }
      const curl = 'curl -H "Authorization: Bearer $FARGATED_KEY" -X ' + method.toUpperCase() + ' ' + server + path
      d.append(el('pre', curl))
      root.append(d)
    }
  }
})()`

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64')
}

let page: { html: string; csp: string } | undefined

/** The docs page and the Content-Security-Policy that allows exactly its inline script and style. */
export function docsPage(): { html: string; csp: string } {
  page ??= {
    html: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>fargated API</title><style>${STYLE}</style></head>
<body>
<h1>fargated API</h1>
<p class="muted">Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI 3.1)</p>
<pre id="desc"></pre>
<noscript><p>This page renders <a href="openapi.json">openapi.json</a> with JavaScript.</p></noscript>
<div id="ops"></div>
<h2 id="errors">Error codes</h2>
<p>Errors are <code>application/problem+json</code>; <code>type</code> links here and <code>code</code> is stable.</p>
<table><tr><th>code</th><th>status</th><th>meaning</th></tr>${PROBLEM_CATALOG.map((p) => `<tr id="error-${p.code}"><td><code>${p.code}</code></td><td>${p.status}</td><td>${p.title}</td></tr>`).join('')}</table>
<script>${SCRIPT}</script>
</body></html>`,
    csp: `default-src 'none'; script-src 'sha256-${sha256(SCRIPT)}'; style-src 'sha256-${sha256(STYLE)}'; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'`,
  }
  return page
}
