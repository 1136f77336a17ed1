// Telegram Update JSON in the shapes the Bot API delivers (message, edited_message, callback_query,
// a sticker): what `npm run tg` posts to the local webhook, and what the tests drive it with.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** In-process ids (tests); `npm run tg` passes ids from `nextLocalUpdateId` instead. */
let nextUpdate = 10_000;

/**
 * An update id never used before by `npm run tg`, across runs: one more than the last one it used
 * (persisted in `file`), and never less than the current time in ms — so even without the file, a new
 * run does not reuse an id (each `npm run tg` is a separate process: an in-memory counter would start
 * over, and a repeated update id makes the bot answer "already received").
 */
export function nextLocalUpdateId(file: string, now = Date.now()): number {
  let last = 0;
  try {
    last = Number(readFileSync(file, 'utf8').trim());
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const id = Math.max(Number.isSafeInteger(last) ? last + 1 : 0, now);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${id}\n`);
  return id;
}
const user = (id: number) => ({
  id,
  is_bot: false,
  first_name: 'Trader',
  username: 'trader',
  language_code: 'en',
});
const chat = (id: number) => ({ id, first_name: 'Trader', username: 'trader', type: 'private' });

export function textUpdate(chatId: number, text: string, date = 1_788_094_800, updateId = nextUpdate++) {
  const command = /^\/\S+/.exec(text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: nextUpdate,
      from: user(chatId),
      chat: chat(chatId),
      date,
      text,
      ...(command ? { entities: [{ offset: 0, length: command.length, type: 'bot_command' }] } : {}),
    },
  };
}

export function editedUpdate(chatId: number, text: string) {
  return {
    update_id: nextUpdate++,
    edited_message: {
      message_id: 7,
      from: user(chatId),
      chat: chat(chatId),
      date: 1_788_094_800,
      edit_date: 1_788_094_900,
      text,
    },
  };
}

export function stickerUpdate(chatId: number) {
  return {
    update_id: nextUpdate++,
    message: {
      message_id: 8,
      from: user(chatId),
      chat: chat(chatId),
      date: 1_788_094_800,
      sticker: {
        file_id: 'CAACAgIAAxkBAAIBb2',
        file_unique_id: 'AgADbwEAAladvQo',
        type: 'regular',
        width: 512,
        height: 512,
        is_animated: false,
        is_video: false,
        emoji: '👍',
      },
    },
  };
}

export function callbackUpdate(chatId: number, data: string, updateId = nextUpdate++) {
  return {
    update_id: updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from: user(chatId),
      message: {
        message_id: 9,
        from: { id: 1, is_bot: true, first_name: 'AutoCoin Futures', username: 'autocoin_futures_bot' },
        chat: chat(chatId),
        date: 1_788_094_800,
        text: 'confirm?',
      },
      chat_instance: '-1234567890123456789',
      data,
    },
  };
}
