// `npm run tg -- "/futures_status"`: talk to the bot of a running `npm start` from another terminal.
// Posts a Telegram Update to the local webhook (with the run's secret token), then prints what the bot
// sends back through the local Bot API stand-in. `npm run tg -- --press Confirm` presses a button of the
// last message that had buttons; `npm run tg` alone opens a prompt.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { BotMessage } from './bot-api.ts';
import { LOCAL_TELEGRAM_FILE, type LocalTelegramInfo, plainText } from './telegram.ts';
import { callbackUpdate, nextLocalUpdateId, textUpdate } from './telegram-updates.ts';

const USAGE =
  'Usage: npm run tg -- "/futures_status"   |   npm run tg -- --press Confirm   |   npm run tg\n' +
  `  --info <file>  the running runtime's endpoint file (default ${LOCAL_TELEGRAM_FILE})`;

/** A mistake in what was typed: one line, and (in the prompt) carry on. */
class InputError extends Error {}

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function readInfo(file: string): LocalTelegramInfo {
  if (!existsSync(file))
    fail(`No local runtime is running (no ${file}). Start one first: npm start -- --realtime`);
  const info = JSON.parse(readFileSync(file, 'utf8')) as LocalTelegramInfo;
  try {
    process.kill(info.pid, 0);
  } catch {
    fail(
      `The local runtime that wrote ${file} (pid ${info.pid}) is gone. Start one: npm start -- --realtime`,
    );
  }
  return info;
}

async function messagesAfter(info: LocalTelegramInfo, after: number) {
  const r = await fetch(`${info.botApiRoot}/local/messages?after=${after}`);
  return (await r.json()) as { last: number; messages: BotMessage[] };
}

function show(m: BotMessage): void {
  process.stdout.write(`🤖 ${m.photo ? '[chart] ' : ''}${plainText(m.text)}\n`);
  if (m.buttons.length > 0)
    process.stdout.write(
      `   buttons: ${m.buttons.map(([label]) => `[${label}]`).join(' ')}  →  npm run tg -- --press <label>\n`,
    );
}

/** Send one update; print the bot's messages until it has been quiet for a moment. */
async function exchange(info: LocalTelegramInfo, update: unknown): Promise<number> {
  const { last } = await messagesAfter(info, Number.MAX_SAFE_INTEGER);
  const r = await fetch(info.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': info.secret },
    body: JSON.stringify(update),
  });
  if (r.status !== 200) fail(`the local webhook answered ${r.status}: ${await r.text()}`);
  let seen = last;
  let printed = 0;
  let quietSince = Date.now();
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const { messages } = await messagesAfter(info, seen);
    for (const m of messages.filter((x) => x.chatId === info.chatId)) {
      show(m);
      printed++;
    }
    if (messages.length > 0) {
      seen = messages.at(-1)!.seq;
      quietSince = Date.now();
    }
    if (printed > 0 && Date.now() - quietSince > 400) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (printed === 0) process.stdout.write('(no reply within 15 s)\n');
  return printed;
}

async function press(info: LocalTelegramInfo, label: string): Promise<void> {
  const { messages } = await messagesAfter(info, 0);
  const withButtons = messages.filter((m) => m.chatId === info.chatId && m.buttons.length > 0).at(-1);
  const button = withButtons?.buttons.find(
    ([l, data]) => l.toLowerCase() === label.toLowerCase() || data === label,
  );
  if (!button)
    throw new InputError(
      withButtons
        ? `no button "${label}" on the last message with buttons (${withButtons.buttons.map(([l]) => l).join(', ')})`
        : 'no message with buttons yet',
    );
  await exchange(info, callbackUpdate(info.chatId, button[1], nextLocalUpdateId(updateIdFile)));
}

async function send(info: LocalTelegramInfo, text: string): Promise<void> {
  if (!text.startsWith('/'))
    throw new InputError(`commands start with "/": ${JSON.stringify(text)}. Try /help`);
  await exchange(
    info,
    textUpdate(info.chatId, text, Math.floor(Date.now() / 1000), nextLocalUpdateId(updateIdFile)),
  );
}

let args: { values: { press?: string; info?: string; help?: boolean }; positionals: string[] };
try {
  args = parseArgs({
    args: process.argv.slice(2),
    options: { press: { type: 'string' }, info: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
  });
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 2);
}
if (args.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const infoFile = args.values.info ?? LOCAL_TELEGRAM_FILE;
const info = readInfo(infoFile);
/** The last update id used, next to the endpoint file: kept across runs so no id is ever reused. */
const updateIdFile = join(dirname(infoFile), 'tg-last-update-id');
if (args.values.press || args.positionals.length > 0) {
  try {
    if (args.values.press) await press(info, args.values.press);
    else await send(info, args.positionals.join(' ').trim());
  } catch (err) {
    if (err instanceof InputError) fail(err.message, 2);
    throw err;
  }
} else {
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
  process.stdout.write('Local bot: type a command (/help), "press <label>" for a button, Ctrl-D to leave.\n');
  rl.prompt();
  // The line iterator buffers: pasted or piped lines are each handled, in order.
  for await (const raw of rl) {
    const line = raw.trim();
    const pressed = /^press\s+(.+)$/i.exec(line);
    try {
      if (pressed) await press(info, pressed[1]!);
      else if (line) await send(info, line);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      process.stdout.write(`${err.message}\n`);
    }
    rl.prompt();
  }
  rl.close();
}
