import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

export interface DocumentClientOptions {
  /** An embedded server's endpoint (local mode, tests); omitted = the region's DynamoDB. */
  endpoint?: string
  region: string
}

/**
 * The document client the store expects: `undefined` fields are dropped on write (optional
 * model fields), everything else is marshalled as is. With an embedded endpoint it carries
 * dummy credentials so no credential lookup happens.
 */
export function createDocumentClient(options: DocumentClientOptions): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
  })
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  })
}
