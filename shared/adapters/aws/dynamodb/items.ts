// The two item operations every entity of the single table is written with: a consistent read that
// strips the key and TTL attributes, and a put under a condition that answers false when the condition
// failed. Shared by DynamoStateStore and the Telegram items beside it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Key, TTL_ATTRIBUTE } from './keys.ts';

export interface PutCondition {
  expr: string;
  values?: Record<string, unknown>;
}

export async function readItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
): Promise<Record<string, unknown> | undefined> {
  const r = await doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  if (!r.Item) return undefined;
  const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...item } = r.Item;
  return item;
}

/** Put `item` under `key` (and `condition`, if any); false when the condition failed. */
export async function putItem(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: Key,
  item: Record<string, unknown>,
  condition?: PutCondition,
): Promise<boolean> {
  try {
    await doc.send(
      new PutCommand({
        TableName: tableName,
        Item: { ...item, ...key },
        ...(condition
          ? {
              ConditionExpression: condition.expr,
              ...(condition.values ? { ExpressionAttributeValues: condition.values } : {}),
            }
          : {}),
      }),
    );
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
