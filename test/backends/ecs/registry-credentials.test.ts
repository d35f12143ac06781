import { readFileSync } from 'node:fs'
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand, PutLifecyclePolicyCommand, RepositoryAlreadyExistsException } from '@aws-sdk/client-ecr'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { BackendError, UnsupportedError } from '../../../shared/core/errors.js'
import { ecrRepositoryNaming, imagePushedFromEcr } from '../../../shared/backends/ecs/ecr-image-pushed.js'
import { ensureRepositories, lifecyclePolicy } from '../../../shared/backends/ecs/ecr-repositories.js'
import { EcrRegistryCredentials, sessionPolicy, type RegistryCredentialsConfig } from '../../../shared/backends/ecs/registry-credentials.js'

const sts = mockClient(STSClient)
const ecr = mockClient(ECRClient)
const REGISTRY = '111122223333.dkr.ecr.us-east-1.amazonaws.com'
const config: RegistryCredentialsConfig = {
  region: 'us-east-1', registry: REGISTRY, repositoryPrefix: 'fargated', pusherRoleArn: 'arn:aws:iam::111122223333:role/fargated-pusher',
  tagMutability: 'IMMUTABLE', untaggedKeep: 5,
}
const expiration = new Date(Date.now() + 3600_000)

beforeEach(() => {
  sts.reset()
  ecr.reset()
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: expiration } })
  ecr.on(GetAuthorizationTokenCommand).resolves({
    authorizationData: [{ authorizationToken: Buffer.from('AWS:pa:ss').toString('base64'), expiresAt: new Date(Date.now() + 12 * 3600_000), proxyEndpoint: `https://${REGISTRY}` }],
  })
})

function provider(over: Partial<RegistryCredentialsConfig> = {}) {
  const sessions: unknown[] = []
  const p = new EcrRegistryCredentials({ ...config, ...over }, {
    sts: new STSClient({}),
    ecr: new ECRClient({}),
    ecrAs: (credentials) => {
      sessions.push(credentials)
      return new ECRClient({ region: 'us-east-1', credentials })
    },
  })
  return { p, sessions }
}

describe('push credentials', () => {
  it("assume the pusher role with a session policy limited to the namespace's repositories, then get an ECR token with it", async () => {
    const { p, sessions } = provider()
    const creds = await p.issue('team-a')
    expect(creds).toEqual({
      serverAddress: REGISTRY, username: 'AWS', password: 'pa:ss', expiresAt: expiration.toISOString(), repositoryPrefix: `${REGISTRY}/fargated/team-a`,
    })
    const [call] = sts.commandCalls(AssumeRoleCommand)
    const input = call.args[0].input
    expect(input.RoleArn).toBe(config.pusherRoleArn)
    const policy = JSON.parse(input.Policy!)
    expect(input.Policy!.length).toBeLessThan(2048)
    expect(policy.Statement[1].Resource).toBe('arn:aws:ecr:us-east-1:111122223333:repository/fargated/team-a/*')
    expect(policy.Statement[1].Action).toContain('ecr:PutImage')
    expect(JSON.stringify(policy)).not.toMatch(/team-b|fargated\/\*/)
    expect(sessions).toEqual([{ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't' }])
    expect(ecr.commandCalls(CreateRepositoryCommand)).toHaveLength(0)
  })

  it('one namespace never gets a policy for another', () => {
    const a = sessionPolicy(config, 'a')
    const ab = sessionPolicy(config, 'ab')
    expect(a).toContain('repository/fargated/a/*')
    expect(a).not.toContain('repository/fargated/ab')
    expect(ab).toContain('repository/fargated/ab/*')
  })

  it('creates requested repositories first, with scan on push, tag mutability and a lifecycle policy', async () => {
    ecr.on(CreateRepositoryCommand, { repositoryName: 'fargated/team-a/old' }).rejects(new RepositoryAlreadyExistsException({ message: 'exists', $metadata: {} }))
    const { p } = provider()
    await p.issue('team-a', { repositories: ['app', 'old', 'app'] })
    const created = ecr.commandCalls(CreateRepositoryCommand).map((c) => c.args[0].input)
    expect(created).toEqual([
      expect.objectContaining({ repositoryName: 'fargated/team-a/app', imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } }),
      expect.objectContaining({ repositoryName: 'fargated/team-a/old' }),
    ])
    const policies = ecr.commandCalls(PutLifecyclePolicyCommand).map((c) => c.args[0].input)
    expect(policies).toEqual([{ repositoryName: 'fargated/team-a/app', lifecyclePolicyText: lifecyclePolicy(5) }])
    expect(JSON.parse(policies[0].lifecyclePolicyText!).rules[0].selection).toEqual({ tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 })
  })

  it('translates SDK errors and refuses when no pusher role is configured', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied', $fault: 'client', $metadata: {} }))
    await expect(provider().p.issue('team-a')).rejects.toBeInstanceOf(BackendError)
    await expect(provider({ pusherRoleArn: undefined }).p.issue('team-a')).rejects.toBeInstanceOf(UnsupportedError)
    await expect(ensureRepositories(new ECRClient({}), config, 'x', [])).resolves.toEqual([])
  })
})

describe('ECR push events', () => {
  const event = JSON.parse(readFileSync(new URL('../../fixtures/ecs/ecr-image-push.json', import.meta.url), 'utf8'))
  const loc = { registry: REGISTRY, repositoryPrefix: 'fargated' }

  it('become image-pushed events that match the namespace containers naming the repository', () => {
    const push = imagePushedFromEcr(event, loc)
    expect(push).toEqual({ repository: `${REGISTRY}/fargated/team-a/app`, tag: '1.2', digest: event.detail['image-digest'], namespace: 'team-a', source: 'ecr' })
    const naming = ecrRepositoryNaming(loc)
    expect(naming.repositoryOf('team-a', 'app:1.1')).toBe(push!.repository)
    expect(naming.repositoryOf('team-a', `${REGISTRY}/fargated/team-a/app:1`)).toBe(push!.repository)
    expect(naming.repositoryOf('team-b', 'app:1.1')).not.toBe(push!.repository)
    expect(naming.repositoryOf('team-a', 'ghcr.io/acme/app:1')).toBe('ghcr.io/acme/app')
    expect(imagePushedFromEcr({ ...event, detail: { ...event.detail, 'image-tag': undefined } }, loc)).toBeUndefined()
    expect(imagePushedFromEcr({ ...event, detail: { ...event.detail, 'repository-name': 'other/app' } }, loc)).toBeUndefined()
  })
})
