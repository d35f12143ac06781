import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TaskDefinitionRecord } from '../../shared/core/ports.js'
import { startTestStore, type TestStore } from '../support/dynalite.js'
import { uniqueNamespace } from './fixtures.js'

let t: TestStore
beforeAll(async () => {
  t = await startTestStore()
})
afterAll(() => t.close())

describe('task definitions', () => {
  it('round-trips, stays inside the namespace, and deletes', async () => {
    const record: TaskDefinitionRecord = {
      namespace: uniqueNamespace(),
      specHash: 'f'.repeat(64),
      arn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/fargated-team-a-ffff:3',
      family: 'fargated-team-a-ffff',
      createdAt: '2025-01-01T00:00:00Z',
    }
    await t.store.putTaskDefinition(record)
    expect(await t.store.getTaskDefinition(record.namespace, record.specHash)).toStrictEqual(record)
    expect(await t.store.getTaskDefinition(uniqueNamespace(), record.specHash)).toBeUndefined()
    await t.store.putTaskDefinition({ ...record, arn: record.arn.replace(':3', ':4') })
    expect((await t.store.getTaskDefinition(record.namespace, record.specHash))?.arn).toMatch(/:4$/)
    await t.store.deleteTaskDefinition(record.namespace, record.specHash)
    expect(await t.store.getTaskDefinition(record.namespace, record.specHash)).toBeUndefined()
  })
})
