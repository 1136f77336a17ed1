// dynalite (the real DynamoDB API, in-process) on loopback with the product's table: the local
// runtime's state store, and the tests'.
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTableInput } from '../../shared/adapters/aws/dynamodb/table.ts';

/** `path`: keep the data on disk there (LevelDB) — a restart finds the table and its items again. */
export async function startDynalite(tableName: string, opts: { path?: string } = {}) {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(opts.path ? { path: opts.path } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (err) {
    if (!(opts.path && err instanceof ResourceInUseException)) throw err; // persisted: already there
  }
  await untilActive(client, tableName);
  return {
    client,
    tableName,
    endpoint: `http://127.0.0.1:${port}`,
    /** Another empty table on the same server (isolates tests that share one dynalite). */
    async newTable(name: string): Promise<string> {
      await client.send(new CreateTableCommand(createTableInput(name)));
      await untilActive(client, name);
      return name;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * dynalite marks a new table ACTIVE on a timer after CreateTable answers (with a LevelDB path, after an
 * asynchronous write), and refuses items with ResourceNotFound until then: seen under load as a first
 * put failing. Wait for ACTIVE, bounded.
 */
async function untilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`dynalite: table ${tableName} did not become ACTIVE`);
}
