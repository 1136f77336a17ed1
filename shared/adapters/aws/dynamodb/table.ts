// The table definition, shared by the CDK stack and the local runtime (dynalite) so both have the same shape.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const TABLE_KEY_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
} as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: TABLE_KEY_SCHEMA.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_KEY_SCHEMA.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEY_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEY_SCHEMA.sortKey, KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}
