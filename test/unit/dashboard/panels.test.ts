// The dashboard's figures from the read model, and its recent-activity tail, on the in-memory store.
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { riskPanel } from '../../../shared/app/dashboard/account-risk.ts';
import { ACTIVITY_KEEP, readActivity, recordActivity } from '../../../shared/app/dashboard/activity-log.ts';
import type { DashboardDeps } from '../../../shared/app/dashboard/deps.ts';
import { DashboardSecretMissing } from '../../../shared/app/dashboard/signed-token.ts';
import { ReadModelExchange, writeAccountView } from '../../../shared/app/read-model.ts';
import { dashboard } from '../../../shared/app/telegram/dashboard-command.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { monthDataset } from '../../support/month-data.ts';
import { readModelDeps } from '../../support/read-model-deps.ts';

const NOW = Date.UTC(2026, 11, 3, 12);
const config = loadConfig({ SYMBOLS: 'BTCUSDT' });

const deps = (store = new MemoryStateStore()) => readModelDeps(NOW, config, store);

const order = (quantity: number) => ({
  clientOrderId: 'ac-stop',
  exchangeOrderId: '1',
  symbol: 'BTCUSDT',
  market: 'futures' as const,
  side: 'sell' as const,
  type: 'stop_market' as const,
  status: 'new' as const,
  quantity,
  filledQuantity: 0,
  stopPrice: 57_000,
  reduceOnly: true,
  fee: 0,
  createdAt: NOW,
  updatedAt: NOW,
});

async function withLong(d: DashboardDeps, stopQuantity: number) {
  await d.store.putView('account', {
    at: NOW,
    balances: {
      futures: { walletBalance: 10_000, unrealizedPnl: 0, equity: 10_000, availableBalance: 9_000 },
      spot: {},
    },
    positions: [
      {
        symbol: 'BTCUSDT',
        side: 'long',
        quantity: 0.05,
        entryPrice: 60_000,
        markPrice: 60_000,
        leverage: 5,
        marginMode: 'isolated',
        isolatedMargin: 600,
        unrealizedPnl: 0,
        liquidationPrice: 54_000,
        maintenanceMargin: 12,
        openedAt: NOW - 3_600_000,
      },
    ],
    marks: { BTCUSDT: 60_000 },
    spotPrices: {},
  });
  await d.store.putView('open-orders', { at: NOW, orders: [order(stopQuantity)] });
}

describe('risk panel', () => {
  it('a long of 0.05 BTC at 60,000 on 10,000 USDT equity, worked by hand', async () => {
    const d = deps();
    await withLong(d, 0.05);
    const r = await riskPanel(d);
    const p = r.positions[0]!;
    // notional 0.05 × 60,000 = 3,000 = 30.00 % of 10,000: at the 30 % cap, not over it.
    expect(p.exposure).toBe('3,000.00 USDT (30.00 % of equity)');
    expect(p.overCap).toBe(false);
    // (60,000 − 54,000) / 60,000 = 10.00 % to liquidation.
    expect(p.liquidationDistance).toBe('10.00 %');
    // maintenance 12 / margin balance 10,000 = 0.12 %.
    expect(r.marginRatio).toBe('0.12 %');
    expect(r.slots).toBe('1 of 3');
    expect(p.stops).toEqual(['57,000 × 0.05']);
    expect(p.stopCovers).toBe(true);
  });

  it('a stop smaller than the position does not cover it', async () => {
    const d = deps();
    await withLong(d, 0.03);
    expect((await riskPanel(d)).positions[0]!.stopCovers).toBe(false);
  });

  it('a stale account view is a panel error naming the monitor, not old figures', async () => {
    const d = deps();
    await withLong(d, 0.05);
    const later = { ...d, clock: { now: () => NOW + 120_000 } };
    later.exchange = new ReadModelExchange(d.store, later.clock, { account: 60_000, funding: 3_600_000 });
    await expect(riskPanel(later)).rejects.toThrow(/120 s old: is the position monitor running/);
  });
});

describe('recent activity', () => {
  const filled = (time: number): DomainEvent => ({
    type: 'OrderFilled',
    time,
    intentId: `ac-${String(time).padStart(32, '0')}`,
    symbol: 'BTCUSDT',
    side: 'buy',
    quantity: 0.01,
    price: 60_000,
    fee: 0.3,
  });

  it('keeps the newest events first, each once, at most ACTIVITY_KEEP; skips ticks', async () => {
    const store = new MemoryStateStore();
    for (let i = 1; i <= ACTIVITY_KEEP + 5; i++) await recordActivity(store, filled(i));
    await recordActivity(store, filled(ACTIVITY_KEEP + 5)); // a redelivery
    await recordActivity(store, { type: 'StrategyTicked', time: 10_000 } as unknown as DomainEvent);
    const entries = await readActivity(store);
    expect(entries).toHaveLength(ACTIVITY_KEEP);
    expect(entries[0]!.time).toBe(ACTIVITY_KEEP + 5);
    expect(entries.at(-1)!.time).toBe(6);
  });
});

describe('/dashboard', () => {
  const run = (d: DashboardDeps, chatId: number, userId: number) =>
    dashboard.run({ deps: d, chatId, userId, updateId: 1, at: NOW, args: {} });

  it('signs a link for the private chat and its user; in a group, for the chat only', async () => {
    const d = deps();
    const asked: unknown[] = [];
    d.dashboardLink = async (who) => {
      asked.push(who);
      return 'https://dash.example/auth?t=x.y';
    };
    expect((await run(d, 42, 42)).text).toContain('<a href="https://dash.example/auth?t=x.y">');
    await run(d, -100123, 42);
    expect(asked).toEqual([{ chatId: 42, userId: 42 }, { chatId: -100123 }]);
  });

  it('says what to do when the secret is not created yet, instead of failing silently', async () => {
    const d = deps();
    d.dashboardLink = async () => {
      throw new DashboardSecretMissing('the dashboard secret /x is unreadable (ParameterNotFound)');
    };
    expect((await run(d, 42, 42)).text).toMatch(/not set up yet.*aws ssm put-parameter/);
  });

  it('says so when no dashboard is deployed', async () => {
    expect((await run(deps(), 42, 42)).text).toMatch(/No web dashboard/);
  });
});

describe('open-orders view (written by the position monitor with the account view)', () => {
  it('is written when the set of orders changes, not every loop', async () => {
    const ds = monthDataset();
    const sim = new Simulator({
      data: { BTCUSDT: { candles: ds.candles, funding: ds.funding } },
      startIndex: 300,
    });
    const store = new MemoryStateStore();
    const writes: unknown[] = [];
    const put = store.putView.bind(store);
    store.putView = async (name, value) => {
      if (name === 'open-orders') writes.push(value);
      return put(name, value);
    };
    const w = (orders: ReturnType<typeof order>[], at: number) =>
      writeAccountView({ exchange: new SimulatedExchange(sim), store, config }, at, { openOrders: orders });
    await w([order(0.05)], NOW);
    await w([order(0.05)], NOW + 5_000);
    expect(writes).toHaveLength(1);
    await w([order(0.04)], NOW + 10_000);
    expect(writes).toHaveLength(2);
    expect(await store.getView('open-orders')).toMatchObject({
      at: NOW + 10_000,
      orders: [{ quantity: 0.04 }],
    });
  });
});
