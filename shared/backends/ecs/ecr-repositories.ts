/**
 * Namespace repositories created on demand: ECR refuses a push to a repository that does not
 * exist (aws-facts §3.7: create-on-push templates are unconfirmed), so the credentials call
 * creates the ones it is told about. Each new repository gets scan on push, the configured tag
 * mutability, and a lifecycle policy that keeps the last N untagged images.
 */
import { CreateRepositoryCommand, PutLifecyclePolicyCommand, type ECRClient } from '@aws-sdk/client-ecr'
import { awsErrorName, translateAwsError } from './aws-errors.js'
import { namespaceRepositoryPrefix } from './ecs-config.js'

export interface RepositoryPolicyConfig {
  repositoryPrefix: string
  tagMutability: 'MUTABLE' | 'IMMUTABLE'
  /** Untagged images kept per repository; older ones expire. */
  untaggedKeep: number
  /** @default true */
  scanOnPush?: boolean
}

/** The lifecycle policy text: expire untagged images beyond the newest `keep`. */
export function lifecyclePolicy(keep: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `keep the last ${keep} untagged images`,
        selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: Math.max(1, Math.floor(keep)) },
        action: { type: 'expire' },
      },
    ],
  })
}

/**
 * Creates `<prefix>/<namespace>/<name>` for each name unless it exists. Returns the
 * repositories it created.
 */
export async function ensureRepositories(ecr: ECRClient, config: RepositoryPolicyConfig, namespace: string, names: string[]): Promise<string[]> {
  const created: string[] = []
  for (const name of [...new Set(names)]) {
    const repositoryName = `${namespaceRepositoryPrefix(config, namespace)}${name}`
    try {
      await ecr.send(
        new CreateRepositoryCommand({
          repositoryName,
          imageTagMutability: config.tagMutability,
          imageScanningConfiguration: { scanOnPush: config.scanOnPush ?? true },
          tags: [{ Key: 'fargated:namespace', Value: namespace }],
        }),
      )
    } catch (e) {
      if (awsErrorName(e) === 'RepositoryAlreadyExistsException') continue
      throw translateAwsError(e, { operation: `CreateRepository ${repositoryName}` })
    }
    try {
      await ecr.send(new PutLifecyclePolicyCommand({ repositoryName, lifecyclePolicyText: lifecyclePolicy(config.untaggedKeep) }))
    } catch (e) {
      throw translateAwsError(e, { operation: `PutLifecyclePolicy ${repositoryName}` })
    }
    created.push(repositoryName)
  }
  return created
}
