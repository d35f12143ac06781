/**
 * The SDK clients of registry credentials (STS, ECR) as named re-exports, for aws-runtime.ts
 * to import dynamically. A dynamic import of the package itself (`import('@aws-sdk/client-sts')`)
 * makes the bundler keep the whole package (every command, the aggregated client); a dynamic
 * import of this module keeps only what it names.
 */
export { ECRClient } from '@aws-sdk/client-ecr'
export { STSClient } from '@aws-sdk/client-sts'
