// The real DynamoDB API in-process (dynalite) on loopback, with the product's table.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../shared/adapters/aws/dynamodb/table.ts';

export async function startDynamo(tableName = 'autocoin-test') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  return {
    client,
    tableName,
    /** Another empty table on the same server (isolates tests that share one dynalite). */
    async newTable(name: string): Promise<string> {
      await client.send(new CreateTableCommand(createTableInput(name)));
      return name;
    },
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
