// Key rotation for a warm container. Lambda builds its exchange client once per container, so after
// the owner revokes a leaked key and puts a new one in the secret, a warm container would keep using
// the old key (Powertools' cache age never applies to a client already built). On an authentication
// error this proxy re-reads the credentials bypassing every cache, rebuilds the client if they changed,
// and retries that one call once — a refused request did nothing on the exchange, so the retry is safe
// (and orders carry their clientOrderId anyway).
import type { Exchange } from '../../ports/exchange.ts';
import { AuthenticationFailed } from '../../ports/exchange-errors.ts';
import type { BinanceCredentials } from './credentials.ts';

export function withCredentialRefresh(
  load: (opts: { forceFetch: boolean }) => Promise<BinanceCredentials>,
  build: (credentials: BinanceCredentials) => Exchange,
  initial: BinanceCredentials,
): Exchange {
  let credentials = initial;
  let current = build(initial);
  let refreshing: Promise<boolean> | undefined;

  /** True when the secret now holds other credentials and the client was rebuilt with them. */
  const refresh = () => {
    refreshing ??= load({ forceFetch: true })
      .then((fresh) => {
        if (fresh.apiKey === credentials.apiKey && fresh.secret === credentials.secret) return false;
        credentials = fresh;
        current = build(fresh);
        return true;
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  return new Proxy({} as Exchange, {
    get(_target, prop) {
      const member = (current as unknown as Record<PropertyKey, unknown>)[prop];
      if (typeof member !== 'function') return member;
      return async (...args: unknown[]) => {
        const used = current;
        try {
          return await (used as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[prop]!(...args);
        } catch (err) {
          if (!(err instanceof AuthenticationFailed)) throw err;
          // Another call may already have rebuilt the client; otherwise re-read the secret.
          if (used === current && !(await refresh())) throw err;
          return (current as unknown as Record<PropertyKey, (...a: unknown[]) => unknown>)[prop]!(...args);
        }
      };
    },
  });
}
