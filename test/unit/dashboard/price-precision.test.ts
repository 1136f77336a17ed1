// Prices at the symbol's tick size and quantities at its step size, in the dashboard and in Telegram's
// /futures_status and /liquidation_risk (Binance's average entry, mark and liquidation prices carry
// many more decimals than the market trades in). From the read model, on the in-memory store.
import { describe, expect, it } from 'vitest';
import { riskPanel } from '../../../shared/app/dashboard/account-risk.ts';
import { recordActivity } from '../../../shared/app/dashboard/activity-log.ts';
import { loadChart } from '../../../shared/app/dashboard/data.ts';
import type { DashboardDeps } from '../../../shared/app/dashboard/deps.ts';
import { activityPanel } from '../../../shared/app/dashboard/strategies-activity.ts';
import { price, quantity } from '../../../shared/app/telegram/format.ts';
import { futuresStatus, liquidationRisk } from '../../../shared/app/telegram/info-commands.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { decimalsOf } from '../../../shared/domain/precision.ts';
import { readModelDeps } from '../../support/read-model-deps.ts';

const NOW = Date.UTC(2026, 11, 3, 12);
const config = loadConfig({ SYMBOLS: 'BTCUSDT' });

const deps = () => readModelDeps(NOW, config);

/** Binance's BTCUSDT rules: futures tick 0.10, step 0.001; spot tick 0.01, step 0.00001. */
async function withMarkets(d: DashboardDeps) {
  const rules = (tickSize: number, stepSize: number) => ({
    symbol: 'BTCUSDT',
    tickSize,
    stepSize,
    minQuantity: stepSize,
    minNotional: 5,
  });
  await d.store.putView('markets', {
    at: NOW,
    futures: { BTCUSDT: { ...rules(0.1, 0.001), brackets: [] } },
    spot: { BTCUSDT: rules(0.01, 0.00001) },
  });
}

/** A long as Binance's positionRisk reports it: average entry, mark and liquidation unrounded. */
async function withLong(d: DashboardDeps) {
  await d.store.putView('account', {
    at: NOW,
    balances: {
      futures: { walletBalance: 10_000, unrealizedPnl: -0.09, equity: 9_999.91, availableBalance: 9_000 },
      spot: {},
    },
    positions: [
      {
        symbol: 'BTCUSDT',
        side: 'long',
        quantity: 0.05,
        entryPrice: 60_012.345678912,
        markPrice: 60_010.51234567,
        leverage: 5,
        marginMode: 'isolated',
        isolatedMargin: 600,
        unrealizedPnl: -0.09,
        liquidationPrice: 54_012.987654321,
        maintenanceMargin: 12,
        openedAt: NOW - 3_600_000,
      },
    ],
    marks: { BTCUSDT: 60_010.51234567 },
    spotPrices: {},
  });
  await d.store.putView('open-orders', {
    at: NOW,
    orders: [
      {
        symbol: 'BTCUSDT',
        side: 'sell',
        type: 'stop_market',
        quantity: 0.05,
        filledQuantity: 0,
        stopPrice: 57_000.04999,
        reduceOnly: true,
      },
    ],
  });
}

describe('price and quantity precision', () => {
  it('decimals of a tick or step size', () => {
    expect([0.1, 0.0000001, 1, 0.5, 10, 0.00001, 0.001].map(decimalsOf)).toEqual([1, 7, 0, 1, 0, 5, 3]);
    expect([0.25, 0.125, 7.5].map(decimalsOf)).toEqual([2, 3, 1]);
  });

  it('at the tick and step when the rules are known; 6 significant digits, 2–8 decimals otherwise', () => {
    expect(price(60_012.345678912, 0.1)).toBe('60,012.3');
    expect(price(0.0123456789, 0.0000001)).toBe('0.0123457');
    expect(price(57_000, 0.1)).toBe('57,000.0');
    // Fallback: 60,012 has 5 integer digits → 2 decimals (the floor); 0.0123… needs 7 for 6 digits.
    expect(price(60_012.345678912)).toBe('60,012.35');
    expect(price(0.0123456789)).toBe('0.0123457');
    expect(price(57_000)).toBe('57,000');
    expect(quantity(0.05, 0.001)).toBe('0.050');
    expect(quantity(1_200, 1)).toBe('1,200');
    expect(quantity(0.1 + 0.2)).toBe('0.3');
  });
});

describe('the dashboard at the symbol’s precision', () => {
  it('risk panel: entry, mark, liquidation at the tick (0.1), quantity and stop at the step (0.001)', async () => {
    const d = deps();
    await withMarkets(d);
    await withLong(d);
    const p = (await riskPanel(d)).positions[0]!;
    expect(p.entry).toBe('60,012.3');
    expect(p.mark).toBe('60,010.5');
    expect(p.liquidation).toBe('54,013.0');
    expect(p.quantity).toBe('0.050');
    expect(p.stops).toEqual(['57,000.0 × 0.050']);
  });

  it('risk panel without market rules yet: the fallback, not the float', async () => {
    const d = deps();
    await withLong(d);
    const p = (await riskPanel(d)).positions[0]!;
    expect(p.entry).toBe('60,012.35');
    expect(p.liquidation).toBe('54,012.99');
    expect(p.quantity).toBe('0.05');
  });

  it('activity: a fill of unknown market at the finer tick and its exact quantity; open orders at the step', async () => {
    const d = deps();
    await withMarkets(d);
    await withLong(d);
    // A spot hedge buy: 0.01234 BTC (spot step 0.00001) at 59,990.567 → spot tick 0.01 (finer than 0.1).
    await recordActivity(d.store, {
      type: 'OrderFilled',
      time: NOW - 60_000,
      intentId: `ac-${'1'.repeat(32)}`,
      symbol: 'BTCUSDT',
      side: 'buy',
      quantity: 0.01234,
      price: 59_990.567,
      fee: 0,
    });
    const a = await activityPanel(d);
    expect(a.recent[0]!.text).toBe('filled buy 0.01234 BTCUSDT @ 59,990.57');
    expect(a.openOrders).toEqual(['BTCUSDT sell stop_market 0.050 stop 57,000.0 reduce-only']);
  });

  it('the trade chart’s price scale follows the tick', async () => {
    const d = deps();
    await withMarkets(d);
    expect((await loadChart(d, 'BTCUSDT'))?.priceFormat).toEqual({ precision: 1, minMove: 0.1 });
  });
});

describe('Telegram at the symbol’s precision', () => {
  const run = (d: DashboardDeps, cmd: typeof futuresStatus | typeof liquidationRisk) =>
    cmd.run({ deps: d, chatId: 1, userId: 1, updateId: 1, at: NOW, args: {} });

  it('/futures_status shows the position at the tick and step', async () => {
    const d = deps();
    await withMarkets(d);
    await withLong(d);
    const text = (await run(d, futuresStatus)).text;
    expect(text).toContain('long 0.050 @ 60,012.3, mark 60,010.5');
    expect(text).toContain('liquidation 54,013.0 (');
  });

  it('/liquidation_risk shows liquidation and mark at the tick', async () => {
    const d = deps();
    await withMarkets(d);
    await withLong(d);
    // (60,010.51234567 − 54,012.987654321) / 60,010.51234567 = 9.99 % away.
    expect((await run(d, liquidationRisk)).text).toContain('9.99 % to 54,013.0 (mark 60,010.5)');
  });
});
