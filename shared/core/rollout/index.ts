/** Image pushed → redeploy: the domain event, track matching and rollouts. */
export { RolloutService, PUSH_DEDUPE_TTL_S, type RolloutOptions } from './rollout-service.js'
export { localRepositoryNaming, canonicalHost, pushKey, pinnedImage, retaggedImage, type ImagePushed, type RepositoryNaming } from './image-pushed.js'
export { trackRule, tagMatches, tagPatternMatches, globMatch, type TrackRule } from './track-match.js'
export { satisfies, parseVersion, isSemverRange } from './semver-range.js'
export { shouldFollow } from './tracking.js'
export { DEFAULT_ROLLOUT_TIMEOUT_S } from './rollout-start.js'
export type { RolloutDeps, RolloutRecord, RolloutResult, RolloutTarget, RolloutOutcome, RunHealth } from './rollout-types.js'
