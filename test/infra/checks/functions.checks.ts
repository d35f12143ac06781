/** The three functions: runtime, architecture, bundles (infra/bundle.ts: local esbuild, ESM), environment. */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ESM_REQUIRE_BANNER } from '../../../infra/constructs/fargated-function.js'
import { ENV } from '../../../shared/config/env.js'
import { render } from '../support/render.js'
import { logicalId, type Synthesized } from '../support/synth.js'

/** What the Lambda runtime and the stack give the API function, enough to build the app (no AWS call). */
const BUNDLE_ENV = {
  AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
  FARGATED_TABLE: 't', FARGATED_CLUSTER: 'c', FARGATED_SUBNETS: 'subnet-1', FARGATED_LOG_GROUP: '/l',
  FARGATED_EXECUTION_ROLE_ARN: 'arn:aws:iam::111122223333:role/e', FARGATED_TASK_ROLE_ARN: 'arn:aws:iam::111122223333:role/t',
  FARGATED_REGISTRY: '111122223333.dkr.ecr.us-east-1.amazonaws.com',
}

/** Imports the bundle (argv[1]) and sends GET /_ping through bufferedHandler (the whole app is built on it). */
const PING_SCRIPT = `
const m = await import(process.argv[1])
const res = await m.bufferedHandler({ httpMethod: 'GET', path: '/_ping', resource: '/{proxy+}', headers: {}, multiValueHeaders: {},
  queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, body: null, isBase64Encoded: false,
  requestContext: { httpMethod: 'GET', path: '/_ping', stage: 'prod', requestId: 'r', identity: { sourceIp: '127.0.0.1' } } }, {})
console.log(res.statusCode, res.body)`

export function functionChecks(get: () => Synthesized): void {
  let s: Synthesized
  beforeAll(() => {
    s = get()
  })
  const fn = (prefix: string) => s.json.Resources[logicalId(s.json, 'AWS::Lambda::Function', prefix)]
  const assetDir = (prefix: string) => join(s.outdir, `asset.${(fn(prefix).Properties?.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '')}`)

  describe('functions', () => {
    it.each([
      ['ApiHandlerFunction', 900, 1024],
      ['EventsHandlerFunction', 300, 512],
      ['ReaperHandlerFunction', 120, 512],
    ])('%s runs Node.js 24 on ARM64 with its own log group', (prefix, timeout, memory) => {
      expect(fn(prefix).Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: timeout,
        MemorySize: memory,
        LoggingConfig: { LogGroup: { Ref: expect.stringMatching(new RegExp(`^${prefix.replace('Function', 'Logs')}`)) } },
      })
    })

    it('bundles each entry locally to one minified ESM file with the require banner and no source map', () => {
      for (const prefix of ['ApiHandlerFunction', 'EventsHandlerFunction', 'ReaperHandlerFunction']) {
        const dir = assetDir(prefix)
        expect(readdirSync(dir)).toEqual(['index.mjs'])
        const code = readFileSync(join(dir, 'index.mjs'), 'utf8')
        // Booleans, not toMatch: a failure would print the whole bundle.
        expect(code.startsWith(ESM_REQUIRE_BANNER), `${prefix} starts with the banner`).toBe(true)
        expect(/export\s*\{[^}]*\bas handler\b[^}]*\}\s*;?\s*$/.test(code), `${prefix} is ESM exporting handler`).toBe(true)
        expect(/\bmodule\.exports\s*=/.test(code.slice(-2000)), `${prefix} has no CommonJS export`).toBe(false)
        expect(code.includes('sourceMappingURL'), `${prefix} has no source map`).toBe(false)
        // esbuild indents unminified output; in minified output only multi-line string literals are.
        const lines = code.split('\n')
        const indented = lines.filter((l) => /^ {2}\S/.test(l)).length
        expect(indented / lines.length, `${prefix} is minified`).toBeLessThan(0.1)
      }
    })

    it('keeps the API bundle, AWS SDK included, within 1 MB (issue 2)', () => {
      expect(statSync(join(assetDir('ApiHandlerFunction'), 'index.mjs')).size).toBeLessThanOrEqual(1_000_000)
    })

    it('ships an API bundle that loads in plain Node.js and answers its first request', () => {
      const out = spawnSync(process.execPath, ['--input-type=module', '-e', PING_SCRIPT, join(assetDir('ApiHandlerFunction'), 'index.mjs')], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH, ...BUNDLE_ENV },
        timeout: 60_000,
      })
      expect(out.stdout.trim(), out.stderr).toBe('200 OK')
    })

    it('gives the functions the env contract, named from ENV', () => {
      const env = (fn('ApiHandlerFunction').Properties?.Environment as { Variables: Record<string, unknown> }).Variables
      expect(Object.keys(env).sort()).toEqual(
        [ENV.table, ENV.cluster, ENV.subnets, ENV.securityGroups, ENV.assignPublicIp, ENV.executionRoleArn, ENV.taskRoleArn, ENV.logGroup, ENV.repositoryPrefix, ENV.taskFamilyPrefix, ENV.registry, ENV.tagMutability, ENV.untaggedKeep, ENV.containerInsightsLogGroup, ENV.orphanPolicy, ENV.stage, ENV.adminSecretArn, ENV.pusherRoleArn].sort(),
      )
      expect(env[ENV.assignPublicIp]).toBe('ENABLED')
      expect(env[ENV.repositoryPrefix]).toBe('fargated')
      expect(env[ENV.taskFamilyPrefix]).toBe('fargated')
      expect(env[ENV.untaggedKeep]).toBe('10')
      expect(env[ENV.stage]).toBe('prod')
      expect(render(env[ENV.registry])).toBe('${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}')
      expect(render(env[ENV.subnets])).toMatch(/^\$\{NetworkVpctasksSubnet1\w+\},\$\{NetworkVpctasksSubnet2\w+\}$/)
    })

    it('keeps the admin secret and pusher role out of the events and reaper functions', () => {
      for (const prefix of ['EventsHandlerFunction', 'ReaperHandlerFunction']) {
        const env = (fn(prefix).Properties?.Environment as { Variables: Record<string, unknown> }).Variables
        expect(env[ENV.adminSecretArn]).toBeUndefined()
        expect(env[ENV.pusherRoleArn]).toBeUndefined()
        expect(env[ENV.table]).toBeDefined()
      }
    })
  })
}
