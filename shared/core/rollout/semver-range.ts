/**
 * A tiny semver range matcher for image tags (no dependency): versions `1.2.3`, `v1.2.3`,
 * `1.2`, `1` (missing parts are 0) with an optional `-prerelease`; ranges made of comparators
 * (`>=1.2.0 <2`, `=1.4.0`), caret `^1.2.3`, tilde `~1.2.3`, x-ranges `1.x`, `1.2.*`, `*`,
 * hyphen ranges `1.2 - 1.4`, and `||` alternatives. As in npm, a prerelease version matches
 * only a comparator with a prerelease on the same major.minor.patch.
 */
export interface SemVer {
  major: number
  minor: number
  patch: number
  prerelease: string[]
}

const VERSION = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/
const PARTIAL = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?$/

/** Parses a tag as a version; undefined when it is not one. */
export function parseVersion(tag: string): SemVer | undefined {
  const m = VERSION.exec(tag.trim())
  if (!m) return undefined
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0), prerelease: m[4] ? m[4].split('.') : [] }
}

function comparePre(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1
    if (b[i] === undefined) return 1
    if (a[i] === b[i]) continue
    const an = /^\d+$/.test(a[i]), bn = /^\d+$/.test(b[i])
    if (an && bn) return Number(a[i]) - Number(b[i])
    if (an !== bn) return an ? -1 : 1
    return a[i] < b[i] ? -1 : 1
  }
  return 0
}

export function compareVersions(a: SemVer, b: SemVer): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || comparePre(a.prerelease, b.prerelease)
}

type Op = '<' | '<=' | '>' | '>=' | '='
interface Comparator { op: Op; version: SemVer }

const v = (major: number, minor = 0, patch = 0, prerelease: string[] = []): SemVer => ({ major, minor, patch, prerelease })
const isX = (s: string | undefined) => s === undefined || /^[xX*]$/.test(s)

/** A partial version (`1`, `1.2`, `1.x`) as the comparators it stands for. */
function xRange(op: string, text: string): Comparator[] {
  const m = PARTIAL.exec(text)
  if (!m) throw new Error(`"${text}" is not a version`)
  const [maj, min, pat] = [m[1], m[2], m[3]]
  const pre = m[4] ? m[4].split('.') : []
  if (isX(maj)) return op === '<' || op === '>' ? [{ op: '<', version: v(0) }] : []
  const M = Number(maj)
  if (isX(min)) {
    if (op === '' || op === '=') return [{ op: '>=', version: v(M) }, { op: '<', version: v(M + 1) }]
    if (op === '>') return [{ op: '>=', version: v(M + 1) }]
    if (op === '<=') return [{ op: '<', version: v(M + 1) }]
    return [{ op: op as Op, version: v(M) }]
  }
  const N = Number(min)
  if (isX(pat)) {
    if (op === '' || op === '=') return [{ op: '>=', version: v(M, N) }, { op: '<', version: v(M, N + 1) }]
    if (op === '>') return [{ op: '>=', version: v(M, N + 1) }]
    if (op === '<=') return [{ op: '<', version: v(M, N + 1) }]
    return [{ op: op as Op, version: v(M, N) }]
  }
  return [{ op: (op || '=') as Op, version: v(M, N, Number(pat), pre) }]
}

function caret(text: string): Comparator[] {
  const m = PARTIAL.exec(text)
  if (!m || isX(m[1])) return []
  const [M, N, P] = [Number(m[1]), isX(m[2]) ? undefined : Number(m[2]), isX(m[3]) ? undefined : Number(m[3])]
  const pre = m[4] ? m[4].split('.') : []
  const low = v(M, N ?? 0, P ?? 0, pre)
  let high: SemVer
  if (M > 0 || N === undefined) high = v(M + 1)
  else if (N > 0 || P === undefined) high = v(0, N + 1)
  else high = v(0, 0, P + 1)
  return [{ op: '>=', version: low }, { op: '<', version: high }]
}

function tilde(text: string): Comparator[] {
  const m = PARTIAL.exec(text)
  if (!m || isX(m[1])) return []
  const [M, N, P] = [Number(m[1]), isX(m[2]) ? undefined : Number(m[2]), isX(m[3]) ? undefined : Number(m[3])]
  const pre = m[4] ? m[4].split('.') : []
  const high = N === undefined ? v(M + 1) : v(M, N + 1)
  return [{ op: '>=', version: v(M, N ?? 0, P ?? 0, pre) }, { op: '<', version: high }]
}

function parseSet(text: string): Comparator[] {
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(text.trim())
  if (hyphen) return [...xRange('>=', hyphen[1]), ...xRange('<=', hyphen[2])]
  const tokens = text.trim().replace(/(<=|>=|<|>|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean)
  return tokens.flatMap((t) => {
    const m = /^(<=|>=|<|>|=|\^|~>?)?(.+)$/.exec(t)!
    const op = m[1] ?? ''
    if (op === '^') return caret(m[2])
    if (op.startsWith('~')) return tilde(m[2])
    return xRange(op, m[2])
  })
}

/** A parsed range: alternatives (||) of comparator sets. Throws on text that is not a range. */
export function parseRange(range: string): Comparator[][] {
  return range.split('||').map(parseSet)
}

function test(c: Comparator, ver: SemVer): boolean {
  const d = compareVersions(ver, c.version)
  switch (c.op) {
    case '<': return d < 0
    case '<=': return d <= 0
    case '>': return d > 0
    case '>=': return d >= 0
    case '=': return d === 0
  }
}

function satisfiesSet(set: Comparator[], ver: SemVer): boolean {
  if (!set.every((c) => test(c, ver))) return false
  if (ver.prerelease.length === 0) return true
  return set.some((c) => c.version.prerelease.length > 0 && c.version.major === ver.major && c.version.minor === ver.minor && c.version.patch === ver.patch)
}

/** Does a version (tag) satisfy a range? False for tags that are not versions. */
export function satisfies(tag: string, range: string): boolean {
  const ver = parseVersion(tag)
  if (!ver) return false
  return parseRange(range).some((set) => satisfiesSet(set, ver))
}

/** Is the text a semver range (as opposed to a plain tag or a glob)? */
export function isSemverRange(text: string): boolean {
  const t = text.trim()
  if (!/^[\s\dvxX*.^~<>=|-]+$/.test(t.replace(/-[0-9A-Za-z.]+/g, (s) => s.replace(/[A-Za-z]/g, '0')))) return false
  if (!/^[\^~<>=]|[xX*]|\|\||\s/.test(t)) return false
  try {
    parseRange(t)
    return true
  } catch {
    return false
  }
}
