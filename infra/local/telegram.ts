// The local Telegram endpoint of `npm start`: the telegram-webhook Lambda handler served on 127.0.0.1
// (Function URL-shaped events, the same secret-token check), the bot talking to a local Bot API
// stand-in that prints what it sends, and the notifier turning the run's domain events into messages
// through it. `.local/telegram.json` tells `npm run tg` where to post (mode 0600: it holds the run's
// webhook secret, random per run).
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { makeNotifierHandler, telegramSender } from '../../functions/notifier/handler.ts';
import { makeWebhookHandler } from '../../functions/telegram-webhook/handler.ts';
import type { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { createBot } from '../../shared/adapters/telegram/bot.ts';
import type { TelegramDeps } from '../../shared/app/telegram/registry.ts';
import { type BotMessage, startBotApi } from './bot-api.ts';

/** The one chat the local bot answers (the allow-list of the local run). */
export const LOCAL_CHAT_ID = 1001;
/** Not a real token: the local Bot API stand-in accepts anything. */
export const LOCAL_BOT_TOKEN = '1000:local-bot';
export const LOCAL_TELEGRAM_FILE = '.local/telegram.json';

export interface LocalTelegramInfo {
  webhookUrl: string;
  secret: string;
  chatId: number;
  botApiRoot: string;
  pid: number;
}

/** HTML as the bot sends it → plain terminal text. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

export async function startLocalTelegram(o: {
  deps: TelegramDeps;
  bus: MemoryEventBus;
  onMessage?: (m: BotMessage) => void;
  infoFile?: string | false;
}) {
  const botApi = await startBotApi({ ...(o.onMessage ? { onMessage: o.onMessage } : {}) });
  const logs: Record<string, unknown>[] = [];
  const bot = createBot(
    {
      token: LOCAL_BOT_TOKEN,
      allowedChatIds: [LOCAL_CHAT_ID],
      apiRoot: botApi.apiRoot,
      rateLimitPerMinute: 60,
      log: (e) => logs.push(e),
    },
    async () => o.deps,
  );
  const secret = randomBytes(24).toString('hex');
  const handler = makeWebhookHandler(async () => ({ secret, bot, log: (e) => logs.push(e) }));
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const event = {
      headers,
      body: Buffer.concat(chunks).toString('utf8'),
      isBase64Encoded: false,
      requestContext: { http: { method: req.method, sourceIp: req.socket.remoteAddress ?? '' } },
    } as unknown as APIGatewayProxyEventV2;
    const r = await handler(event, {} as Context);
    res.writeHead(r.statusCode, { 'content-type': 'text/plain' });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  const webhookUrl = `http://127.0.0.1:${port}/`;

  // Domain events → the notifier handler → the bot's messages (alerts, fills), as in AWS.
  const send = telegramSender(LOCAL_BOT_TOKEN, [LOCAL_CHAT_ID], botApi.apiRoot);
  const notifier = makeNotifierHandler(async () => ({
    store: o.deps.store,
    clock: o.deps.clock,
    send,
    chats: [LOCAL_CHAT_ID],
    sendTo: (_chat: number, html: string) => send(html),
  }));
  o.bus.subscribe(async (e) => {
    try {
      await notifier({ 'detail-type': e.type, detail: e }, {} as Context);
    } catch (err) {
      logs.push({ level: 'ERROR', message: 'notifier failed', error: String(err) });
    }
  });

  const infoFile = o.infoFile === undefined ? LOCAL_TELEGRAM_FILE : o.infoFile;
  if (infoFile) {
    mkdirSync(dirname(infoFile), { recursive: true });
    const info: LocalTelegramInfo = {
      webhookUrl,
      secret,
      chatId: LOCAL_CHAT_ID,
      botApiRoot: botApi.apiRoot,
      pid: process.pid,
    };
    writeFileSync(infoFile, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  }
  return {
    webhookUrl,
    secret,
    botApi,
    logs,
    async stop(): Promise<void> {
      if (infoFile) rmSync(infoFile, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await botApi.stop();
    },
  };
}
