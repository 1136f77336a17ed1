// Issue 13, finding 6: after the owner revokes a leaked Binance key and puts a new one in the secret, a
// warm container must switch to it on the first authentication error — not keep the old client forever.
import { describe, expect, it } from 'vitest';
import { withCredentialRefresh } from '../../../shared/adapters/binance/credential-refresh.ts';
import type { BinanceCredentials } from '../../../shared/adapters/binance/credentials.ts';
import type { Exchange } from '../../../shared/ports/exchange.ts';
import { AuthenticationFailed, ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';

const OLD: BinanceCredentials = { apiKey: 'fake-old-key-0000', secret: 'fake-old-secret-0000' };
const NEW: BinanceCredentials = { apiKey: 'fake-new-key-1111', secret: 'fake-new-secret-1111' };

/** An exchange that accepts only the credentials currently valid on the "exchange". */
function world() {
  const state = { valid: OLD, secretHolds: OLD, loads: [] as boolean[], built: 0, calls: 0 };
  const build = (c: BinanceCredentials) => {
    state.built++;
    return {
      async fetchMarkPrice(symbol: string) {
        state.calls++;
        if (c.apiKey !== state.valid.apiKey)
          throw new AuthenticationFailed('-2015 Invalid API-key, IP, or permissions');
        return symbol === 'BTCUSDT' ? 80_000 : 0;
      },
      async fetchBalances() {
        throw new ExchangeUnavailable('503');
      },
    } as unknown as Exchange;
  };
  const load = async (opts: { forceFetch: boolean }) => {
    state.loads.push(opts.forceFetch);
    return state.secretHolds;
  };
  return { state, exchange: withCredentialRefresh(load, build, OLD) };
}

describe('withCredentialRefresh', () => {
  it('a rotated key: the first refused call re-reads the secret (forceFetch), rebuilds the client and succeeds', async () => {
    const { state, exchange } = world();
    expect(await exchange.fetchMarkPrice('BTCUSDT')).toBe(80_000);
    state.valid = NEW; // the owner revoked the old key…
    state.secretHolds = NEW; // …and put the new one in the secret
    expect(await exchange.fetchMarkPrice('BTCUSDT')).toBe(80_000);
    expect(state.loads).toEqual([true]);
    expect(state.built).toBe(2);
    expect(await exchange.fetchMarkPrice('BTCUSDT')).toBe(80_000); // and stays on the new client
    expect(state.loads).toEqual([true]);
  });

  it('the secret still holds the refused key: the authentication error surfaces (no loop, no rebuild)', async () => {
    const { state, exchange } = world();
    state.valid = NEW; // revoked, but nobody updated the secret yet
    await expect(exchange.fetchMarkPrice('BTCUSDT')).rejects.toBeInstanceOf(AuthenticationFailed);
    expect(state.loads).toEqual([true]);
    expect(state.built).toBe(1);
    expect(state.calls).toBe(1);
  });

  it('other errors pass through without touching the secret', async () => {
    const { state, exchange } = world();
    await expect(exchange.fetchBalances()).rejects.toBeInstanceOf(ExchangeUnavailable);
    expect(state.loads).toEqual([]);
  });
});
