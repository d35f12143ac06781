/** Creates the table where nothing provisions it (local mode, tests); AWS gets it from infra. */
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { BackendError } from '../core/errors.js'
import { attempt } from './sdk-errors.js'
import { createTableInput } from './table-schema.js'

const POLL_MS = 100
const MAX_POLLS = 600

async function tableStatus(client: DynamoDBDocumentClient, tableName: string): Promise<string | undefined> {
  try {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }))
    return out.Table?.TableStatus
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined
    throw error
  }
}

/** Creates `tableName` (createTableInput) if it does not exist and waits until it is ACTIVE. */
export async function ensureTable(client: DynamoDBDocumentClient, tableName: string): Promise<void> {
  await attempt('ensure table', async () => {
    if ((await tableStatus(client, tableName)) === undefined) {
      try {
        await client.send(new CreateTableCommand(createTableInput(tableName)))
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error
      }
    }
    for (let poll = 0; poll < MAX_POLLS; poll++) {
      if ((await tableStatus(client, tableName)) === 'ACTIVE') return
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
    throw new BackendError(`table ${tableName} did not become ACTIVE within ${(POLL_MS * MAX_POLLS) / 1000} s`)
  })
}
