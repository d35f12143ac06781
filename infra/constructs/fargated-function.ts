import { AssetHashType, BundlingOutput, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as logs from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import { bundleFunctionSync, PROJECT_ROOT } from '../bundle.js'

export { ESM_REQUIRE_BANNER } from '../bundle.js'

/** Lambda runtime for every function: the newest Node.js LTS managed runtime (deprecation 2028). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X

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
 * The function's code: infra/bundle.ts run locally by esbuild (never Docker; the image is
 * never pulled: the local bundler succeeds or throws). The asset hash is the bundle's, as
 * NodejsFunction's; `command` is never run, it names the entry so that each function has its
 * own key in CDK's asset cache.
 */
function bundledCode(entry: string): lambda.Code {
  return lambda.Code.fromAsset(PROJECT_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry('fargated/local-esbuild-only'),
      command: ['tsx', 'infra/bundle-cli.ts', entry, '/asset-output'],
      outputType: BundlingOutput.NOT_ARCHIVED,
      local: {
        tryBundle(outputDir: string): boolean {
          bundleFunctionSync(entry, outputDir)
          return true
        },
      },
    },
  })
}

/**
 * One fargated Lambda: functions/<entry> bundled by infra/bundle.ts (local esbuild, minified
 * ESM with code splitting) for Node.js on ARM64, with its own role (logs only, to its own
 * group) and its own log group with retention. Permissions are added by the grant* methods
 * of the constructs it uses.
 */
export class FargatedFunction extends Construct implements iam.IGrantable {
  public readonly function: lambda.Function
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
    this.function = new lambda.Function(this, 'Function', {
      code: bundledCode(props.entry),
      // BUNDLE_ENTRY_FILE (index.mjs) exports handler.
      handler: 'index.handler',
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 512,
      role: this.role,
      logGroup: this.logGroup,
      environment: props.environment,
    })
  }
}
