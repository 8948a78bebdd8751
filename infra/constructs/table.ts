/**
 * The single table, built from lib/keys.ts TABLE: the same key schema and indexes the local
 * stack creates (createTableInput), so nothing about the data model is written twice.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../../lib/keys.js';

const PROJECTIONS = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
} as const;

/**
 * Every tenant's data: protected against loss on every path there is. Deletion protection and
 * RETAIN keep it through a bad deploy or a deleted stack; PITR restores any second of the last
 * 35 days (README "Restore").
 */
export class ServiceTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      // On demand: traffic is spiky and small; no capacity to plan or alarm on.
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Encrypted at rest with the AWS managed key (aws/dynamodb): auditable in CloudTrail,
      // no key policy of our own to get wrong.
      encryption: TableEncryption.AWS_MANAGED,
    });
    for (const [indexName, index] of Object.entries(TABLE.indexes)) {
      this.table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
        projectionType: PROJECTIONS[index.projection],
      });
    }
  }
}
