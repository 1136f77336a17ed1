// Property: whatever the interleaving of the strategies' orders, the monitors' and the trader's manual
// ones — market and resting limit orders, entries and reduce-only exits, on any symbol, with the market
// moving in between — every fill of the simulated exchange is attributed to exactly one book, and the
// books add up to the account. Real executor, simulator and in-memory store; the owner comes from the
// ownership module (shared/app/ownership.ts) through the executor's order records.
import '../../support/fast-check-seed.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { simTotalEquity } from '../../../shared/adapters/sim/snapshot.ts';
import { type ExecutorDeps, executeMessage } from '../../../shared/app/execute-intent.ts';
import { ownerOfSymbol } from '../../../shared/app/ownership.ts';
import { simOwnerBooks } from '../../../shared/backtest/owner-books.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';
import { candles, T0 } from '../../support/candles.ts';

const ASSIGNMENT = { grid: ['BTCUSDT'], volatility_breakout: ['ETHUSDT'] } as const;
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] as const; // SOLUSDT: no strategy's, the trader's
const PRODUCERS = ['grid', 'volatility_breakout', 'telegram', 'position-monitor'] as const;
const BASE = { BTCUSDT: 60_000, ETHUSDT: 3_000, SOLUSDT: 150 } as const;
const QTY = { BTCUSDT: 0.005, ETHUSDT: 0.1, SOLUSDT: 2 } as const;

/** Hourly candles that swing ±1.5 % so resting limits fill on later bars. */
function series(base: number, n: number) {
  return candles(
    Array.from({ length: n }, (_, i) => {
      const c = base * (1 + 0.01 * Math.sin(i / 2));
      return [c, c * 1.015, c * 0.985, c] as const;
    }),
  );
}

const Step = fc.oneof(
  fc.record({
    kind: fc.constant('order' as const),
    producer: fc.constantFrom(...PRODUCERS),
    symbol: fc.constantFrom(...SYMBOLS),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    type: fc.constantFrom('market' as const, 'limit' as const),
    reduceOnly: fc.boolean(),
    lots: fc.integer({ min: 1, max: 3 }),
    offsetPct: fc.double({ min: -1.2, max: 1.2, noNaN: true }),
  }),
  fc.constant({ kind: 'advance' as const }),
);

describe('ownership under interleaved orders', () => {
  it('every fill has exactly one owner — its symbol’s — and the books add up to the account', async () => {
    // The property is not vacuous: across the runs, fills happen, resting limits among them.
    let fillsSeen = 0;
    let limitFills = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(Step, { minLength: 1, maxLength: 30 }), async (steps) => {
        const n = 40;
        const sim = new Simulator({
          data: Object.fromEntries(SYMBOLS.map((s) => [s, { candles: series(BASE[s], n) }])),
          initialWalletUsdt: 50_000,
        });
        const initial = simTotalEquity(sim);
        const store = new MemoryStateStore();
        const deps: ExecutorDeps = {
          store,
          exchange: new SimulatedExchange(sim),
          bus: new MemoryEventBus(),
          clock: { now: () => sim.now() },
          limits: { ...DEFAULT_RISK_LIMITS, maxPositions: 3 },
          assignment: ASSIGNMENT,
          wait: async () => {},
        };
        let seq = 0;
        for (const step of steps) {
          if (step.kind === 'advance') {
            if (sim.index < n - 2) sim.advance();
            continue;
          }
          const mark = sim.price(step.symbol);
          const intent = {
            id: makeIntentId({ source: step.producer, symbol: step.symbol, tickTime: T0, sequence: ++seq }),
            strategy: step.producer,
            symbol: step.symbol,
            market: 'futures',
            side: step.side,
            type: step.type,
            quantity: step.lots * QTY[step.symbol],
            ...(step.type === 'limit'
              ? { price: Math.round(mark * (1 + step.offsetPct / 100) * 100) / 100 }
              : {}),
            reduceOnly: step.reduceOnly,
            leverage: 5,
            marginMode: 'isolated',
            createdAt: sim.now(),
          };
          await executeMessage(JSON.stringify({ kind: 'intent', intent }), deps);
        }
        const fills = sim.ledger.fills.filter((f) => !f.liquidation);
        fillsSeen += fills.length;
        for (const f of fills) {
          const record = await store.getOrder(f.clientOrderId);
          if (record?.type === 'limit') limitFills++;
          // Attributed: the order it came from is recorded with one owner, the owner of its symbol.
          expect(record?.owner, `fill of ${f.clientOrderId} on ${f.symbol}`).toBe(
            ownerOfSymbol(ASSIGNMENT, f.symbol),
          );
        }
        const books = simOwnerBooks(sim, (s) => ownerOfSymbol(ASSIGNMENT, s));
        // Once each: the books count every fill exactly once between them …
        expect(books.reduce((a, b) => a + b.fills, 0)).toBe(sim.ledger.fills.length);
        // … and their contributions are the account's change, to float rounding.
        const sum = books.reduce((a, b) => a + b.contribution, 0);
        expect(Math.abs(sum - (simTotalEquity(sim) - initial))).toBeLessThan(1e-6);
      }),
      { numRuns: 60 },
    );
    expect(fillsSeen).toBeGreaterThan(50);
    expect(limitFills).toBeGreaterThan(5);
  }, 120_000);
});
