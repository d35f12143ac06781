import { imageTag } from './image-pushed.js'
import { parseVersion, compareVersions } from './semver-range.js'
import { tagMatches, trackRule } from './track-match.js'

/**
 * Does a container running `specImage` with `track` follow a push of `pushedTag`? The tag
 * must match the track rule; with a semver range it must also not be older than the version
 * the container runs (a rebuilt old release does not roll a container back).
 */
export function shouldFollow(track: string, specImage: string, pushedTag: string): boolean {
  const current = imageTag(specImage)
  const rule = trackRule(track, current)
  if (!tagMatches(rule, pushedTag)) return false
  if (rule.kind !== 'semver' || !current) return true
  const from = parseVersion(current)
  const to = parseVersion(pushedTag)
  return !from || !to || compareVersions(to, from) >= 0
}
