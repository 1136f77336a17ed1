// Production wiring of the dashboard (its composition root): the webhook's ports (DynamoDB, SQS,
// EventBridge, the account read model — no exchange client), the link secret from SSM Parameter Store
// (SecureString, DASHBOARD_LINK_SECRET_PARAM), the bot token from SSM too (the key of Mini App
// initData), the dead-letter queue's depth, Binance's public klines for the chart.

import { readSecureValue } from '../../shared/adapters/aws/secure-value.ts';
import { allowedChats, allowedUsers } from '../../shared/adapters/telegram/allowed-chats.ts';
import type { AuthSetup } from '../../shared/app/dashboard/auth.ts';
import type { DashboardDeps } from '../../shared/app/dashboard/deps.ts';
import { rememberSecret } from '../../shared/config/redact.ts';
import { telegramDeps } from '../telegram-webhook/deps.ts';
import { publicKlines } from './klines.ts';
import { linkSecret } from './link.ts';

async function botToken(env: Record<string, string | undefined>): Promise<string | undefined> {
  const id = env.TELEGRAM_BOT_TOKEN_SECRET_ID;
  const value = id ? await readSecureValue(id, { maxAge: 300 }) : env.TELEGRAM_BOT_TOKEN;
  if (typeof value !== 'string' || value.length === 0) return undefined;
  rememberSecret(value);
  return value;
}

async function deadLetterDepth(url: string): Promise<number> {
  const { SQSClient, GetQueueAttributesCommand } = await import('@aws-sdk/client-sqs');
  const r = await new SQSClient({}).send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(r.Attributes?.ApproximateNumberOfMessages ?? Number.NaN);
}

export async function dashboardDeps(
  env: Record<string, string | undefined> = process.env,
): Promise<DashboardDeps> {
  const dlq = env.DEAD_LETTER_QUEUE_URL;
  return {
    ...(await telegramDeps(env)),
    candles: publicKlines(),
    ...(dlq ? { deadLetterDepth: () => deadLetterDepth(dlq) } : {}),
  };
}

export async function dashboardAuth(
  env: Record<string, string | undefined> = process.env,
): Promise<AuthSetup> {
  const token = await botToken(env);
  return {
    secret: await linkSecret(env),
    ...(token ? { botToken: token } : {}),
    allowedChatIds: allowedChats(env),
    allowedUserIds: allowedUsers(env),
  };
}
