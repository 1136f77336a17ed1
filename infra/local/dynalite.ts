// dynalite (the real DynamoDB API, in-process) on loopback with the product's table: the local
// runtime's state store, and the tests'.
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../shared/adapters/aws/dynamodb/table.ts';

export async function startDynalite(tableName: string) {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  return {
    client,
    tableName,
    endpoint: `http://127.0.0.1:${port}`,
    /** Another empty table on the same server (isolates tests that share one dynalite). */
    async newTable(name: string): Promise<string> {
      await client.send(new CreateTableCommand(createTableInput(name)));
      return name;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
