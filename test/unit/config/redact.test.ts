// Issue 13, finding 7: one redaction on every log and error path. The two paths the review found:
// telegraf quotes the Bot API URL (with the token) when an answer is not JSON; a malformed Binance
// secret's JSON parse error quotes its first characters.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNotifierHandler, telegramSender } from '../../../functions/notifier/handler.ts';
import { makeExecutorHandler } from '../../../functions/order-executor/handler.ts';
import { makeWebhookHandler } from '../../../functions/telegram-webhook/handler.ts';
import {
  MalformedCredentialsSecret,
  parseCredentialsSecret,
} from '../../../shared/adapters/binance/credentials.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { redactSecrets } from '../../../shared/config/redact.ts';

// Obviously fake, but shaped like the real thing (digits, colon, 35 characters).
const TOKEN = '1234567:FAKE_token_for_tests_only_abcdefghij';

let server: Server;
let apiRoot: string;
beforeAll(async () => {
  // A Bot API stand-in that answers like a proxy error page: HTTP 404 with HTML, not JSON.
  server = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>Not Found</body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('redaction', () => {
  it('a non-JSON Bot API answer: the notifier fails without the bot token in message, stack or fields', async () => {
    const handler = makeNotifierHandler(async () => ({
      store: new MemoryStateStore(),
      clock: { now: () => 0 },
      send: telegramSender(TOKEN, [42], apiRoot),
    }));
    const event = {
      'detail-type': 'Halted',
      detail: { type: 'Halted', time: 0, reason: 'daily loss limit' },
    };
    let caught: unknown;
    try {
      await handler(event, {} as never);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(Error);
    const everything = JSON.stringify({
      ...(caught as object),
      m: (caught as Error).message,
      s: (caught as Error).stack,
    });
    expect(everything).toMatch(/invalid json|Unexpected|not valid JSON/i); // it is the failure we meant
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(TOKEN.split(':')[1]);
  });

  it('a malformed Binance secret: the error names the secret and the shape, never its characters', () => {
    const raw = 'fakeApiKeyABCDEFGH,fakeSecretIJKLMNOP';
    try {
      parseCredentialsSecret(raw, 'autocoin/binance-trading');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(MalformedCredentialsSecret);
      const text = `${(err as Error).message}\n${(err as Error).stack}`;
      expect(text).toContain('autocoin/binance-trading');
      expect(text).not.toContain('fakeApiKey');
      expect(text).not.toContain('ABCDEFGH');
    }
    // …and once read, the values are masked wherever they appear later.
    expect(redactSecrets(`request failed for ${raw}`)).toBe('request failed for [redacted]');
  });

  it('masks credential fields and bot tokens it was never told about', () => {
    expect(redactSecrets('GET /fapi/v1/order?signature=abc123def&x=1')).toBe(
      'GET /fapi/v1/order?signature=[redacted]&x=1',
    );
    expect(
      redactSecrets('https://api.telegram.org/bot987654321:AAAAbbbbCCCCddddEEEEffffGGGGhhhhIII/getMe'),
    ).toBe('https://api.telegram.org/bot[redacted-bot-token]/getMe');
  });

  it('the webhook logs a failed update without the token the Bot API error quoted', async () => {
    const logged: Record<string, unknown>[] = [];
    const handler = makeWebhookHandler(async () => ({
      secret: 'fake_webhook_secret_for_tests_0000',
      bot: {
        handleUpdate: async () => {
          throw new Error(
            `invalid json response body at ${apiRoot}/bot${TOKEN}/sendMessage reason: Unexpected token <`,
          );
        },
      } as never,
      log: (e) => logged.push(e),
    }));
    const r = await handler(
      {
        headers: { 'x-telegram-bot-api-secret-token': 'fake_webhook_secret_for_tests_0000' },
        body: JSON.stringify({
          update_id: 1,
          message: { message_id: 1, date: 1, chat: { id: 42, type: 'private' }, text: '/help' },
        }),
      } as never,
      {} as never,
    );
    expect(r.statusCode).toBe(200);
    expect(JSON.stringify(logged)).toContain('update failed');
    expect(JSON.stringify(logged)).not.toContain(TOKEN.split(':')[1]);
  });

  it('an error a handler throws leaves it redacted (Lambda logs it as is)', async () => {
    const handler = makeExecutorHandler(async () => {
      throw new Error(`cold start failed calling ${apiRoot}/bot${TOKEN}/getMe`);
    });
    const err = await handler({ Records: [] } as never, {} as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(`${(err as Error).message}${(err as Error).stack}`).not.toContain(TOKEN.split(':')[1]);
  });
});
