/**
 * Architecture boundaries (DESIGN §1-§2), checked in `npm test`:
 * - shared/core imports no @aws-sdk/*, hono or dockerode;
 * - a backend does not import another backend;
 * - functions/ does not import infra/; shared/ does not import infra/ or functions/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative, resolve, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

interface Rule {
  /** Files this rule applies to (path relative to the repo, forward slashes). */
  from: RegExp
  /** Import specifiers (packages) or resolved paths (relative imports) it must not use. */
  forbid: RegExp
  why: string
}

export const RULES: Rule[] = [
  { from: /^shared\/core\//, forbid: /^(@aws-sdk\/|hono($|\/)|@hono\/|dockerode$)/, why: 'the core imports no SDK, hono or dockerode' },
  { from: /^shared\/core\//, forbid: /^(shared\/(api|backends|store|local)|functions|infra)\//, why: 'the core depends on nothing outside it' },
  { from: /^shared\/backends\/ecs\//, forbid: /^shared\/backends\/docker\//, why: 'backends do not import each other' },
  { from: /^shared\/backends\/docker\//, forbid: /^shared\/backends\/ecs\//, why: 'backends do not import each other' },
  { from: /^functions\//, forbid: /^infra\//, why: 'functions/ does not import infra/' },
  { from: /^shared\//, forbid: /^(infra|functions)\//, why: 'shared/ does not import infra/ or functions/' },
]

function files(dir: string): string[] {
  let out: string[] = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out = out.concat(files(p))
    else if (/\.ts$/.test(name)) out.push(p)
  }
  return out
}

export function violations(): string[] {
  const found: string[] = []
  for (const top of ['shared', 'functions']) {
    for (const file of files(join(root, top))) {
      const rel = relative(root, file).split('\\').join('/')
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2]
        const target = spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)).split('\\').join('/') : spec
        for (const rule of RULES) {
          if (rule.from.test(rel) && rule.forbid.test(target)) found.push(`${rel}: imports "${spec}" — ${rule.why}`)
        }
      }
    }
  }
  return found
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const v = violations()
  if (v.length) {
    console.error(`Boundary violations (${v.length}):\n${v.join('\n')}`)
    process.exit(1)
  }
  console.log('boundaries: ok')
}
