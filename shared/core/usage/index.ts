/** Usage samples (store-backed), the UsageSource the reaper reads, and the /v1/usage summary. */
export { StoredUsageSource, PolledUsageSource, usageSourceFor, type UsageSource, type CollectResult } from './usage-source.js'
export { appendUsageSamples, readUsageSamples, listUsageSamples, usageKeyOf, USAGE_KIND, USAGE_TTL_SECONDS } from './usage-records.js'
export { namespaceUsage, containerUsage, type NamespaceUsage, type ContainerUsage, type Savings } from './usage-summary.js'
