/**
 * The single DynamoDB table's key schema, shared by the store (runtime), local mode (which
 * creates the table in the embedded server) and infra (which provisions it).
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** One global secondary index for cross-item lookups (run by ref, key by hash, active containers). */
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Epoch-seconds attribute DynamoDB TTL deletes by (idempotency records, deliveries, events). */
  ttlAttribute: 'ttl',
} as const

/** CreateTable input for the embedded server and tests (on-demand, same keys as infra). */
export function createTableInput(tableName: string) {
  const k = TABLE_KEYS
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: k.partitionKey, AttributeType: 'S' as const },
      { AttributeName: k.sortKey, AttributeType: 'S' as const },
      { AttributeName: k.gsi1.partitionKey, AttributeType: 'S' as const },
      { AttributeName: k.gsi1.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: k.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: k.sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: k.gsi1.name,
        KeySchema: [
          { AttributeName: k.gsi1.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: k.gsi1.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      },
    ],
  }
}
