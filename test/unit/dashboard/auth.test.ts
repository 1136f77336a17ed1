// The dashboard's sign-in: signed single-use links, session cookies, Telegram Mini App initData.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import {
  type AuthSetup,
  authenticate,
  issueLinkToken,
  redeemLink,
  SESSION_COOKIE,
  sessionCookie,
} from '../../../shared/app/dashboard/auth.ts';
import { signInitData, validateInitData } from '../../../shared/app/dashboard/init-data.ts';
import {
  DashboardSecretMissing,
  signToken,
  TokenRefused,
  verifyToken,
} from '../../../shared/app/dashboard/signed-token.ts';

const SECRET = 'dashboard-test-secret-0123456789abcdef';
const BOT_TOKEN = '123456:test-token-ABCDEFGHIJKLMNOPQRSTU';
const CHAT = 1001;
const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);
const setup: AuthSetup = { secret: SECRET, botToken: BOT_TOKEN, allowedChatIds: [CHAT], allowedUserIds: [] };

function tamper(token: string): string {
  const [body, sig] = token.split('.');
  const payload = JSON.parse(Buffer.from(body!, 'base64url').toString());
  payload.c = 2002;
  return `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
}

describe('signed tokens', () => {
  it('round-trips the claims of a link, which is not a session', () => {
    const t = issueLinkToken(setup, { chatId: CHAT, userId: 7 }, T0);
    const c = verifyToken(SECRET, 'link', t, T0 + 1);
    expect(c).toMatchObject({ chatId: CHAT, userId: 7, expiresAt: T0 + 600_000 });
    expect(() => verifyToken(SECRET, 'session', t, T0 + 1)).toThrow(TokenRefused);
  });

  it('refuses a link at its expiry, a tampered payload, another key, and a link living over 10 min', () => {
    const t = issueLinkToken(setup, { chatId: CHAT }, T0, 60_000);
    expect(() => verifyToken(SECRET, 'link', t, T0 + 60_000)).toThrow(/expired/);
    expect(() => verifyToken(SECRET, 'link', tamper(t), T0)).toThrow(/bad signature/);
    expect(() => verifyToken(`${SECRET}x`, 'link', t, T0)).toThrow(/bad signature/);
    const long = signToken(SECRET, 'link', { chatId: CHAT, expiresAt: T0 + 600_001 });
    expect(() => verifyToken(SECRET, 'link', long, T0)).toThrow(/too far/);
    expect(() => verifyToken(SECRET, 'link', 'garbage', T0)).toThrow(/malformed/);
  });

  it('the MAC is HMAC-SHA-256 over "kind.payload" (RFC 2104), base64url', () => {
    const t = signToken(SECRET, 'link', { chatId: 5, expiresAt: T0, nonce: '0'.repeat(32) });
    const [body, sig] = t.split('.');
    expect(JSON.parse(Buffer.from(body!, 'base64url').toString())).toEqual({
      c: 5,
      e: T0,
      n: '0'.repeat(32),
    });
    expect(sig).toBe(createHmac('sha256', SECRET).update(`link.${body}`).digest('base64url'));
  });

  it('a secret under 32 bytes is refused, never used', () => {
    expect(() => signToken('short', 'link', { chatId: 1, expiresAt: T0 })).toThrow(DashboardSecretMissing);
  });
});

describe('redeemLink', () => {
  it('turns a fresh link into a session once; the second redemption is refused', async () => {
    const store = new MemoryStateStore();
    const link = issueLinkToken(setup, { chatId: CHAT }, T0);
    const { session, maxAgeS } = await redeemLink(setup, store, link, T0 + 1_000);
    expect(authenticate(setup, { cookie: `a=b; ${SESSION_COOKIE}=${session}` }, T0 + 2_000)).toMatchObject({
      chatId: CHAT,
      via: 'session',
      mayControl: true,
    });
    await expect(redeemLink(setup, store, link, T0 + 2_000)).rejects.toThrow(/already used/);
    expect(sessionCookie(session, maxAgeS)).toMatch(/HttpOnly; Secure; SameSite=Strict; Max-Age=43200$/);
  });

  it('refuses a link for a chat not allowed, and consumes nothing', async () => {
    const store = new MemoryStateStore();
    const link = issueLinkToken(setup, { chatId: 2002 }, T0);
    await expect(redeemLink(setup, store, link, T0)).rejects.toThrow(/chat not allowed/);
    const { nonce } = verifyToken(SECRET, 'link', link, T0);
    expect(await store.getCommandReceipt(`dashboard-link:${nonce}`)).toBeUndefined();
  });

  it('a session expires after 12 h', async () => {
    const { session } = await redeemLink(
      setup,
      new MemoryStateStore(),
      issueLinkToken(setup, { chatId: CHAT }, T0),
      T0,
    );
    expect(() =>
      authenticate(setup, { cookie: `${SESSION_COOKIE}=${session}` }, T0 + 12 * 3_600_000),
    ).toThrow(/expired/);
  });

  it('with TELEGRAM_ALLOWED_USER_IDS, only those users may act', () => {
    const owners = { ...setup, allowedUserIds: [7] };
    const s = (userId: number) =>
      signToken(SECRET, 'session', { chatId: CHAT, userId, expiresAt: T0 + 1_000 });
    expect(authenticate(owners, { cookie: `${SESSION_COOKIE}=${s(7)}` }, T0).mayControl).toBe(true);
    expect(authenticate(owners, { cookie: `${SESSION_COOKIE}=${s(8)}` }, T0).mayControl).toBe(false);
  });
});

describe('Mini App initData (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app)', () => {
  const fields = {
    auth_date: String(T0 / 1000),
    query_id: 'AAH',
    user: JSON.stringify({ id: CHAT, first_name: 'T' }),
  };

  it('accepts data signed per the documented algorithm, computed here independently', () => {
    // secret_key = HMAC_SHA256(key "WebAppData", bot_token); hash = hex HMAC_SHA256(secret_key, dcs)
    const dcs = `auth_date=${fields.auth_date}\nquery_id=AAH\nuser=${fields.user}`;
    const key = createHmac('sha256', 'WebAppData').update(BOT_TOKEN).digest();
    const hash = createHmac('sha256', key).update(dcs).digest('hex');
    const initData = `${new URLSearchParams(fields).toString()}&hash=${hash}`;
    expect(validateInitData(BOT_TOKEN, initData, T0 + 5_000)).toEqual({
      chatId: CHAT,
      userId: CHAT,
      authDate: T0,
    });
    expect(signInitData(BOT_TOKEN, fields)).toContain(`hash=${hash}`);
    expect(authenticate(setup, { authorization: `tma ${initData}` }, T0).via).toBe('mini-app');
  });

  it('refuses a tampered field, another bot, stale data, and another chat', () => {
    const good = signInitData(BOT_TOKEN, fields);
    expect(() => validateInitData(BOT_TOKEN, good.replace('AAH', 'AAI'), T0)).toThrow(/hash/);
    expect(() => validateInitData('654321:other-token-ABCDEFGHIJKLMNOPQRS', good, T0)).toThrow(/hash/);
    expect(() => validateInitData(BOT_TOKEN, good, T0 + 3_600_001)).toThrow(/too old/);
    const other = signInitData(BOT_TOKEN, { ...fields, user: JSON.stringify({ id: 2002 }) });
    expect(() => authenticate(setup, { authorization: `tma ${other}` }, T0)).toThrow(/chat not allowed/);
  });
});
