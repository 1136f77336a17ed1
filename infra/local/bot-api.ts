// A loopback stand-in for Telegram's Bot API: answers every call telegraf makes (sendMessage,
// sendPhoto, answerCallbackQuery…) with the API's documented result shapes, records the calls, and
// hands each message the bot sends to `onMessage` — the local runtime prints them in the terminal.
// `GET /local/messages?after=<seq>` lists the messages sent after `seq`: how `npm run tg` reads replies.
// The tests use the same server to see what the bot said.
import { createServer, type Server } from 'node:http';

export interface BotApiCall {
  method: string;
  payload: Record<string, unknown>;
  contentType: string;
  bytes: Buffer;
}

/** A message the bot sent, as `npm run tg` shows it. */
export interface BotMessage {
  seq: number;
  chatId: number;
  /** The text (sendMessage) or caption (sendPhoto), HTML as sent. */
  text: string;
  photo: boolean;
  /** Inline keyboard buttons: [label, callback data]. */
  buttons: [string, string][];
}

function multipartField(bytes: Buffer, name: string): string | undefined {
  const m = new RegExp(`name="${name}"\\r\\n\\r\\n([\\s\\S]*?)\\r\\n--`).exec(bytes.toString('utf8'));
  return m?.[1];
}

/** What the Bot API answers a callback query answered too late (over ~15 s) or twice. */
const QUERY_TOO_OLD = {
  ok: false,
  error_code: 400,
  description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
};

export async function startBotApi(opts: { onMessage?: (m: BotMessage) => void } = {}) {
  const calls: BotApiCall[] = [];
  /** Methods answered with Telegram's error instead (tests: `refuse.add('answerCallbackQuery')`). */
  const refuse = new Set<string>();
  const messages: BotMessage[] = [];
  let messageId = 1;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/local/messages') {
      const after = Number(url.searchParams.get('after') ?? 0);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ last: messages.length, messages: messages.filter((m) => m.seq > after) }));
      return;
    }
    const method = url.pathname.split('/').pop() ?? '';
    const contentType = String(req.headers['content-type'] ?? '');
    let payload: Record<string, unknown> = {};
    try {
      if (contentType.includes('application/json') && bytes.length)
        payload = JSON.parse(bytes.toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: invalid JSON' }));
      return;
    }
    calls.push({ method, payload, contentType, bytes });
    if (refuse.has(method)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify(QUERY_TOO_OLD));
      return;
    }
    const chatId = Number(payload.chat_id ?? multipartField(bytes, 'chat_id') ?? 0);
    if (method === 'sendMessage' || method === 'sendPhoto') {
      const keyboard = (
        payload.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] }
      )?.inline_keyboard;
      const m: BotMessage = {
        seq: messages.length + 1,
        chatId,
        text: String(payload.text ?? payload.caption ?? multipartField(bytes, 'caption') ?? ''),
        photo: method === 'sendPhoto',
        buttons: (keyboard ?? []).flat().map((b) => [b.text, b.callback_data]),
      };
      messages.push(m);
      opts.onMessage?.(m);
    }
    const result =
      method === 'answerCallbackQuery'
        ? true
        : {
            message_id: messageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: chatId, type: 'private' },
            ...(payload.text ? { text: payload.text } : {}),
          };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    messages,
    refuse,
    /** Texts sent with sendMessage, in order. */
    texts: () => calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text)),
    clear: () => calls.splice(0),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
