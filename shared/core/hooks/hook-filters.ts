import { globMatch, tagPatternMatches } from '../rollout/track-match.js'
import type { Trigger } from './delivery-types.js'
import type { HookFilters } from './hook-model.js'

/**
 * Why a trigger does not pass the hook's filters, or undefined when it does. Every filter
 * given must match; a filter on a field the delivery lacks does not match.
 */
export function filterMismatch(filters: HookFilters, t: Trigger): string | undefined {
  const events = filters.event === undefined ? undefined : Array.isArray(filters.event) ? filters.event : [filters.event]
  if (events && !events.includes(t.event)) return `event ${t.event} is not ${events.join(' or ')}`
  const checks: [keyof HookFilters & keyof Trigger, (pattern: string, value: string) => boolean][] = [
    ['repo', (p, v) => globMatch(p.toLowerCase(), v.toLowerCase())],
    ['branch', globMatch],
    ['workflow', globMatch],
    ['tag', tagPatternMatches],
  ]
  for (const [field, match] of checks) {
    const pattern = filters[field]
    if (pattern === undefined || Array.isArray(pattern)) continue
    const value = t[field]
    if (value === undefined) return `the delivery has no ${field} (the hook filters on ${field} ${pattern})`
    if (!match(pattern, value)) return `${field} ${value} does not match ${pattern}`
  }
  return undefined
}
