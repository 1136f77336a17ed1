// The local runtime with all four strategies, each on its own symbol, for 7 simulated days: no order of
// one strategy meets another's position, the per-strategy books add up to the account, and the bot
// stays under one message an hour besides alerts.
//
// Test data: one month of real BTCUSDT (2026-08-30 → 09-30, test/support/month-data.ts); the shipped
// ETHUSDT series ends in May 2026 and SOL and XRP are not shipped, so the other three symbols replay that
// month scaled (ETHUSDT ÷ 20, SOLUSDT ÷ 400, XRPUSDT ÷ 30,000) — the same real market moves under other
// names. It is plumbing under test here, not strategy results (those come from real data).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../../infra/local/runtime.ts';
import { ownerOfSymbol } from '../../../shared/app/ownership.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { STRATEGY_NAMES } from '../../../shared/domain/primitives.ts';
import { monthDataDir } from '../../support/month-data.ts';

const SCALED = { ETHUSDT: 20, SOLUSDT: 400, XRPUSDT: 30_000 } as const;

function dataDir(): string {
  const dir = monthDataDir();
  const candles = readFileSync(join(dir, 'BTCUSDT-1h.csv'), 'utf8');
  const funding = readFileSync(join(dir, 'BTCUSDT-funding-8h.csv'), 'utf8');
  for (const [symbol, by] of Object.entries(SCALED)) {
    const [head, ...rows] = candles.trim().split('\n');
    const scaled = rows.map((r) => {
      const [t, o, h, l, c, v] = r.split(',').map(Number) as number[];
      return [t, o! / by, h! / by, l! / by, c! / by, v! * by].join(',');
    });
    writeFileSync(join(dir, `${symbol}-1h.csv`), `${[head, ...scaled].join('\n')}\n`);
    writeFileSync(join(dir, `${symbol}-funding-8h.csv`), funding);
  }
  return dir;
}

describe('four strategies, each on its own symbol', () => {
  it('7 simulated days: every order on a symbol is its owner’s, the books add up, ≤ 1 message an hour besides alerts', async () => {
    const config = loadConfig({
      ENABLED_STRATEGIES: STRATEGY_NAMES.join(','),
      STRATEGY_SYMBOLS:
        'funding_arbitrage=BTCUSDT;grid=ETHUSDT;long_short_switch=SOLUSDT;volatility_breakout=XRPUSDT',
    });
    const messages: string[] = [];
    const rt = await startLocalRuntime({
      config,
      dataDir: dataDir(),
      store: 'memory',
      hours: 7 * 24,
      telegram: { infoFile: false, onMessage: (m) => messages.push(m.text) },
    });
    try {
      await rt.run();
      const hours = rt.totals().hours;
      expect(hours).toBe(168);

      // Every executed order's producer, when a strategy, is the owner of its symbol (a strategy never
      // traded another's symbol), and its record carries that owner.
      let strategyFills = 0;
      for (const f of rt.sim.ledger.fills.filter((x) => !x.liquidation)) {
        const order = await rt.deps.store.getOrder(f.clientOrderId);
        const owner = ownerOfSymbol(config.assignment, f.symbol);
        expect(order?.owner).toBe(owner);
        const producer = (await rt.deps.store.getIntent(order!.intentId))?.intent?.strategy;
        if (STRATEGY_NAMES.includes(producer as never)) {
          expect(producer).toBe(owner);
          strategyFills++;
        }
      }
      expect(strategyFills).toBeGreaterThan(0);
      // A rejection caused by another strategy's position would name a reduce-only order with nothing
      // to reduce or a position it did not open: none (the reasons are in the failure message).
      const rejected = rt.bus.events.filter((e) => e.type === 'OrderRejected');
      expect(rejected.flatMap((r) => r.reasons).filter((r) => /ReduceOnly|no position/i.test(r))).toEqual([]);

      const { books, accountChange } = rt.books();
      const sum = books.reduce((a, b) => a + b.contribution, 0);
      expect(Math.abs(sum - accountChange)).toBeLessThan(1e-6);
      expect(books.map((b) => b.owner).every((o) => config.strategies.includes(o as never))).toBe(true);

      const alerts = messages.filter((m) => /^(🔴|🟠|🚨|🛑|⛔|⏸️|⚠️)/u.test(m)).length;
      expect(messages.length - alerts).toBeLessThanOrEqual(hours);
    } finally {
      await rt.stop();
    }
  }, 300_000);
});
