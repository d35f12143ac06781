/**
 * SDK exception → core error, in one place. The SDK has already retried throttles and 5xx
 * (see aws-clients.ts) by the time an error reaches these functions. Errors are matched by
 * `name` rather than by class: ECS does not model ThrottlingException, so it arrives as a bare
 * ECSServiceException named "ThrottlingException".
 */
import {
  BackendError,
  ConflictError,
  FargatedError,
  InvalidSpecError,
  NotFoundError,
  ThrottledError,
  UnsupportedError,
} from '../../core/errors.js'

interface AwsErrorShape {
  name: string
  message: string
  $fault?: 'client' | 'server'
  $metadata?: { httpStatusCode?: number }
  resourceIds?: string[]
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
])

const SERVER = new Set(['ServerException', 'InternalServerException', 'ServiceUnavailableException', 'InternalFailure'])

/** Fields of the container spec that ECS names when it rejects the user's input. */
const SPEC_FIELDS =
  /\b(cpu|memory|healthCheck|health check|portMappings?|containerPort|hostPort|stopTimeout|ephemeralStorage|workingDirectory|entryPoint|command|environment|secrets?|user|image|pseudoTerminal|runtimePlatform|cpuArchitecture)\b/i
const OPERATOR_FIELDS = /\b(role|roleArn|executionRoleArn|taskRoleArn|subnets?|securityGroups?|cluster|capacity provider|logConfiguration|awslogs|iam)\b/i

function shape(e: unknown): AwsErrorShape | undefined {
  if (typeof e !== 'object' || e === null) return undefined
  const { name, message } = e as { name?: unknown; message?: unknown }
  if (typeof name !== 'string') return undefined
  const { $fault, $metadata, resourceIds } = e as Partial<AwsErrorShape>
  return { name, message: typeof message === 'string' ? message : String(message ?? ''), $fault, $metadata, resourceIds }
}

/** The error's AWS name (ThrottlingException, ClientException, ...), if it has one. */
export function awsErrorName(e: unknown): string | undefined {
  return shape(e)?.name
}

export function isThrottling(e: unknown): boolean {
  const s = shape(e)
  return !!s && (THROTTLING.has(s.name) || s.$metadata?.httpStatusCode === 429)
}

export interface TranslateContext {
  /** What was being done, for the message: "RunTask", "DescribeImages app:1". */
  operation: string
  cluster?: string
  /** For ECR not-found errors: the image as the user wrote it. */
  image?: string
}

/**
 * Translates any error thrown by an SDK call into a core error. Core errors pass through.
 * ClientException/InvalidParameterException become InvalidSpecError when ECS names a spec
 * field (invalid cpu/memory, health check, ports...), BackendError otherwise.
 */
export function translateAwsError(e: unknown, ctx: TranslateContext): FargatedError {
  if (e instanceof FargatedError) return e
  const s = shape(e)
  if (!s) return new BackendError(`${ctx.operation} failed: ${String(e)}`, { cause: e })
  const msg = s.message || s.name
  if (isThrottling(e)) {
    return new ThrottledError(`AWS throttled ${ctx.operation} after retries: ${msg}`, { cause: e })
  }
  switch (s.name) {
    case 'ClusterNotFoundException':
      return new BackendError(`ECS cluster "${ctx.cluster ?? '?'}" was not found (${ctx.operation}); check the deployment`, { cause: e })
    case 'ConflictException':
      return new ConflictError(
        `${ctx.operation}: the idempotency token was already used with different parameters: ${msg}`,
        { cause: e, details: { resourceIds: s.resourceIds ?? [] } },
      )
    case 'RepositoryNotFoundException':
    case 'ImageNotFoundException':
      return new NotFoundError(`No such image: ${ctx.image ?? '?'}`, { cause: e })
    case 'ImageTagAlreadyExistsException':
      return new ConflictError(`${ctx.operation}: the tag exists and the repository's tags are immutable: ${msg}`, { cause: e })
    case 'LayersNotFoundException':
    case 'ReferencedImagesNotFoundException':
      return new UnsupportedError(
        `${ctx.operation}: the target repository lacks the image's layers; tag within the same repository, or push the image there`,
        { cause: e },
      )
    case 'AccessDeniedException':
      return new BackendError(`fargated is not allowed to call ${ctx.operation}: ${msg}`, { cause: e })
    case 'ClientException':
    case 'InvalidParameterException':
      if (SPEC_FIELDS.test(msg) && !OPERATOR_FIELDS.test(msg)) {
        return new InvalidSpecError(`ECS rejected the container spec: ${msg}`, { cause: e })
      }
      return new BackendError(`${ctx.operation} failed: ${msg}`, { cause: e })
  }
  if (SERVER.has(s.name) || s.$fault === 'server') {
    return new BackendError(`AWS server error in ${ctx.operation}: ${msg}`, { cause: e, details: { retryable: true } })
  }
  return new BackendError(`${ctx.operation} failed: ${s.name}: ${msg}`, { cause: e })
}

/**
 * A per-image failure of BatchGetImage / BatchDeleteImage (they answer 200 with `failures`)
 * as a core error: ImageNotFound → NotFoundError, a manifest list still referencing it →
 * ConflictError, anything else → BackendError.
 */
export function translateImageFailure(failure: { failureCode?: string; failureReason?: string }, ctx: TranslateContext): FargatedError {
  const why = `${failure.failureCode ?? 'Failure'}: ${failure.failureReason ?? ''}`.trim()
  switch (failure.failureCode) {
    case 'ImageNotFound':
      return new NotFoundError(`No such image: ${ctx.image ?? '?'}`)
    case 'ImageReferencedByManifestList':
      return new ConflictError(`${ctx.operation}: ${ctx.image ?? 'the image'} is referenced by a manifest list; delete that first (${why})`)
    case 'InvalidImageDigest':
    case 'InvalidImageTag':
    case 'ImageTagDoesNotMatchDigest':
      return new NotFoundError(`No such image: ${ctx.image ?? '?'} (${why})`)
  }
  return new BackendError(`${ctx.operation} failed: ${why}`)
}
