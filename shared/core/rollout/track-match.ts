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

/** A glob (`*` any run of characters, `?` one character) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${body}$`)
}

export function globMatch(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value)
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
