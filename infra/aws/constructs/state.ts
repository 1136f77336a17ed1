// The product's one DynamoDB table: on demand, point-in-time recovery, TTL, deletion protection,
// retained when the stack is deleted (state outlives a teardown). Keys match the adapters' table
// definition (shared/adapters/aws/dynamodb/table.ts) used by the local runtime.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, type ITableV2, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
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

/**
 * An internet-facing function (the webhook, the dashboard) may read the records under these key
 * prefixes but never write them: whoever took it over could not forge an intent's outcome, an order or
 * the view trades are judged on (`dynamodb:LeadingKeys` on the partition key).
 */
export function denyWritesUnder(
  fn: IGrantable & { addToRolePolicy(s: PolicyStatement): void },
  table: ITableV2,
  prefixes: readonly string[],
  sid: string,
): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      sid,
      effect: Effect.DENY,
      actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': prefixes.map((p) => `${p}*`) } },
    }),
  );
}
