// The Bot API refused the bot token (revoked or rotated): HTTP 401 — or 404 for a malformed one — as
// telegraf's TelegramError carries it. The caller then re-reads the token from its secret.
export function isTokenRefused(err: unknown): boolean {
  const code = (err as { response?: { error_code?: unknown } } | undefined)?.response?.error_code;
  return code === 401 || code === 404;
}
