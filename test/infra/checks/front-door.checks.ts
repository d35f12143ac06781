/** The API Gateway front door and the outputs that point the docker CLI at it. */
import { Match } from 'aws-cdk-lib/assertions'
import { beforeAll, describe, expect, it } from 'vitest'
import { render } from '../support/render.js'
import { logicalId, resourcesOfType, type Synthesized } from '../support/synth.js'

export function frontDoorChecks(get: () => Synthesized): void {
  let s: Synthesized
  beforeAll(() => {
    s = get()
  })

  describe('REST API', () => {
    it('is regional and passes every body through as binary', () => {
      s.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
        Name: 'fargated-Fargated',
        EndpointConfiguration: { Types: ['REGIONAL'] },
        BinaryMediaTypes: ['*/*'],
      })
    })

    it('sends ANY / and ANY /{proxy+} to the api function in STREAM mode with a 15-minute timeout', () => {
      const methods = resourcesOfType(s.json, 'AWS::ApiGateway::Method')
      expect(methods).toHaveLength(2)
      const proxy = logicalId(s.json, 'AWS::ApiGateway::Resource', 'ApiRestApiproxy')
      expect(s.json.Resources[proxy].Properties?.PathPart).toBe('{proxy+}')
      const targets = methods.map(([, m]) => render(m.Properties?.ResourceId))
      const root = `\${${logicalId(s.json, 'AWS::ApiGateway::RestApi', 'ApiRestApi')}.RootResourceId}`
      expect(targets.sort()).toEqual([root, `\${${proxy}}`].sort())
      for (const [, method] of methods) {
        expect(method.Properties).toMatchObject({
          HttpMethod: 'ANY',
          AuthorizationType: 'NONE',
          Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', ResponseTransferMode: 'STREAM', TimeoutInMillis: 900000 },
        })
        const uri = render((method.Properties?.Integration as { Uri: unknown }).Uri)
        expect(uri).toMatch(/^arn:\$\{AWS::Partition\}:apigateway:\$\{AWS::Region\}:lambda:path\/2021-11-15\/functions\/\$\{ApiHandlerFunction\w+\.Arn\}\/response-streaming-invocations$/)
      }
    })

    it('throttles the stage and writes access logs, without data tracing', () => {
      const accessLogs = logicalId(s.json, 'AWS::Logs::LogGroup', 'ApiAccessLogs')
      s.template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: 'prod',
        AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [accessLogs, 'Arn'] }, Format: Match.stringLikeRegexp('requestId') },
        MethodSettings: [
          Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, LoggingLevel: 'ERROR', DataTraceEnabled: false }),
        ],
      })
      expect(s.json.Resources[accessLogs].Properties).toEqual({ RetentionInDays: 30 })
    })

    it('lets only this API invoke the function', () => {
      const perms = resourcesOfType(s.json, 'AWS::Lambda::Permission').filter(([, p]) => p.Properties?.Principal === 'apigateway.amazonaws.com')
      expect(perms).toHaveLength(1)
      expect(render(perms[0][1].Properties?.SourceArn)).toMatch(/:execute-api:\$\{AWS::Region\}:\$\{AWS::AccountId\}:\$\{ApiRestApi\w+\}\/\*\/\*\/\*$/)
    })

    it('sets the account CloudWatch role for stage logging and keeps it when the stack goes', () => {
      s.template.resourceCountIs('AWS::ApiGateway::Account', 1)
      s.template.hasResource('AWS::IAM::Role', {
        DeletionPolicy: 'Retain',
        Properties: { AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }) },
      })
    })
  })

  describe('outputs', () => {
    const out = (name: string) => render(s.json.Outputs?.[name]?.Value)

    it('are the URL, the docker host, the secret name and the commands, and nothing else', () => {
      expect(Object.keys(s.json.Outputs ?? {}).sort()).toEqual(['AdminKeySecretName', 'ApiUrl', 'DockerHost', 'DockerSetupCommand', 'FetchAdminKeyCommand'])
      expect(out('ApiUrl')).toMatch(/^https:\/\/\$\{ApiRestApi\w+\}\.execute-api\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}\/\$\{ApiRestApiDeploymentStageprod\w+\}\/$/)
      expect(out('DockerHost')).toMatch(/^tcp:\/\/\$\{ApiRestApi\w+\}\.execute-api\.\$\{AWS::Region\}\.\$\{AWS::URLSuffix\}:443\/prod$/)
      expect(out('AdminKeySecretName')).toBe('fargated/Fargated/admin-api-key')
      expect(out('FetchAdminKeyCommand')).toBe(
        'aws secretsmanager get-secret-value --region ${AWS::Region} --secret-id fargated/Fargated/admin-api-key --query SecretString --output text',
      )
    })

    it('give a setup command that writes the bearer header and TLS settings for the docker CLI', () => {
      const cmd = out('DockerSetupCommand')
      expect(cmd).toContain(`printf '{"HttpHeaders":{"Authorization":"Bearer %s"}}' "$(aws secretsmanager get-secret-value`)
      expect(cmd).toContain('umask 077')
      expect(cmd).toContain('/ca.pem')
      expect(cmd).toMatch(/export DOCKER_CONFIG="\$HOME\/\.fargated\/Fargated" DOCKER_CERT_PATH="\$HOME\/\.fargated\/Fargated" DOCKER_TLS_VERIFY=1 DOCKER_HOST=tcp:\/\/.*:443\/prod$/)
    })

    it('never reference the secret value', () => {
      const text = JSON.stringify(s.json.Outputs)
      expect(text).not.toMatch(/SecretString"|resolve:secretsmanager|AdminKeySecret\w+"\s*\}/)
      expect(text).not.toMatch(/"Ref":\s*"AdminKeySecret/)
    })
  })
}
