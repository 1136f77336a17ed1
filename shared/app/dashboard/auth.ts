// Who is asking: a session cookie (made from a single-use signed link the bot sent), or a Telegram Mini
// App's initData in `Authorization: tma <initData>`. Only chats in TELEGRAM_ALLOWED_CHAT_IDS; account
// actions only for TELEGRAM_ALLOWED_USER_IDS when that is set (as the bot does). Anything else is
// TokenRefused, which the HTTP layer answers with a bare 401.
import type { StateStore } from '../../ports/state-store.ts';
import { validateInitData } from './init-data.ts';
import { LINK_MAX_TTL_MS, SESSION_TTL_MS, signToken, TokenRefused, verifyToken } from './signed-token.ts';

/** `__Host-`: the browser keeps it only if Secure, Path=/ and no Domain (RFC 6265bis §4.1.3.2). */
export const SESSION_COOKIE = '__Host-dashboard';

export interface AuthSetup {
  /** The stack's dashboard secret (≥ 32 bytes). */
  secret: string;
  /** The bot token: the key of Mini App initData; absent, Mini App sign-in is refused. */
  botToken?: string;
  allowedChatIds: readonly number[];
  /** Empty: every member of an allowed chat may act (as the bot's TELEGRAM_ALLOWED_USER_IDS). */
  allowedUserIds: readonly number[];
}

export interface Viewer {
  chatId: number;
  userId?: number;
  via: 'session' | 'mini-app';
  /** May halt, resume and close: the bot's rule for account-changing commands. */
  mayControl: boolean;
}

function viewer(setup: AuthSetup, chatId: number, userId: number | undefined, via: Viewer['via']): Viewer {
  if (!setup.allowedChatIds.includes(chatId)) throw new TokenRefused('chat not allowed');
  const owners = setup.allowedUserIds;
  const mayControl = owners.length === 0 || (userId !== undefined && owners.includes(userId));
  return { chatId, ...(userId !== undefined ? { userId } : {}), via, mayControl };
}

/** The /dashboard link's token for a chat (and the user who asked), valid `ttlMs` ≤ 10 minutes. */
export function issueLinkToken(
  setup: Pick<AuthSetup, 'secret'>,
  who: { chatId: number; userId?: number },
  now: number,
  ttlMs = LINK_MAX_TTL_MS,
): string {
  return signToken(setup.secret, 'link', { ...who, expiresAt: now + Math.min(ttlMs, LINK_MAX_TTL_MS) });
}

/**
 * Redeem a link: genuine, unexpired, an allowed chat, and never redeemed before — the last enforced by
 * a conditional create in the state store (the command-receipt record, kept a week, far beyond the
 * link's 10 minutes), so two concurrent redemptions cannot both win. Returns the session token.
 */
export async function redeemLink(
  setup: AuthSetup,
  store: StateStore,
  token: string,
  now: number,
): Promise<{ session: string; viewer: Viewer; maxAgeS: number }> {
  const claims = verifyToken(setup.secret, 'link', token, now);
  const who = viewer(setup, claims.chatId, claims.userId, 'session');
  const first = await store.createCommandReceipt({
    key: `dashboard-link:${claims.nonce}`,
    chatId: claims.chatId,
    text: '/dashboard link redeemed',
    status: 'DONE',
    intentIds: [],
    receivedAt: now,
    version: 1,
  });
  if (!first) throw new TokenRefused('link already used');
  const session = signToken(setup.secret, 'session', { ...claims, expiresAt: now + SESSION_TTL_MS });
  return { session, viewer: who, maxAgeS: SESSION_TTL_MS / 1000 };
}

export function sessionCookie(session: string, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAgeS}`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** The viewer of a request, from its Cookie or Authorization header; TokenRefused when neither holds. */
export function authenticate(
  setup: AuthSetup,
  headers: { cookie?: string; authorization?: string },
  now: number,
): Viewer {
  const auth = headers.authorization ?? '';
  if (auth.startsWith('tma ')) {
    if (!setup.botToken) throw new TokenRefused('Mini App sign-in not configured');
    const id = validateInitData(setup.botToken, auth.slice(4), now);
    return viewer(setup, id.chatId, id.userId, 'mini-app');
  }
  const session = cookieValue(headers.cookie, SESSION_COOKIE);
  if (!session) throw new TokenRefused('no session');
  const claims = verifyToken(setup.secret, 'session', session, now);
  return viewer(setup, claims.chatId, claims.userId, 'session');
}
