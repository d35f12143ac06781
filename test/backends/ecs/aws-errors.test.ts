import { describe, expect, it } from 'vitest'
import { ClientException, ECSServiceException, ServerException } from '@aws-sdk/client-ecs'
import {
  BackendError,
  ConflictError,
  InvalidSpecError,
  NotFoundError,
  ThrottledError,
} from '../../../shared/core/errors.js'
import { translateAwsError } from '../../../shared/backends/ecs/aws-errors.js'

const sdk = (name: string, message: string, fault: 'client' | 'server' = 'client') =>
  new ECSServiceException({ name, message, $fault: fault, $metadata: {} })

describe('translateAwsError', () => {
  const ctx = { operation: 'RunTask', cluster: 'fargated' }

  it.each([
    [sdk('ThrottlingException', 'Rate exceeded'), ThrottledError, /throttled RunTask/],
    [new ServerException({ message: 'boom', $metadata: {} }), BackendError, /AWS server error in RunTask: boom/],
    [sdk('ClusterNotFoundException', 'Cluster not found.'), BackendError, /ECS cluster "fargated" was not found/],
    [sdk('ConflictException', 'token reused'), ConflictError, /idempotency token/],
    [sdk('AccessDeniedException', 'not authorized'), BackendError, /not allowed to call RunTask/],
    [new ClientException({ message: "Invalid 'cpu' setting for task.", $metadata: {} }), InvalidSpecError, /ECS rejected the container spec/],
    [new ClientException({ message: 'Role is not valid: executionRoleArn', $metadata: {} }), BackendError, /RunTask failed: Role is not valid/],
    [sdk('InvalidParameterException', 'Subnets can not be empty.'), BackendError, /RunTask failed/],
    [sdk('SomethingNew', 'odd', 'server'), BackendError, /AWS server error/],
    [new Error('socket hang up'), BackendError, /RunTask failed: Error: socket hang up/],
  ])('%s → %o', (error, type, message) => {
    const out = translateAwsError(error, ctx)
    expect(out).toBeInstanceOf(type)
    expect(out.message).toMatch(message)
    expect(out.cause).toBe(error)
  })

  it('names the image for ECR not-found errors and passes core errors through', () => {
    expect(translateAwsError(sdk('ImageNotFoundException', 'x'), { operation: 'DescribeImages', image: 'app:1' }).message).toBe('No such image: app:1')
    expect(translateAwsError(sdk('RepositoryNotFoundException', 'x'), { operation: 'DescribeImages', image: 'app:1' })).toBeInstanceOf(NotFoundError)
    const core = new NotFoundError('x')
    expect(translateAwsError(core, ctx)).toBe(core)
  })

  it('treats HTTP 429 as throttling whatever the name', () => {
    const e = new ECSServiceException({ name: 'Whatever', message: 'slow down', $fault: 'client', $metadata: { httpStatusCode: 429 } })
    expect(translateAwsError(e, ctx)).toBeInstanceOf(ThrottledError)
  })
})
