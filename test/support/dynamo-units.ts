// Counts what a DynamoDB client would be billed on demand: a read request unit per 4 KB read (strongly
// consistent) and a write request unit per 1 KB written (AWS DynamoDB developer guide, "Read/write
// capacity mode"), from the commands the SDK sends — measured, for the cost model.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export function countRequestUnits(client: DynamoDBClient) {
  const units = { reads: 0, writes: 0 };
  const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v ?? {}));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Item?: unknown; Key?: unknown; ExpressionAttributeValues?: unknown };
      const out = await next(args);
      const name = context.commandName ?? '';
      const body = out.output as { Item?: unknown; Items?: unknown[] };
      if (name === 'GetItemCommand') units.reads += Math.max(1, Math.ceil(size(body.Item) / 4096));
      if (name === 'QueryCommand') units.reads += Math.max(1, Math.ceil(size(body.Items) / 4096));
      if (name === 'PutItemCommand') units.writes += Math.max(1, Math.ceil(size(input.Item) / 1024));
      if (name === 'UpdateItemCommand')
        units.writes += Math.max(
          1,
          Math.ceil((size(input.Key) + size(input.ExpressionAttributeValues)) / 1024),
        );
      return out;
    },
    { step: 'initialize', name: 'countRequestUnits' },
  );
  return units;
}
