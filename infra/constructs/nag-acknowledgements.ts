/**
 * cdk-nag acknowledgements for the IAM wildcards this app needs, each with its reason. cdk-nag
 * names a wildcard finding after the flattened resource (`AwsSolutions-IAM5[Resource::…]`), so
 * the ids are computed from the same ARN the statement uses and cannot drift from it.
 */
import { Stack, Validations } from 'aws-cdk-lib'
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js'
import type { IConstruct } from 'constructs'

/** Actions granted on `*` per construct, so one acknowledgement lists them all. */
const wildcardActions = new WeakMap<IConstruct, Set<string>>()

/** Acknowledges `Resource::*` for actions that have no resource-level permissions. */
export function acknowledgeNoResourceLevel(scope: IConstruct, actions: string[]): void {
  const all = wildcardActions.get(scope) ?? new Set<string>()
  actions.forEach((a) => all.add(a))
  wildcardActions.set(scope, all)
  // A later acknowledgement of the same id on the same construct replaces the earlier one.
  Validations.of(scope).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason: `${[...all].sort().join(', ')}: these actions support no resource-level permissions, so the resource must be "*" (conditions narrow them where a condition key exists).`,
  })
}

/** Acknowledges a wildcard inside an ARN pattern that is scoped to this deployment. */
export function acknowledgeScopedWildcard(scope: IConstruct, arn: string, what: string): void {
  Validations.of(scope).acknowledge({ id: nagResourceFindingId(scope, arn), reason: `Scoped wildcard: ${what}.` })
}

/** The cdk-nag finding id for a wildcard resource, as cdk-nag would print it. */
export function nagResourceFindingId(scope: IConstruct, arn: string): string {
  return `AwsSolutions-IAM5[Resource::${flattenCfnReference(Stack.of(scope).resolve(arn))}]`
}
