import { Duration, Lazy, Stack } from 'aws-cdk-lib'
import * as ecr from 'aws-cdk-lib/aws-ecr'
import * as iam from 'aws-cdk-lib/aws-iam'
import { Construct, type IConstruct } from 'constructs'
import type { TagMutability } from '../fargated-defaults.js'
import { repositoryArn } from './compute.js'
import { acknowledgeNoResourceLevel, acknowledgeScopedWildcard } from './nag-acknowledgements.js'

export interface RegistryProps {
  /** Namespace repositories are `<repositoryPrefix>/<namespace>/<name>`. */
  readonly repositoryPrefix: string
  readonly tagMutability: TagMutability
  /** Untagged images kept per repository. */
  readonly untaggedKeep: number
}

/** Actions a `docker push` (and pull) needs on a repository. */
export const PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:PutImage',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
]

/** The lifecycle policy every namespace repository gets: expire untagged images beyond the last N. */
export function lifecyclePolicyText(untaggedKeep: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `keep the last ${untaggedKeep} untagged images`,
        selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: untaggedKeep },
        action: { type: 'expire' },
      },
    ],
  })
}

/**
 * ECR for namespace repositories. Repositories are created on demand by the API (CreateRepository
 * with scan on push and the tag mutability, then PutLifecyclePolicy) — the settings travel to the
 * API through the environment. A repository creation template for the prefix applies the same
 * settings to repositories ECR creates itself (create on push, pull-through cache). The pusher
 * role is what the API assumes, with a per-namespace session policy, to mint push credentials.
 */
export class Registry extends Construct {
  public readonly pusherRole: iam.Role
  public readonly creationTemplate: ecr.CfnRepositoryCreationTemplate
  public readonly repositoryPrefix: string
  /** `<account>.dkr.ecr.<region>.<urlSuffix>` */
  public readonly registryHost: string
  private readonly assumers: string[] = []

  constructor(scope: Construct, id: string, props: RegistryProps) {
    super(scope, id)
    const stack = Stack.of(this)
    this.repositoryPrefix = props.repositoryPrefix
    this.registryHost = `${stack.account}.dkr.ecr.${stack.region}.${stack.urlSuffix}`

    this.creationTemplate = new ecr.CfnRepositoryCreationTemplate(this, 'CreationTemplate', {
      prefix: props.repositoryPrefix,
      description: 'fargated namespace repositories created by ECR (create on push, pull-through cache)',
      appliedFor: ['CREATE_ON_PUSH', 'PULL_THROUGH_CACHE'],
      imageTagMutability: props.tagMutability,
      lifecyclePolicy: lifecyclePolicyText(props.untaggedKeep),
      encryptionConfiguration: { encryptionType: 'AES256' },
    })

    this.pusherRole = new iam.Role(this, 'PusherRole', {
      // Trusted: only the roles passed to grantAssumePusher (the API function's role).
      assumedBy: new iam.AccountRootPrincipal().withConditions({
        ArnEquals: { 'aws:PrincipalArn': Lazy.list({ produce: () => this.assumers }) },
      }),
      maxSessionDuration: Duration.hours(1),
      description: 'fargated pusher: the API assumes it with a per-namespace session policy to mint docker push credentials',
    })
    this.pusherRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'EcrToken', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    )
    this.pusherRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PushNamespaceImages',
        // CreateRepository lets ECR create a missing repository on push through the template.
        actions: [...PUSH_ACTIONS, 'ecr:CreateRepository'],
        resources: [this.namespaceRepositories],
      }),
    )
    acknowledgeNoResourceLevel(this.pusherRole, ['ecr:GetAuthorizationToken'])
    acknowledgeScopedWildcard(this.pusherRole, this.namespaceRepositories, 'repositories under the deployment prefix; the session policy narrows each credential to one namespace')
  }

  /** ARN pattern of every namespace repository: `repository/<prefix>/*`. */
  get namespaceRepositories(): string {
    return repositoryArn(this, `${this.repositoryPrefix}/*`)
  }

  /**
   * What the API does with repositories: create them with their settings, read images and
   * tags, tag (PutImage of an existing manifest) and delete images — on the prefix only.
   */
  grantManageRepositories(grantee: iam.IGrantable & IConstruct): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ManageNamespaceRepositories',
        actions: [
          'ecr:CreateRepository',
          'ecr:TagResource',
          'ecr:PutLifecyclePolicy',
          'ecr:PutImageScanningConfiguration',
          'ecr:DescribeRepositories',
          'ecr:DescribeImages',
          'ecr:ListImages',
          'ecr:BatchGetImage',
          'ecr:PutImage',
          'ecr:BatchDeleteImage',
        ],
        resources: [this.namespaceRepositories],
      }),
    )
    acknowledgeScopedWildcard(grantee, this.namespaceRepositories, 'repositories under the deployment prefix, created at run time per namespace')
  }

  /** sts:AssumeRole on the pusher role (the caller adds a session policy); the role trusts `grantee`. */
  grantAssumePusher(grantee: iam.IGrantable & { readonly role: iam.IRole }): void {
    this.assumers.push(grantee.role.roleArn)
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'AssumePusher', actions: ['sts:AssumeRole'], resources: [this.pusherRole.roleArn] }),
    )
  }
}
