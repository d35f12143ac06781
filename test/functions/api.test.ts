import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Writable } from 'node:stream'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AwsEnv } from '../../shared/config/env.js'
import type { ApiDeps } from '../../shared/api/context.js'
import { BackendError } from '../../shared/core/errors.js'
import { startApiHarness } from '../support/api-harness.js'
import type { FakeBackend } from '../support/fake-backend.js'

type Api = typeof import('../../functions/api.js')
type RestEvent = Record<string, unknown> & { body: string | null; headers: Record<string, string> }
type BufferedResult = { statusCode: number; headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]>; body: string }

const fixture = (name: string): RestEvent => JSON.parse(readFileSync(new URL(`../fixtures/apigw/${name}.json`, import.meta.url), 'utf8')) as RestEvent
const header = (r: BufferedResult, name: string) => r.multiValueHeaders?.[name]?.[0] ?? r.headers?.[name]

/** What the stubbed Lambda runtime saw of a streamed response. */
const streamed: { statusCode: number; headers: Record<string, string> }[] = []

let api: Api
let h: Awaited<ReturnType<typeof startApiHarness>>

beforeAll(async () => {
  // The Lambda Node.js runtime provides `awslambda`; tests stub it before the module loads.
  vi.stubGlobal('awslambda', {
    streamifyResponse: (fn: unknown) => fn,
    HttpResponseStream: {
      from: (stream: Writable, meta: { statusCode: number; headers: Record<string, string> }) => {
        streamed.push(meta)
        return stream
      },
    },
  })
  api = await import('../../functions/api.js')
  h = await startApiHarness()
  api.setDepsForTest(h.deps)
})
afterAll(async () => {
  api?.setDepsForTest(undefined)
  vi.unstubAllGlobals()
  await h?.close()
})

const invoke = async (event: RestEvent) => (await api.bufferedHandler(event as never, {} as never)) as unknown as BufferedResult

/** Runs the streaming handler into a collecting stream. */
async function invokeStreaming(event: RestEvent): Promise<{ meta: (typeof streamed)[number]; body: string }> {
  const chunks: Buffer[] = []
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk))
      done()
    },
  })
  sink.on('error', () => undefined)
  const handler = api.handler as unknown as (e: unknown, s: Writable, c: unknown) => Promise<void>
  await handler(event, sink, {})
  return { meta: streamed[streamed.length - 1], body: Buffer.concat(chunks).toString('utf8') }
}

describe('bufferedHandler with API Gateway REST (v1) proxy events', () => {
  it('creates a container from a POST event, idempotently', async () => {
    const before = (h.backend as FakeBackend).count('startRun')
    const first = await invoke(fixture('rest-post-container'))
    expect(first.statusCode, first.body).toBe(201)
    const created = JSON.parse(first.body) as { id: string; name: string; state: { running: boolean } }
    expect(created).toMatchObject({ name: 'from-lambda', state: { running: true } })
    const again = await invoke(fixture('rest-post-container'))
    expect(JSON.parse(again.body).id).toBe(created.id)
    expect((h.backend as FakeBackend).count('startRun')).toBe(before + 1)
  })

  it('decodes a base64 body', async () => {
    const res = await invoke(fixture('rest-post-container-base64'))
    expect(res.statusCode, res.body).toBe(201)
    expect(JSON.parse(res.body)).toMatchObject({ name: 'from-lambda-b64', state: { status: 'created' } })
  })

  it('passes repeated query parameters and answers with the API Gateway request id', async () => {
    await h.request('/v1/containers', { method: 'POST', json: { image: 'busybox', name: 'both-labels', labels: { app: 'x', tier: 'web' }, start: false } })
    const res = await invoke(fixture('rest-get-containers'))
    expect(res.statusCode, res.body).toBe(200)
    expect(header(res, 'content-type')).toMatch(/^application\/json/)
    expect(header(res, 'x-request-id')).toBe('c6af9ac6-7b61-11e6-9a41-93e8deadbeef')
    const names = (JSON.parse(res.body) as { containers: { name: string }[] }).containers.map((c) => c.name)
    expect(names).toEqual(['both-labels'])
  })

  it('answers 401 problem+json without a key', async () => {
    const res = await invoke(fixture('rest-get-no-key'))
    expect(res.statusCode).toBe(401)
    expect(header(res, 'www-authenticate')).toBe('Bearer realm="fargated"')
    expect(header(res, 'content-type')).toBe('application/problem+json')
    expect(JSON.parse(res.body)).toMatchObject({ code: 'unauthorized', requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef' })
  })

  it('serves the OpenAPI document with the stage in the server URL', async () => {
    const res = await invoke(fixture('rest-get-openapi'))
    expect(res.statusCode).toBe(200)
    expect(JSON.parse(res.body).servers[0].url).toBe('https://abc123defg.execute-api.us-east-1.amazonaws.com/prod')
  })
})

describe('handler (response streaming)', () => {
  it('streams NDJSON logs with the status and headers first', async () => {
    const c = await h.containers.resolve('default', 'from-lambda')
    const run = await h.store.getRun(c.id, c.runNumber)
    ;(h.backend as FakeBackend).addLogs(run!.ref!, ['hello', 'world'])
    const { meta, body } = await invokeStreaming(fixture('rest-get-logs'))
    expect(meta.statusCode).toBe(200)
    expect(meta.headers['content-type']).toBe('application/x-ndjson')
    expect(body.trim().split('\n').map((l) => JSON.parse(l).message)).toEqual(['hello', 'world'])
  })

  it('streams problems too', async () => {
    const { meta, body } = await invokeStreaming(fixture('rest-get-no-key'))
    expect(meta.statusCode).toBe(401)
    expect(JSON.parse(body).code).toBe('unauthorized')
  })
})

describe('lazy composition', () => {
  afterEach(() => api.setDepsForTest(h.deps))

  it('builds the deps on the first request only', async () => {
    const factory = vi.fn(async () => h.deps)
    api.setDepsForTest(factory)
    expect(factory).not.toHaveBeenCalled()
    await invoke(fixture('rest-get-openapi'))
    await invoke(fixture('rest-get-containers'))
    expect(factory).toHaveBeenCalledTimes(1)
  })

  it('answers 503 when the build fails, logs why, and retries on the next request', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    let calls = 0
    api.setDepsForTest(async (): Promise<ApiDeps> => {
      calls += 1
      if (calls === 1) throw new Error('environment variable FARGATED_TABLE is required')
      return h.deps
    })
    const failed = await invoke(fixture('rest-get-containers'))
    expect(failed.statusCode).toBe(503)
    expect(JSON.parse(failed.body)).toMatchObject({ status: 503, detail: expect.stringMatching(/function logs/) })
    expect(String(logged.mock.calls[0][0])).toContain('FARGATED_TABLE')
    expect((await invoke(fixture('rest-get-containers'))).statusCode).toBe(200)
    logged.mockRestore()
  })
})

describe('buildDeps and the bootstrap key', () => {
  const secret = 'fgd_bootstrap-secret-from-secrets-manager'
  const env: AwsEnv = {
    region: 'us-east-1', table: 'fargated', cluster: 'fargated', subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: true,
    executionRoleArn: 'arn:aws:iam::123456789012:role/exec', taskRoleArn: 'arn:aws:iam::123456789012:role/task', logGroup: '/fargated/tasks',
    repositoryPrefix: 'fargated', taskFamilyPrefix: 'fargated', registry: '123456789012.dkr.ecr.us-east-1.amazonaws.com',
    adminSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:fargated-admin-AbCdEf',
    tagMutability: 'MUTABLE', untaggedKeep: 10, orphanPolicy: 'stop', stage: 'prod',
  }
  // Mocked only inside this block: the harness's store talks to dynalite through the same class.
  const mockSdk = () => ({ secrets: mockClient(SecretsManagerClient), dynamo: mockClient(DynamoDBDocumentClient) })
  let secrets: ReturnType<typeof mockSdk>['secrets']
  let dynamo: ReturnType<typeof mockSdk>['dynamo']
  beforeAll(() => {
    ;({ secrets, dynamo } = mockSdk())
  })
  afterEach(() => {
    secrets.reset()
    dynamo.reset()
  })
  afterAll(() => {
    secrets.restore()
    dynamo.restore()
  })

  it('builds the AWS deps and registers the bootstrap key as a root admin key, hashed', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: `${secret}\n` })
    dynamo.on(GetCommand).resolves({})
    dynamo.on(PutCommand).resolves({})
    const logged = vi.spyOn(console, 'log')
    const deps = await api.buildDeps(env)
    expect(deps).toMatchObject({ mode: 'aws', version: api.VERSION })
    expect(deps.backend.kind).toBe('ecs')
    expect(secrets.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: env.adminSecretArn })
    const put = dynamo.commandCalls(PutCommand)[0].args[0].input
    expect(put.TableName).toBe('fargated')
    expect(put.Item).toMatchObject({ namespace: 'default', scopes: ['admin'], root: true, hash: createHash('sha256').update(secret).digest('hex') })
    expect(JSON.stringify(put)).not.toContain(secret)
    expect(JSON.stringify(logged.mock.calls)).not.toContain(secret)
    logged.mockRestore()
  })

  it('reads a JSON secret with a key field', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ key: secret }) })
    expect(await api.readAdminSecret(env.adminSecretArn!, 'us-east-1')).toBe(secret)
  })

  it('fails with a BackendError that names the secret, not its value', async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException' }))
    const err = await api.readAdminSecret(env.adminSecretArn!, 'us-east-1').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BackendError)
    expect((err as Error).message).toMatch(/AccessDeniedException.*fargated-admin-AbCdEf/)
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short' })
    const short = await api.readAdminSecret(env.adminSecretArn!, 'us-east-1').catch((e: unknown) => e)
    expect((short as Error).message).not.toContain('short"')
    expect(short).toBeInstanceOf(BackendError)
  })
})
