// Signed tokens of the dashboard: the single-use sign-in link the bot sends (/dashboard, ≤ 10 min) and
// the session cookie it becomes. Both are `base64url(payload).base64url(HMAC-SHA-256)` keyed by the
// stack's dashboard secret, the kind bound into the MAC input (a link is never a session nor the
// reverse). Hand-written on node:crypto (RFC 2104 HMAC, RFC 4648 §5 base64url): the format is five
// lines, and a JWT library would add algorithm negotiation we do not want.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export const LINK_MAX_TTL_MS = 10 * 60_000;
export const SESSION_TTL_MS = 12 * 3_600_000;
/** HMAC-SHA-256 keys shorter than the hash output add no strength (RFC 2104 §3): at least 32 bytes. */
export const MIN_SECRET_LENGTH = 32;

export type TokenKind = 'link' | 'session';

const PayloadSchema = z.object({
  /** Chat id (Telegram), the one the link was sent to. */
  c: z.number().int(),
  /** User id, when known (the sender of /dashboard, the Mini App's user). */
  u: z.number().int().optional(),
  /** Expiry, ms since the epoch. */
  e: z.number().int().positive(),
  /** 128-bit nonce, hex: the link's single-use key. */
  n: z.string().regex(/^[0-9a-f]{32}$/),
});

export interface TokenClaims {
  chatId: number;
  userId?: number;
  expiresAt: number;
  nonce: string;
}

/** Why a token was refused (for the log line; the client only ever sees 401). */
export class TokenRefused extends Error {
  override readonly name = 'TokenRefused';
}

/** The secret is missing or too short: the dashboard is not configured (503, never a weak key). */
export class DashboardSecretMissing extends Error {
  override readonly name = 'DashboardSecretMissing';
}

export function checkSecret(secret: string | undefined): string {
  if (!secret || Buffer.byteLength(secret) < MIN_SECRET_LENGTH)
    throw new DashboardSecretMissing(`the dashboard secret must be at least ${MIN_SECRET_LENGTH} bytes`);
  return secret;
}

function mac(secret: string, kind: TokenKind, body: string): Buffer {
  return createHmac('sha256', secret).update(`${kind}.${body}`).digest();
}

export function signToken(
  secret: string,
  kind: TokenKind,
  claims: { chatId: number; userId?: number; expiresAt: number; nonce?: string },
): string {
  const payload: z.infer<typeof PayloadSchema> = {
    c: claims.chatId,
    ...(claims.userId !== undefined ? { u: claims.userId } : {}),
    e: claims.expiresAt,
    n: claims.nonce ?? randomBytes(16).toString('hex'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(checkSecret(secret), kind, body).toString('base64url')}`;
}

/**
 * The claims of a token whose MAC is right (constant-time comparison), of the right kind, unexpired
 * at `now`, and — for a link — never valid longer than LINK_MAX_TTL_MS. Throws TokenRefused.
 */
export function verifyToken(secret: string, kind: TokenKind, token: string, now: number): TokenClaims {
  const m = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) throw new TokenRefused('malformed token');
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = mac(checkSecret(secret), kind, m[1]!);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new TokenRefused('bad signature');
  let payload: z.infer<typeof PayloadSchema>;
  try {
    payload = PayloadSchema.parse(JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')));
  } catch {
    throw new TokenRefused('unreadable payload');
  }
  if (payload.e <= now) throw new TokenRefused('expired');
  const maxTtl = kind === 'link' ? LINK_MAX_TTL_MS : SESSION_TTL_MS;
  if (payload.e - now > maxTtl) throw new TokenRefused('expiry too far ahead');
  return {
    chatId: payload.c,
    ...(payload.u !== undefined ? { userId: payload.u } : {}),
    expiresAt: payload.e,
    nonce: payload.n,
  };
}
