// A loopback stand-in for Telegram's Bot API: records every call telegraf makes (sendMessage,
// sendPhoto, answerCallbackQuery…) and answers with the API's documented result shapes.
import { createServer, type Server } from 'node:http';

export interface BotApiCall {
  method: string;
  payload: Record<string, unknown>;
  contentType: string;
  bytes: Buffer;
}

export async function startBotApi() {
  const calls: BotApiCall[] = [];
  let messageId = 1;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const bytes = Buffer.concat(chunks);
    const method = (req.url ?? '').split('/').pop() ?? '';
    const contentType = String(req.headers['content-type'] ?? '');
    let payload: Record<string, unknown> = {};
    if (contentType.includes('application/json') && bytes.length)
      payload = JSON.parse(bytes.toString('utf8'));
    calls.push({ method, payload, contentType, bytes });
    const chat = { id: Number(payload.chat_id ?? 0), type: 'private' };
    const result =
      method === 'answerCallbackQuery'
        ? true
        : {
            message_id: messageId++,
            date: Math.floor(Date.now() / 1000),
            chat,
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
    /** Texts sent with sendMessage, in order. */
    texts: () => calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.payload.text)),
    clear: () => calls.splice(0),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
