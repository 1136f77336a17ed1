// The product's one DynamoDB table: on demand, point-in-time recovery, TTL, deletion protection,
// retained when the stack is deleted (state outlives a teardown). Keys match the adapters' table
// definition (shared/adapters/aws/dynamodb/table.ts) used by the local runtime.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TTL_ATTRIBUTE } from '../../../shared/adapters/aws/dynamodb/keys.ts';
import { TABLE_KEY_SCHEMA } from '../../../shared/adapters/aws/dynamodb/table.ts';

export class State extends Construct {
  readonly table: TableV2;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEY_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEY_SCHEMA.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      encryption: TableEncryptionV2.awsManagedKey(),
    });
  }
}
