// readSecureValue: an SSM parameter name or a Secrets Manager ARN, through Powertools Parameters.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecureValue } from '../../../shared/adapters/aws/secure-value.ts';

let server: Server;
const targets: string[] = [];
beforeAll(async () => {
  // Secrets Manager's JSON API on loopback, as it answers GetSecretValue.
  server = createServer((req, res) => {
    targets.push(String(req.headers['x-amz-target']));
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(
      JSON.stringify({
        ARN: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:t',
        SecretString: 'value-from-stub',
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  Object.assign(process.env, {
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'AKIDLOCALONLY',
    AWS_SECRET_ACCESS_KEY: 'local-only-not-a-secret',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('readSecureValue', () => {
  it('refuses an id that is neither a parameter name nor a secret ARN, without quoting it', async () => {
    const err = await readSecureValue('hunter2-looks-like-a-key', { maxAge: 300 }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/SSM parameter name/);
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('reads a Secrets Manager secret by its ARN, from the cache until forced', async () => {
    const arn = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:t';
    expect(await readSecureValue(arn, { maxAge: 300 })).toBe('value-from-stub');
    await readSecureValue(arn, { maxAge: 300 });
    expect(targets).toEqual(['secretsmanager.GetSecretValue']);
    await readSecureValue(arn, { maxAge: 300, forceFetch: true });
    expect(targets).toHaveLength(2);
  });
});
