/**
 * What a container's `track` policy follows. The value is a tag pattern:
 * - `true` (or `same`): the tag the container's image names (`latest` when it names none);
 * - a semver range (`^1.2`, `~1.4.0`, `>=1.0 <2`, `1.x`, `1.2.*`): tags that are versions in it;
 * - a glob with `*` and `?` (`release-*`, `*`): tags it matches;
 * - anything else: that exact tag.
 */
import { isSemverRange, satisfies } from './semver-range.js'

export type TrackRule =
  | { kind: 'exact'; tag: string }
  | { kind: 'glob'; pattern: string }
  | { kind: 'semver'; range: string }

/** The rule a track value stands for; `imageTag` is the tag of the container's image. */
export function trackRule(track: string, imageTag: string | undefined): TrackRule {
  const t = track.trim()
  if (t === 'true' || t === 'same') return { kind: 'exact', tag: imageTag ?? 'latest' }
  if (/^\*+$/.test(t)) return { kind: 'glob', pattern: t }
  if (isSemverRange(t)) return { kind: 'semver', range: t }
  if (/[*?]/.test(t)) return { kind: 'glob', pattern: t }
  return { kind: 'exact', tag: t }
}

/**
 * Does `value` match a glob (`*` any run of characters, `?` one character)? Linear-time
 * two-pointer matching with one backtrack point, so no pattern can make it slow (a RegExp
 * built from a user glob can backtrack exponentially).
 */
export function globMatch(glob: string, value: string): boolean {
  let g = 0
  let v = 0
  let star = -1
  let mark = 0
  while (v < value.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === value[v])) {
      g++
      v++
    } else if (g < glob.length && glob[g] === '*') {
      star = g++
      mark = v
    } else if (star >= 0) {
      g = star + 1
      v = ++mark
    } else {
      return false
    }
  }
  while (g < glob.length && glob[g] === '*') g++
  return g === glob.length
}

/** Does a pushed tag match the rule? */
export function tagMatches(rule: TrackRule, tag: string): boolean {
  switch (rule.kind) {
    case 'exact': return rule.tag === tag
    case 'glob': return globMatch(rule.pattern, tag)
    case 'semver': return satisfies(tag, rule.range)
  }
}

/** A tag pattern (hook filters use the same forms as `track`, without `true`). */
export function tagPatternMatches(pattern: string, tag: string): boolean {
  return tagMatches(trackRule(pattern, undefined), tag)
}
