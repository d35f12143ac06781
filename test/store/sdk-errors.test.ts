import { ConditionalCheckFailedException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BackendError, ConflictError, NotFoundError, ThrottledError } from '../../shared/core/errors.js'
import { DynamoStore } from '../../shared/store/dynamo-store.js'
import { attempt, toStoreError, writeIf } from '../../shared/store/sdk-errors.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'

const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} })

describe('toStoreError', () => {
  it('turns a failed condition into ConflictError saying what conflicted', () => {
    const cause = conditionFailed()
    const error = toStoreError(cause, 'update container', 'container abc was changed concurrently')
    expect(error).toBeInstanceOf(ConflictError)
    expect(error.message).toBe('container abc was changed concurrently')
    expect(error.cause).toBe(cause)
  })

  it('turns throttling into ThrottledError and anything else into BackendError with the cause', () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' })
    expect(toStoreError(throttled, 'put run')).toBeInstanceOf(ThrottledError)
    const missing = new ResourceNotFoundException({ message: 'Requested resource not found', $metadata: {} })
    const error = toStoreError(missing, 'get container')
    expect(error).toBeInstanceOf(BackendError)
    expect(error.message).toBe('DynamoDB get container failed: ResourceNotFoundException: Requested resource not found')
    expect(error.cause).toBe(missing)
  })

  it('passes core errors through untouched', () => {
    const notFound = new NotFoundError('No such key: k')
    expect(toStoreError(notFound, 'delete key')).toBe(notFound)
  })
})

describe('attempt / writeIf', () => {
  it('writeIf answers false on a failed condition and throws the rest', async () => {
    expect(await writeIf('w', () => Promise.resolve())).toBe(true)
    expect(await writeIf('w', () => Promise.reject(conditionFailed()))).toBe(false)
    await expect(writeIf('w', () => Promise.reject(new Error('socket hang up')))).rejects.toThrow(BackendError)
  })

  it('attempt throws ConflictError for a failed condition', async () => {
    await expect(attempt('w', () => Promise.reject(conditionFailed()), 'what conflicted')).rejects.toThrow(new ConflictError('what conflicted'))
  })
})

describe('against dynalite', () => {
  let t: TestStore
  beforeAll(async () => {
    t = await startTestStore()
  })
  afterAll(() => t.close())

  it('reports a missing table as BackendError naming the operation', async () => {
    const store = new DynamoStore({ client: t.client, tableName: 'no-such-table' })
    const error = await store.getContainer('ns', 'abc').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BackendError)
    expect((error as BackendError).message).toMatch(/^DynamoDB get container failed: ResourceNotFoundException/)
  })
})
