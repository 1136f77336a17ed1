// Property (fast-check, 10,000 random sequences): whatever intents arrive, with random prices, halts and
// losses, the executor lets no position past the leverage, size, count or daily-loss limits, and only
// reduce-only orders pass while halted. Checked at each execution against the state it decided on.
// Entries are market orders: a resting entry order is checked when placed, not when the exchange
// fills it later (that is what exchange-side protection and the monitors are for).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { MemoryStateStore } from '../../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { loadAccountSnapshot } from '../../../shared/app/account-snapshot.ts';
import { type ExecutorDeps, executeMessage } from '../../../shared/app/execute-intent.ts';
import { emptySeries } from '../../../shared/domain/candles.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'] as const;
const BASE: Record<string, number> = { BTCUSDT: 60_000, ETHUSDT: 3_000, SOLUSDT: 150, BNBUSDT: 600 };
const STEP: Record<string, number> = { BTCUSDT: 0.001, ETHUSDT: 0.001, SOLUSDT: 0.1, BNBUSDT: 0.1 };
const T0 = Date.UTC(2026, 8, 1);
const L = DEFAULT_RISK_LIMITS;

const stepArb = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  /** Notional as a fraction of 10,000 USDT: from tiny to far beyond the 30 % limit. */
  size: fc.double({ min: 0.001, max: 0.6, noNaN: true }),
  leverage: fc.integer({ min: 1, max: 30 }),
  reduceOnly: fc.boolean(),
  advance: fc.integer({ min: 0, max: 3 }),
  toggleHalt: fc.boolean(),
});

function simFor(moves: number[]): Simulator {
  const n = moves.length + 1;
  const data: Record<string, { candles: ReturnType<typeof emptySeries> }> = {};
  for (const s of SYMBOLS) {
    const c = emptySeries(n);
    let p = BASE[s]!;
    for (let i = 0; i < n; i++) {
      const next = p * (1 + (moves[i] ?? 0));
      c.time[i] = T0 + i * 3_600_000;
      c.open[i] = p;
      c.close[i] = next;
      c.high[i] = Math.max(p, next);
      c.low[i] = Math.min(p, next);
      c.volume[i] = 1;
      p = next;
    }
    data[s] = { candles: c };
  }
  return new Simulator({ data, initialWalletUsdt: 10_000 });
}

describe('executor risk limits (property)', () => {
  it('no position past the limits, nothing but reduce-only while halted — 10,000 sequences', async () => {
    let executions = 0;
    let placedEntries = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: -0.08, max: 0.08, noNaN: true }), { minLength: 40, maxLength: 40 }),
        fc.array(stepArb, { minLength: 1, maxLength: 8 }),
        async (moves, steps) => {
          const sim = simFor(moves);
          const clock = { now: () => sim.now() };
          const deps: ExecutorDeps = {
            store: new MemoryStateStore(),
            exchange: new SimulatedExchange(sim),
            bus: new MemoryEventBus(),
            clock,
            limits: L,
          };
          let seq = 0;
          for (const st of steps) {
            for (let a = 0; a < st.advance && !sim.finished; a++) sim.advance();
            if (sim.finished) break;
            if (st.toggleHalt) {
              const h = await deps.store.getHalt();
              await deps.store.setHalt(!h.halted, 'test', clock.now(), h.version);
            }
            const { snapshot: before } = await loadAccountSnapshot(deps);
            const price = sim.price(st.symbol);
            const quantity = Math.max(
              STEP[st.symbol]!,
              Math.floor((st.size * 10_000) / price / STEP[st.symbol]!) * STEP[st.symbol]!,
            );
            // Not parsed here: leverage above the 20x schema cap must be refused by the executor itself.
            const intent = {
              id: makeIntentId({ source: 'prop', symbol: st.symbol, tickTime: clock.now(), sequence: seq++ }),
              strategy: 'prop',
              symbol: st.symbol,
              market: 'futures',
              side: st.side,
              type: 'market',
              quantity: Number(quantity.toFixed(3)),
              leverage: Math.min(st.leverage, 125),
              marginMode: 'isolated',
              reduceOnly: st.reduceOnly,
              createdAt: clock.now(),
            };
            const outcome = await executeMessage(JSON.stringify({ kind: 'intent', intent }), deps);
            executions++;
            if (outcome.kind !== 'placed') continue;
            const prior = before.positions.find((p) => p.symbol === st.symbol);
            const reduces =
              intent.reduceOnly ||
              (prior !== undefined &&
                (prior.side === 'long') !== (intent.side === 'buy') &&
                intent.quantity <= prior.quantity);
            if (reduces) continue;
            placedEntries++;
            // Anything that adds exposure passed every limit on the state it was decided on.
            expect(before.halted).toBe(false);
            expect(before.startOfDayEquity - before.equity).toBeLessThan(
              (L.dailyLossLimitPct / 100) * before.startOfDayEquity,
            );
            expect(sim.ledger.positions.size).toBeLessThanOrEqual(L.maxPositions);
            const after = sim.ledger.positions.get(st.symbol);
            expect(after, 'an order that adds exposure leaves a position').toBeDefined();
            if (after === undefined) return;
            expect(after.leverage).toBeLessThanOrEqual(L.maxLeverage);
            expect(after.quantity * price).toBeLessThanOrEqual(
              (L.positionSizeLimitPct / 100) * before.equity * (1 + 1e-9) + 1e-6,
            );
          }
        },
      ),
      { numRuns: 10_000 },
    );
    expect(executions).toBeGreaterThan(30_000);
    expect(placedEntries).toBeGreaterThan(1_000);
  }, 300_000);
});
