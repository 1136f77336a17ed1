// Telegram Mini App sign-in: validate `initData` exactly as Telegram documents it
// (https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
//   data_check_string = every received field except `hash`, sorted by key, "key=value" joined by "\n"
//   secret_key        = HMAC_SHA256(key = "WebAppData", message = bot_token)
//   valid iff hex(HMAC_SHA256(key = secret_key, message = data_check_string)) == hash
// and `auth_date` recent enough. Hand-written on node:crypto: no maintained npm package of this is in
// our dependency set, and it is eight lines.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { TokenRefused } from './signed-token.ts';

/** initData older than this is refused: Telegram signs it when the Mini App opens. */
export const INIT_DATA_MAX_AGE_MS = 3_600_000;

const UserSchema = z.object({ id: z.number().int() }).passthrough();
const ChatSchema = z.object({ id: z.number().int() }).passthrough();

export interface InitDataIdentity {
  /** The chat the Mini App was opened from (`chat`), else the user's private chat with the bot. */
  chatId: number;
  userId: number;
  authDate: number;
}

function hmac(key: string | Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** What Telegram's client does: sign the fields with the bot token (tests and the local runtime). */
export function signInitData(botToken: string, fields: Record<string, string>): string {
  const params = new URLSearchParams(fields);
  params.set('hash', hmac(hmac('WebAppData', botToken), dataCheckString(params)).toString('hex'));
  return params.toString();
}

function dataCheckString(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([k]) => k !== 'hash')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

/** The identity in a genuine, fresh initData; throws TokenRefused otherwise. */
export function validateInitData(botToken: string, initData: string, now: number): InitDataIdentity {
  if (initData.length === 0 || initData.length > 4_096) throw new TokenRefused('initData size');
  const params = new URLSearchParams(initData);
  const hash = params.get('hash') ?? '';
  if (!/^[0-9a-f]{64}$/.test(hash) || params.getAll('hash').length !== 1)
    throw new TokenRefused('initData without one hex hash');
  const expected = hmac(hmac('WebAppData', botToken), dataCheckString(params));
  if (!timingSafeEqual(Buffer.from(hash, 'hex'), expected)) throw new TokenRefused('initData hash');
  const authDate = Number(params.get('auth_date')) * 1000;
  if (!Number.isInteger(authDate) || authDate <= 0) throw new TokenRefused('initData without auth_date');
  if (now - authDate > INIT_DATA_MAX_AGE_MS || authDate - now > 60_000)
    throw new TokenRefused('initData too old');
  let user: z.infer<typeof UserSchema>;
  let chat: z.infer<typeof ChatSchema> | undefined;
  try {
    user = UserSchema.parse(JSON.parse(params.get('user') ?? 'null'));
    const rawChat = params.get('chat');
    chat = rawChat ? ChatSchema.parse(JSON.parse(rawChat)) : undefined;
  } catch {
    throw new TokenRefused('initData without a readable user');
  }
  return { chatId: chat?.id ?? user.id, userId: user.id, authDate };
}
