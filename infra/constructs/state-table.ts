import { RemovalPolicy } from 'aws-cdk-lib'
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb'
import * as iam from 'aws-cdk-lib/aws-iam'
import { Construct } from 'constructs'
import { TABLE_KEYS } from '../../shared/store/table-schema.js'

export interface StateTableProps {
  /** DynamoDB deletion protection. */
  readonly deletionProtection: boolean
}

/** The item-level actions the store uses (no Scan, no table administration). */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
]

/**
 * The single state table (keys from shared/store/table-schema.ts): on demand, point-in-time
 * recovery, encrypted with the AWS-managed key, TTL on `ttl`, retained when the stack goes.
 */
export class StateTable extends Construct {
  public readonly table: dynamodb.Table

  constructor(scope: Construct, id: string, props: StateTableProps) {
    super(scope, id)
    const k = TABLE_KEYS
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: k.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: k.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: k.ttlAttribute,
      deletionProtection: props.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    })
    this.table.addGlobalSecondaryIndex({
      indexName: k.gsi1.name,
      partitionKey: { name: k.gsi1.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: k.gsi1.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    })
  }

  /** Item reads and writes on the table and its gsi1 index, nothing else. */
  grantData(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'StateTableData',
        actions: TABLE_DATA_ACTIONS,
        resources: [this.table.tableArn, `${this.table.tableArn}/index/${TABLE_KEYS.gsi1.name}`],
      }),
    )
  }
}
