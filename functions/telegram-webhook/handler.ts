// Lambda (Function URL): the Telegram webhook. Wiring only: verify Telegram's secret-token header in
// constant time (401 and nothing else when it is wrong), then hand the update to the bot. Every other
// request gets 200 — even a malformed or unknown update (logged) — so Telegram never retries a poison
// update forever.
import { createHash, timingSafeEqual } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Telegraf } from 'telegraf';
import { z } from 'zod';
import { readSecureValue } from '../../shared/adapters/aws/secure-value.ts';
import { allowedChats, allowedUsers } from '../../shared/adapters/telegram/allowed-chats.ts';
import { createBot } from '../../shared/adapters/telegram/bot.ts';
import { isTokenRefused } from '../../shared/adapters/telegram/token-refused.ts';
import { once, refreshable } from '../../shared/app/once.ts';
import type { TelegramDeps } from '../../shared/app/telegram/registry.ts';
import { redactFields, redactingErrors, rememberSecret } from '../../shared/config/redact.ts';
import { telegramDeps } from './deps.ts';

const UpdateSchema = z.object({ update_id: z.number().int() }).passthrough();

export function secretMatches(given: string | undefined, expected: string): boolean {
  if (!given || !expected) return false;
  // Equal-length digests: the comparison time does not depend on where the strings differ.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface WebhookSetup {
  secret: string;
  bot: Telegraf;
  log?: (entry: Record<string, unknown>) => void;
}

export function makeWebhookHandler(
  getSetup: () => Promise<WebhookSetup>,
  /**
   * Ask for the setup to be rebuilt from freshly read secrets (rotation); rate-limited by the caller,
   * true when granted. Used when the secret token does not match and when the Bot API refuses the token.
   */
  refresh?: () => boolean,
) {
  return middy(async (event: APIGatewayProxyEventV2): Promise<{ statusCode: number; body: string }> => {
    let setup = await getSetup();
    // Every line leaves through the one redaction (a Bot API error can quote the URL with the token).
    const write = setup.log ?? ((e) => console.log(JSON.stringify(e)));
    const log = (e: Record<string, unknown>) => write(redactFields(e));
    const header = Object.entries(event.headers ?? {}).find(
      ([k]) => k.toLowerCase() === 'x-telegram-bot-api-secret-token',
    )?.[1];
    // A webhook secret rotated (setWebhook with the new one) while this container holds the old one.
    if (!secretMatches(header, setup.secret) && refresh?.()) setup = await getSetup();
    if (!secretMatches(header, setup.secret)) {
      log({
        level: 'WARN',
        message: 'webhook call without the right secret token',
        sourceIp: event.requestContext?.http?.sourceIp,
      });
      return { statusCode: 401, body: 'unauthorized' };
    }
    let update: z.infer<typeof UpdateSchema>;
    try {
      const raw = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
        : (event.body ?? '');
      update = UpdateSchema.parse(JSON.parse(raw));
    } catch (err) {
      log({
        level: 'WARN',
        message: 'malformed update ignored',
        error: err instanceof Error ? err.message.slice(0, 200) : String(err),
      });
      return { statusCode: 200, body: 'ignored' };
    }
    try {
      await setup.bot.handleUpdate(update as unknown as Parameters<Telegraf['handleUpdate']>[0]);
    } catch (err) {
      if (isTokenRefused(err)) refresh?.();
      log({
        level: 'ERROR',
        message: 'update failed',
        updateId: update.update_id,
        error: err instanceof Error ? err.message : String(err),
      });
    }
    return { statusCode: 200, body: 'ok' };
  }).use(redactingErrors());
}

/** Bot token and webhook secret: Secrets Manager in AWS (…_SECRET_ID), env locally. */
async function secretValue(
  env: Record<string, string | undefined>,
  name: string,
  forceFetch = false,
): Promise<string> {
  const id = env[`${name}_SECRET_ID`];
  const value = id ? await readSecureValue(id, { maxAge: 300, forceFetch }) : env[name];
  if (typeof value !== 'string' || value.length === 0)
    throw new Error(`${name} is not set (or ${name}_SECRET_ID in AWS)`);
  rememberSecret(value);
  return value;
}

export async function webhookSetupFromEnv(
  env: Record<string, string | undefined>,
  getDeps: () => Promise<TelegramDeps>,
  fresh = false,
): Promise<WebhookSetup> {
  const token = await secretValue(env, 'TELEGRAM_BOT_TOKEN', fresh);
  const secret = await secretValue(env, 'TELEGRAM_WEBHOOK_SECRET', fresh);
  const bot = createBot(
    {
      token,
      allowedChatIds: allowedChats(env),
      allowedUserIds: allowedUsers(env),
      ...(env.TELEGRAM_API_ROOT ? { apiRoot: env.TELEGRAM_API_ROOT } : {}),
    },
    getDeps,
  );
  return { secret, bot };
}

const deps = once(() => telegramDeps());
const setup = refreshable((fresh) => webhookSetupFromEnv(process.env, deps, fresh));
export const handler = makeWebhookHandler(setup.get, setup.stale);

export type { APIGatewayProxyResultV2 };
