// A USD-M symbol whose spot market has another name (1000PEPEUSDT is 1,000 PEPE; Binance spot lists
// PEPEUSDT): Binance refuses the whole filtered spot exchangeInfo request for it (-1121), which used to
// break every market load — and with it ccxt's implicit load before the spot balance. It loads now with
// no spot rules; a strategy that trades spot is refused on it with a reason, the others tick.
import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { strategyTick, type TickDeps } from '../../../shared/app/strategy-tick.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { longShortSwitch } from '../../../shared/strategies/long-short-switch.ts';
import type { Strategy } from '../../../shared/strategies/strategy.ts';
import { stubbedExchange } from '../../support/binance-stub.ts';
import { useBinanceStub } from '../../support/binance-stub-hooks.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 0, 5);
const SYMBOLS = ['BTCUSDT', '1000PEPEUSDT'];
const stub = useBinanceStub(() => NOW);

/** Binance's leverage brackets for both symbols (one tier each is enough for the market load). */
function bothBrackets() {
  const bracket = {
    bracket: 1,
    initialLeverage: 25,
    notionalCap: 50_000,
    notionalFloor: 0,
    maintMarginRatio: 0.01,
    cum: 0,
  };
  stub.replay('GET /fapi/v1/leverageBracket', {
    body: SYMBOLS.map((symbol) => ({ symbol, notionalCoef: 1, brackets: [bracket] })),
  });
}
const spotInfoRequests = () =>
  stub.requests.filter((r) => r.path === '/api/v3/exchangeInfo').map((r) => r.params.symbols);

describe('a futures symbol with no spot market of the same name', () => {
  it('loads: futures rules for both, spot rules only for the symbol spot lists', async () => {
    bothBrackets();
    const ex = stubbedExchange(stub, () => NOW, SYMBOLS);
    const m = await ex.loadMarkets();
    expect(Object.keys(m.futures).sort()).toEqual(['1000PEPEUSDT', 'BTCUSDT']);
    // 1000PEPEUSDT's PRICE_FILTER tick 0.0000001 and LOT_SIZE step 1, as the stub's exchangeInfo lists.
    expect(m.futures['1000PEPEUSDT']).toMatchObject({ tickSize: 1e-7, stepSize: 1, minQuantity: 1 });
    expect(Object.keys(m.spot)).toEqual(['BTCUSDT']);
    // The filtered request is refused as a whole (-1121); each symbol is then asked alone.
    expect(spotInfoRequests()).toEqual(['["BTCUSDT","1000PEPEUSDT"]', '["BTCUSDT"]', '["1000PEPEUSDT"]']);
    // The balance read (ccxt loads spot markets before it) works, and asks exchangeInfo no more.
    const b = await ex.fetchBalances();
    expect(b.spot.USDT).toBe(5_000);
    // No spot orders can rest on a spot market that does not exist: none are asked for.
    expect(await ex.fetchOpenOrders('1000PEPEUSDT', 'spot')).toEqual([]);
    expect(spotInfoRequests()).toHaveLength(3);
    expect(stub.requests.some((r) => r.path === '/api/v3/openOrders')).toBe(false);
  });

  it('a transient spot exchangeInfo failure still fails the load (retryable), nothing dropped', async () => {
    bothBrackets();
    stub.failNext('/api/v3/exchangeInfo', 503, -1001, 'Internal error; unable to process your request.');
    const ex = stubbedExchange(stub, () => NOW, SYMBOLS);
    await expect(ex.loadMarkets()).rejects.toMatchObject({ retryable: true });
    // The next load asks for both again: an outage is not "no spot market".
    const m = await ex.loadMarkets();
    expect(Object.keys(m.spot)).toEqual(['BTCUSDT']);
    expect(spotInfoRequests()[1]).toBe('["BTCUSDT","1000PEPEUSDT"]');
  });

  describe('strategy ticks on it', () => {
    function tickDeps(): TickDeps & { queue: MemoryOrderQueue } {
      bothBrackets();
      stub.replay('GET /fapi/v1/openOrders', { body: [] });
      stub.replay('GET /fapi/v1/openAlgoOrders', { body: [] });
      const clock = { now: () => NOW };
      return {
        store: new MemoryStateStore(),
        exchange: stubbedExchange(stub, clock.now, SYMBOLS),
        queue: new MemoryOrderQueue({ clock }),
        bus: new MemoryEventBus(),
        clock,
        limits: DEFAULT_RISK_LIMITS,
      };
    }
    const tickTime = Date.UTC(2026, 8, 15, 12);
    // biome-ignore lint/suspicious/noExplicitAny: strategies of any parameter type.
    async function tickOn(strategy: Strategy<any, any>) {
      const deps = tickDeps();
      const params = strategy.paramsSchema.parse({});
      const result = await strategyTick({ strategy, params, symbol: '1000PEPEUSDT', tickTime }, deps);
      const state = await deps.store.getStrategyState(strategy.name, '1000PEPEUSDT');
      const spotPriceAsked = stub.requests.some(
        (r) => r.path === '/api/v3/ticker/24hr' && r.params.symbol === '1000PEPEUSDT',
      );
      return { result, state, queued: deps.queue.depth, spotPriceAsked };
    }

    it('funding_arbitrage is refused with the reason, nothing sent, no spot price asked', async () => {
      const t = await tickOn(fundingArbitrage);
      expect(t.result.kind).toBe('skipped');
      expect(t.result.kind === 'skipped' && t.result.reason).toMatch(
        /funding_arbitrage.*spot market.*1000PEPEUSDT/,
      );
      expect(t.queued).toBe(0);
      expect(t.state).toBeUndefined();
      expect(t.spotPriceAsked).toBe(false);
    });

    it('a futures-only strategy ticks on it (no spot price asked)', async () => {
      const t = await tickOn(longShortSwitch);
      expect(t.result.kind).toBe('ticked');
      expect(t.state).toBeDefined();
      expect(t.spotPriceAsked).toBe(false);
    });
  });
});
