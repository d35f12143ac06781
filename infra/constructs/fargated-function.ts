import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { fileURLToPath } from 'node:url'

/** The repository root (infra/constructs/../..), where package-lock.json and functions/ live. */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Lambda runtime for every function: the newest Node.js LTS managed runtime (deprecation 2028). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X

/**
 * ESM output needs `require` for CommonJS dependencies that call it (esbuild keeps their
 * `require('…')` calls); createRequire provides one bound to the bundle's own URL.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"

export interface FargatedFunctionProps {
  /** Entry file name under functions/ (e.g. 'api.ts'); it exports `handler`. */
  readonly entry: string
  readonly description: string
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration
  /** @default 512 */
  readonly memorySize?: number
  readonly environment: Record<string, string>
  readonly logRetention: logs.RetentionDays
}

/**
 * One fargated Lambda: a NodejsFunction bundled locally by esbuild (never Docker) to a
 * minified ESM file for Node.js on ARM64, with its own role (logs only, to its own group)
 * and its own log group with retention. Permissions are added by the grant* methods of
 * the constructs it uses.
 */
export class FargatedFunction extends Construct implements iam.IGrantable {
  public readonly function: NodejsFunction
  public readonly role: iam.Role
  public readonly grantPrincipal: iam.IPrincipal
  public readonly logGroup: logs.LogGroup

  constructor(scope: Construct, id: string, props: FargatedFunctionProps) {
    super(scope, id)
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `fargated ${props.entry}: execution role (least privilege, granted per use)`,
    })
    this.grantPrincipal = this.role
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    )
    this.function = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}functions/${props.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      handler: 'handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
      bundling: {
        format: OutputFormat.ESM,
        banner: ESM_REQUIRE_BANNER,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: false,
        target: 'node24',
        // Bundle the AWS SDK too: pinned versions instead of whatever the runtime ships.
        externalModules: [],
        forceDockerBundling: false,
      },
    })
  }
}
