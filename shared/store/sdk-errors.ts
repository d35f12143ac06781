/**
 * The one place DynamoDB SDK errors become core errors: a failed condition is a ConflictError
 * saying what conflicted, throttling past the SDK's retries a ThrottledError, anything else a
 * BackendError with the SDK error as cause.
 */
import { BackendError, ConflictError, FargatedError, ThrottledError } from '../core/errors.js'

const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
])

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined
}

export function isConditionFailed(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException'
}

/** Translates an SDK error from `action` (e.g. "put container"). */
export function toStoreError(error: unknown, action: string, conflict?: string): FargatedError {
  if (error instanceof FargatedError) return error
  const name = errorName(error) ?? 'Error'
  const message = error instanceof Error ? error.message : String(error)
  if (isConditionFailed(error)) {
    return new ConflictError(conflict ?? `store: ${action} conflicted with a concurrent change`, { cause: error })
  }
  if (THROTTLING.has(name)) return new ThrottledError(`DynamoDB throttled ${action}: ${message}`, { cause: error })
  return new BackendError(`DynamoDB ${action} failed: ${name}: ${message}`, { cause: error })
}

/** Runs one SDK call; a failed condition throws ConflictError(`conflict`). */
export async function attempt<T>(action: string, call: () => Promise<T>, conflict?: string): Promise<T> {
  try {
    return await call()
  } catch (error) {
    throw toStoreError(error, action, conflict)
  }
}

/** Runs one conditional write; false when its condition failed (a normal outcome for the caller). */
export async function writeIf(action: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call()
    return true
  } catch (error) {
    if (isConditionFailed(error)) return false
    throw toStoreError(error, action)
  }
}
