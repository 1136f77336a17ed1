// The Telegram side of the bot, on telegraf: allow-list, routing of command text to the command
// registry (through the update record that recognises a redelivered update, and the per-chat rate
// limit) and of button presses to confirmations (with the press's chat, user and callback query id),
// replies in HTML split under Telegram's limit. telegraf is the only thing here that knows Telegram's
// wire format.
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { COMMANDS } from '../../app/telegram/commands.ts';
import { onConfirmation } from '../../app/telegram/confirmations.ts';
import { escapeHtml, splitMessage } from '../../app/telegram/format.ts';
import { commandFor, type Reply, type TelegramDeps } from '../../app/telegram/registry.ts';
import { handleCommandUpdate } from '../../app/telegram/updates.ts';
import { ExchangeError } from '../../ports/exchange-errors.ts';

export interface BotOptions {
  token: string;
  allowedChatIds: readonly number[];
  /**
   * Users who may run account-changing commands and press buttons (TELEGRAM_ALLOWED_USER_IDS); empty:
   * anyone in an allowed chat. In an allowed group chat every member could otherwise trade.
   */
  allowedUserIds?: readonly number[];
  /** Bot API base URL (tests and the local runtime point it at loopback). */
  apiRoot?: string;
  username?: string;
  /** Commands per chat per minute. */
  rateLimitPerMinute?: number;
  log?: (entry: Record<string, unknown>) => void;
}

export function createBot(o: BotOptions, getDeps: () => Promise<TelegramDeps>): Telegraf {
  const bot = new Telegraf(o.token, { telegram: o.apiRoot ? { apiRoot: o.apiRoot } : {} });
  // Known identity: handleUpdate then needs no getMe round trip on a cold start.
  bot.botInfo = {
    id: 0,
    is_bot: true,
    first_name: 'AutoCoin Futures',
    username: o.username ?? 'autocoin_futures_bot',
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
  } as unknown as typeof bot.botInfo;
  const log = o.log ?? ((e) => console.log(JSON.stringify(e)));
  const owners = o.allowedUserIds ?? [];
  const userMayControl = (userId: number | undefined) =>
    owners.length === 0 || (userId !== undefined && owners.includes(userId));
  const limit = o.rateLimitPerMinute ?? 20;

  const send = async (chatId: number, reply: Reply) => {
    const markup = reply.buttons
      ? {
          reply_markup: {
            inline_keyboard: reply.buttons.map((row) =>
              row.map(([text, data]) => ({ text, callback_data: data })),
            ),
          },
        }
      : {};
    if (reply.photo) {
      await bot.telegram.sendPhoto(
        chatId,
        { source: Buffer.from(reply.photo) },
        { caption: reply.text.slice(0, 1_000), parse_mode: 'HTML' },
      );
      return;
    }
    const parts = splitMessage(reply.text);
    for (let i = 0; i < parts.length; i++) {
      await bot.telegram.sendMessage(chatId, parts[i]!, {
        parse_mode: 'HTML',
        ...(i === parts.length - 1 ? markup : {}),
      });
    }
  };

  bot.use(async (ctx, next) => {
    const chatId = ctx.chat?.id;
    if (chatId === undefined || !o.allowedChatIds.includes(chatId)) {
      log({
        level: 'WARN',
        message: 'update from a chat not in TELEGRAM_ALLOWED_CHAT_IDS ignored',
        chatId,
        updateId: ctx.update.update_id,
      });
      return;
    }
    return next();
  });

  bot.on('message', async (ctx) => {
    const text = 'text' in ctx.message ? ctx.message.text : undefined;
    if (!text?.startsWith('/')) return; // stickers, photos, plain text: nothing to do
    if (!userMayControl(ctx.from.id) && commandFor(COMMANDS, text)?.controlsAccount) {
      log({
        level: 'WARN',
        message: 'account command from a user not in TELEGRAM_ALLOWED_USER_IDS refused',
        chatId: ctx.chat.id,
        userId: ctx.from.id,
        updateId: ctx.update.update_id,
      });
      await send(ctx.chat.id, {
        text: 'Only the account’s owners may do that here (TELEGRAM_ALLOWED_USER_IDS). Nothing was changed.',
      });
      return;
    }
    const deps = await getDeps();
    // Ids of anything the command enqueues come from the update (update_id, message date), so a
    // redelivered update is a duplicate; the clock only dates the handling.
    const reply = await handleCommandUpdate(
      COMMANDS,
      text,
      {
        chatId: ctx.chat.id,
        userId: ctx.from.id,
        updateId: ctx.update.update_id,
        sentAt: ctx.message.date * 1000,
        at: deps.clock.now(),
        deps,
      },
      limit,
    );
    if (reply) await send(ctx.chat.id, reply);
  });

  bot.on('callback_query', async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '';
    const chatId = ctx.chat!.id;
    if (!userMayControl(ctx.callbackQuery.from.id)) {
      log({
        level: 'WARN',
        message: 'button press from a user not in TELEGRAM_ALLOWED_USER_IDS refused',
        chatId,
        userId: ctx.callbackQuery.from.id,
        updateId: ctx.update.update_id,
      });
      await ctx.answerCbQuery('Only the account’s owners may press this.').catch(() => undefined);
      return; // the button is not consumed
    }
    const deps = await getDeps();
    const reply = await onConfirmation(
      data ?? '',
      { chatId, userId: ctx.callbackQuery.from.id, pressId: ctx.callbackQuery.id },
      deps.clock.now(),
      deps,
    );
    // Best effort: Telegram refuses an answer after ~15 s (a slow webhook) or to a redelivered press;
    // the press has acted by now, and its real reply must still reach the chat.
    await ctx.answerCbQuery(reply.text.slice(0, 190).replace(/<[^>]+>/g, '')).catch((err: unknown) =>
      log({
        level: 'WARN',
        message: 'answerCallbackQuery refused',
        updateId: ctx.update.update_id,
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    await send(chatId, reply);
  });

  bot.catch(async (err, ctx) => {
    log({
      level: 'ERROR',
      message: 'update handling failed',
      updateId: ctx.update.update_id,
      error: err instanceof Error ? err.message : String(err),
    });
    const chatId = ctx.chat?.id;
    if (chatId !== undefined && o.allowedChatIds.includes(chatId)) {
      await send(chatId, {
        text:
          err instanceof ExchangeError
            ? `Account data unavailable: ${escapeHtml(err.message)}. Nothing was changed.`
            : 'That failed on our side (logged). Check /futures_status before trying again.',
      }).catch(() => {});
    }
  });
  return bot;
}

export type { Update };
