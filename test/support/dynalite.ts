// The real DynamoDB API in-process (dynalite) on loopback, with the product's table — the same
// helper the local runtime uses.
import { startDynalite } from '../../infra/local/dynalite.ts';

export async function startDynamo(tableName = 'autocoin-test') {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return startDynalite(tableName);
}
