// Lambda: the notifier. Domain events arrive from the EventBridge bus (detail = the event); the use
// case decides what to say and when (cooldowns); this sends it to every allowed chat through the Bot API.

import middy from '@middy/core';
import { Telegram } from 'telegraf';
import { z } from 'zod';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamodb/state-store.ts';
import { readSecureValue } from '../../shared/adapters/aws/secure-value.ts';
import { allowedChats } from '../../shared/adapters/telegram/allowed-chats.ts';
import { isTokenRefused } from '../../shared/adapters/telegram/token-refused.ts';
import { recordActivity } from '../../shared/app/dashboard/activity-log.ts';
import { type NotifyDeps, notify } from '../../shared/app/notify.ts';
import { refreshable } from '../../shared/app/once.ts';
import { escapeHtml } from '../../shared/app/telegram/format.ts';
import { redactError, redactingErrors, rememberSecret } from '../../shared/config/redact.ts';
import { DomainEventSchema } from '../../shared/domain/events.ts';
import { systemClock } from '../../shared/ports/clock.ts';

const EventBridgeEventSchema = z.object({ 'detail-type': z.string(), detail: z.unknown() });
/** CloudWatch alarms arrive through SNS: Records[].Sns.Message is the alarm as JSON. */
const SnsEventSchema = z.object({ Records: z.array(z.object({ Sns: z.object({ Message: z.string() }) })) });
const AlarmSchema = z.object({
  AlarmName: z.string(),
  AlarmDescription: z.string().nullish(),
  NewStateValue: z.string(),
  NewStateReason: z.string(),
});

export function makeNotifierHandler(getDeps: () => Promise<NotifyDeps>) {
  return middy(async (event: unknown) => {
    const sns = SnsEventSchema.safeParse(event);
    if (sns.success) {
      const deps = await getDeps();
      for (const r of sns.data.Records) {
        const alarm = AlarmSchema.safeParse(JSON.parse(r.Sns.Message));
        if (!alarm.success) continue;
        const a = alarm.data;
        const icon = a.NewStateValue === 'ALARM' ? '🚨' : a.NewStateValue === 'OK' ? '✅' : '❔';
        await deps.send(
          `${icon} <b>${escapeHtml(a.AlarmDescription ?? a.AlarmName)}</b> — ${escapeHtml(a.NewStateValue)}\n${escapeHtml(a.NewStateReason)}`,
        );
      }
      return { result: 'alarms' };
    }
    const e = EventBridgeEventSchema.parse(event);
    const parsed = DomainEventSchema.safeParse(e.detail);
    if (!parsed.success) {
      // A malformed event is logged and dropped: retrying it cannot make it valid.
      console.log(
        JSON.stringify({
          level: 'WARN',
          message: 'malformed domain event ignored',
          detailType: e['detail-type'],
        }),
      );
      return { result: 'ignored' };
    }
    const deps = await getDeps();
    // The dashboard's recent-activity tail (a display): a failed write never costs the notification.
    await recordActivity(deps.store, parsed.data).catch((err: unknown) =>
      console.log(JSON.stringify({ level: 'WARN', message: 'activity not recorded', error: String(err) })),
    );
    return { result: await notify(parsed.data, deps) };
  }).use(redactingErrors());
}

export function telegramSender(
  token: string,
  chatIds: readonly number[],
  apiRoot?: string,
  onTokenRefused?: () => void,
): (html: string) => Promise<void> {
  const telegram = new Telegram(token, apiRoot ? { apiRoot } : {});
  rememberSecret(token);
  return async (html) => {
    try {
      for (const chatId of chatIds) await telegram.sendMessage(chatId, html, { parse_mode: 'HTML' });
    } catch (err) {
      // A rotated token: the next attempt (Lambda retries the event) re-reads the secret.
      if (isTokenRefused(err)) onTokenRefused?.();
      // telegraf redacts the token only on connection errors; a non-JSON answer quotes the URL with it.
      throw redactError(err);
    }
  };
}

const notifierDeps = refreshable(async (fresh) => {
  const env = process.env;
  const token = env.TELEGRAM_BOT_TOKEN_SECRET_ID
    ? String(await readSecureValue(env.TELEGRAM_BOT_TOKEN_SECRET_ID, { maxAge: 300, forceFetch: fresh }))
    : (env.TELEGRAM_BOT_TOKEN ?? '');
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is not set (or TELEGRAM_BOT_TOKEN_SECRET_ID in AWS)');
  rememberSecret(token);
  const chats = allowedChats(env);
  const stale = () => notifierDeps.stale();
  const perChat = new Map(chats.map((c) => [c, telegramSender(token, [c], env.TELEGRAM_API_ROOT, stale)]));
  return {
    store: DynamoStateStore.fromEnv(env),
    clock: systemClock,
    send: telegramSender(token, chats, env.TELEGRAM_API_ROOT, stale),
    // Each chat gets the kinds it chose with /notify (critical ones always).
    chats,
    sendTo: (chat: number, html: string) => perChat.get(chat)!(html),
  };
});

export const handler = makeNotifierHandler(notifierDeps.get);
