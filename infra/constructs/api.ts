import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib'
import * as apigateway from 'aws-cdk-lib/aws-apigateway'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { FargatedFunction } from './fargated-function.js'

export interface ApiProps {
  readonly environment: Record<string, string>
  readonly logRetention: logs.RetentionDays
  readonly stageName: string
  /** Stage steady-state rate (requests per second). */
  readonly throttleRate: number
  /** Stage burst (requests). */
  readonly throttleBurst: number
  /** Create the account-level API Gateway CloudWatch Logs role (needed once per account/region). */
  readonly cloudWatchRole: boolean
}

/**
 * The one HTTPS endpoint: a regional API Gateway REST API whose root and `{proxy+}` ANY
 * methods are Lambda proxy integrations in STREAM response transfer mode, in front of the
 * api function (Hono `streamHandle`). Native /v1 routes and every Docker Engine API path
 * (`/_ping`, `/v1.41/containers/...`, `/containers/...`) reach the same function.
 *
 * Why a REST API and not a Function URL: both can stream (`docker logs -f`, `docker events`,
 * up to 15 minutes), but only the REST API has per-stage throttling and access logs, and
 * its URL does not change when the function is replaced. HTTP APIs cannot stream at all.
 */
export class Api extends Construct {
  public readonly handler: FargatedFunction
  public readonly restApi: apigateway.RestApi
  public readonly accessLogs: logs.LogGroup

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id)
    this.handler = new FargatedFunction(this, 'Handler', {
      entry: 'api.ts',
      description: 'fargated API: native /v1 and Docker Engine API (streaming)',
      // Streams (logs -f, events) last up to API Gateway's 15-minute stream limit.
      timeout: Duration.minutes(15),
      memorySize: 1024,
      environment: props.environment,
      logRetention: props.logRetention,
    })

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY })
    const integration = new apigateway.LambdaIntegration(this.handler.function, {
      proxy: true,
      responseTransferMode: apigateway.ResponseTransferMode.STREAM,
      // With STREAM the integration timeout may be raised to 15 minutes (buffered: 29 s).
      timeout: Duration.minutes(15),
      // One permission for the whole API instead of one per method.
      scopePermissionToMethod: false,
    })
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `fargated-${Stack.of(this).stackName}`,
      description: 'fargated: Docker Engine API and native /v1 API',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // Request bodies (image tarballs, archives) arrive base64-encoded and are decoded by
      // the adapter; streamed responses are passed through as bytes whatever the type.
      binaryMediaTypes: ['*/*'],
      cloudWatchRole: props.cloudWatchRole,
      // The role is account-wide; deleting it with the stack would break other APIs' logging.
      cloudWatchRoleRemovalPolicy: props.cloudWatchRole ? RemovalPolicy.RETAIN : undefined,
      deployOptions: {
        stageName: props.stageName,
        throttlingRateLimit: props.throttleRate,
        throttlingBurstLimit: props.throttleBurst,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: false,
      },
    })
    // The stack outputs the URL itself (DockerAccess); drop RestApi's unnamed duplicate.
    this.restApi.node.tryRemoveChild('Endpoint')
    // ANY / and ANY /{proxy+}: every path and method goes to the one function.
    this.restApi.root.addMethod('ANY', integration)
    this.restApi.root.addResource('{proxy+}').addMethod('ANY', integration)
    this.acknowledgeFrontDoorFindings()
  }

  /** `<api-id>.execute-api.<region>.<suffix>`: the host the docker CLI connects to. */
  get host(): string {
    const stack = Stack.of(this)
    return `${this.restApi.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`
  }

  private acknowledgeFrontDoorFindings(): void {
    const auth =
      'The API authenticates every request itself with fargated API keys (Authorization: Bearer), the only scheme the docker CLI can send (config.json HttpHeaders); IAM, Cognito or API Gateway authorizers would lock the docker CLI out.'
    const api = Validations.of(this.restApi)
    api.acknowledge({ id: 'AwsSolutions-APIG4', reason: auth })
    api.acknowledge({ id: 'AwsSolutions-COG4', reason: auth })
    api.acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: 'A single proxy resource forwards every path to the function, which validates each request with its zod schemas (Docker and /v1 error bodies differ, so API Gateway validation cannot produce them).',
    })
    api.acknowledge({
      id: 'AwsSolutions-APIG3',
      reason: 'WAF is an optional per-request cost; the stage is throttled, every request needs an API key, and operators can associate a web ACL with the stage.',
    })
    if (this.restApi.node.tryFindChild('CloudWatchRole')) {
      Validations.of(this.restApi.node.findChild('CloudWatchRole')).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'AmazonAPIGatewayPushToCloudWatchLogs is the documented policy of the account-level API Gateway logging role; API Gateway names its own execution log groups, so it cannot be narrowed.',
      })
    }
  }
}
