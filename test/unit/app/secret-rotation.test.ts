// Issue 13, finding 6, for the Telegram side: a warm container holding a rotated bot token or webhook
// secret re-reads it (bypassing the cache) instead of failing until the next cold start.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramSender } from '../../../functions/notifier/handler.ts';
import { makeWebhookHandler, type WebhookSetup } from '../../../functions/telegram-webhook/handler.ts';
import { refreshable } from '../../../shared/app/once.ts';

let server: Server;
let apiRoot: string;
beforeAll(async () => {
  // The Bot API as it answers a revoked token.
  server = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error_code: 401, description: 'Unauthorized' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('refreshable', () => {
  it('stale() makes the next build read fresh, at most once a minute', async () => {
    let t = 0;
    const builds: boolean[] = [];
    const r = refreshable(async (fresh) => builds.push(fresh), { now: () => t });
    await r.get();
    await r.get();
    expect(builds).toEqual([false]);
    expect(r.stale()).toBe(true);
    await r.get();
    expect(builds).toEqual([false, true]);
    t += 30_000;
    expect(r.stale()).toBe(false); // a flood of refusals cannot hammer the secret store
    await r.get();
    expect(builds).toEqual([false, true]);
    t += 31_000;
    expect(r.stale()).toBe(true);
    await r.get();
    expect(builds).toEqual([false, true, true]);
  });
});

describe('Telegram secrets rotate into warm containers', () => {
  it('the notifier marks its token stale when the Bot API refuses it (401)', async () => {
    let refused = 0;
    const send = telegramSender(
      '1234567:FAKE_revoked_token_for_tests_abcdefgh',
      [42],
      apiRoot,
      () => refused++,
    );
    await expect(send('<b>halted</b>')).rejects.toThrow(/401|Unauthorized/);
    expect(refused).toBe(1);
  });

  it('the webhook re-reads its secret when a request carries one it does not know, then accepts it', async () => {
    const secrets = ['old_webhook_secret_for_tests_000', 'new_webhook_secret_for_tests_111'];
    const handled: number[] = [];
    const setup = refreshable(
      async (fresh): Promise<WebhookSetup> => ({
        secret: secrets[fresh ? 1 : 0]!,
        bot: { handleUpdate: async (u: { update_id: number }) => void handled.push(u.update_id) } as never,
        log: () => {},
      }),
    );
    const handler = makeWebhookHandler(setup.get, setup.stale);
    const call = (secret: string, id: number) =>
      handler(
        {
          headers: { 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify({ update_id: id }),
        } as never,
        {} as never,
      );
    expect((await call(secrets[0]!, 1)).statusCode).toBe(200);
    // setWebhook was called with the new secret; this container still holds the old one.
    expect((await call(secrets[1]!, 2)).statusCode).toBe(200);
    expect(handled).toEqual([1, 2]);
    // A wrong secret is still refused, and does not trigger another re-read within the minute.
    expect((await call('wrong_secret_for_tests_2222222222', 3)).statusCode).toBe(401);
    expect(handled).toEqual([1, 2]);
  });
});
