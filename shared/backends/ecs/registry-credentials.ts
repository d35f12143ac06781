/**
 * Push credentials limited to one namespace: STS AssumeRole of the pusher role with an inline
 * session policy that allows push and pull on `<prefix>/<namespace>/*` only (the session's
 * permissions are the intersection of the role's and the session policy, aws-facts §3.3),
 * then ECR GetAuthorizationToken with those session credentials, so the token carries the
 * session's scope. The token itself lasts up to 12 h; the answer's expiresAt is the earlier of
 * the token's and the session's expiry (whether the token outlives the session is unconfirmed).
 */
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { BackendError, UnsupportedError } from '../../core/errors.js'
import type { RegistryCredentials, RegistryCredentialsProvider } from '../../core/images/registry-credentials.js'
import { translateAwsError } from './aws-errors.js'
import { namespaceRepositoryPrefix, registryHost } from './ecs-config.js'
import { ensureRepositories, type RepositoryPolicyConfig } from './ecr-repositories.js'

export interface RegistryCredentialsConfig extends RepositoryPolicyConfig {
  region: string
  /** `<account>.dkr.ecr.<region>.amazonaws.com` (with or without https://). */
  registry: string
  /** The role pushers assume; without it credentials are not offered. */
  pusherRoleArn?: string
  /** Session length, 900-43200 s (capped by the role's maximum). @default 3600 */
  sessionSeconds?: number
}

export interface RegistryCredentialsClients {
  sts: STSClient
  /** ECR with fargated's own credentials (creates repositories). */
  ecr: ECRClient
  /** ECR with the session's credentials (default: a new client in the region). */
  ecrAs?: (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => ECRClient
}

const PUSH_PULL = [
  'ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload',
  'ecr:PutImage', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer',
]

/** The ARN of every repository of a namespace, from the registry host. */
export function namespaceRepositoryArn(config: Pick<RegistryCredentialsConfig, 'registry' | 'region' | 'repositoryPrefix'>, namespace: string): string {
  const host = registryHost(config.registry)
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(host)
  if (!m) throw new BackendError(`the registry ${host} is not an ECR registry host (<account>.dkr.ecr.<region>.amazonaws.com)`)
  const partition = m[3] ? 'aws-cn' : 'aws'
  return `arn:${partition}:ecr:${m[2]}:${m[1]}:repository/${namespaceRepositoryPrefix(config, namespace)}*`
}

/** The inline session policy (well under STS's 2048-character limit). */
export function sessionPolicy(config: Pick<RegistryCredentialsConfig, 'registry' | 'region' | 'repositoryPrefix'>, namespace: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Effect: 'Allow', Action: PUSH_PULL, Resource: namespaceRepositoryArn(config, namespace) },
    ],
  })
}

export class EcrRegistryCredentials implements RegistryCredentialsProvider {
  constructor(private readonly config: RegistryCredentialsConfig, private readonly clients: RegistryCredentialsClients) {}

  async issue(namespace: string, options: { repositories?: string[] } = {}): Promise<RegistryCredentials> {
    const { config } = this
    if (!config.pusherRoleArn) throw new UnsupportedError('push credentials are not configured: the deployment has no pusher role (FARGATED_PUSHER_ROLE_ARN)')
    if (options.repositories?.length) await ensureRepositories(this.clients.ecr, config, namespace, options.repositories)
    let session
    try {
      const out = await this.clients.sts.send(
        new AssumeRoleCommand({
          RoleArn: config.pusherRoleArn,
          RoleSessionName: `fargated-push-${namespace}`.slice(0, 64),
          Policy: sessionPolicy(config, namespace),
          DurationSeconds: config.sessionSeconds ?? 3600,
        }),
      )
      session = out.Credentials
    } catch (e) {
      throw translateAwsError(e, { operation: 'AssumeRole (pusher role)' })
    }
    if (!session?.AccessKeyId || !session.SecretAccessKey || !session.SessionToken) throw new BackendError('AssumeRole returned no credentials')
    const ecr = (this.clients.ecrAs ?? ((credentials) => new ECRClient({ region: config.region, credentials })))({
      accessKeyId: session.AccessKeyId,
      secretAccessKey: session.SecretAccessKey,
      sessionToken: session.SessionToken,
    })
    let data
    try {
      data = (await ecr.send(new GetAuthorizationTokenCommand({}))).authorizationData?.[0]
    } catch (e) {
      throw translateAwsError(e, { operation: 'GetAuthorizationToken' })
    }
    if (!data?.authorizationToken) throw new BackendError('GetAuthorizationToken returned no token')
    const decoded = Buffer.from(data.authorizationToken, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new BackendError('GetAuthorizationToken returned a token that is not user:password')
    const expiries = [data.expiresAt, session.Expiration].filter((d): d is Date => d instanceof Date).map((d) => d.getTime())
    const host = registryHost(config.registry)
    return {
      serverAddress: host,
      username: decoded.slice(0, colon),
      password: decoded.slice(colon + 1),
      expiresAt: new Date(expiries.length ? Math.min(...expiries) : Date.now() + 3600_000).toISOString(),
      repositoryPrefix: `${host}/${namespaceRepositoryPrefix(config, namespace).replace(/\/$/, '')}`,
    }
  }
}
