// Brackets in the simulator (the backtester's model): the one-cancels-the-other decision of the live
// monitor, taken at the end of the candle a leg filled in.
import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { type BracketInput, bracketLegId, bracketLegs } from '../../../shared/domain/bracket.ts';
import { orderRequestFor } from '../../../shared/ports/exchange.ts';
import { candles, HOUR, T0 } from '../../support/candles.ts';
import { intent } from '../../support/intents.ts';

/** A 0.01 BTC market buy at the first candle's open with `bracket`, placed as the engine places it. */
function enter(sim: Simulator, bracket: BracketInput) {
  const parent = intent(
    {
      id: 'ac-entry',
      strategy: 'volatility_breakout',
      symbol: 'BTCUSDT',
      side: 'buy',
      createdAt: sim.now(),
      bracket,
    },
    0,
  );
  for (const i of [parent, ...bracketLegs(parent, 0.001)])
    sim.brackets.placed(i, sim.createOrder(orderRequestFor(i)), sim.now());
  return parent;
}

describe('SimBrackets', () => {
  it('after the first of two take-profits the stop is resized to the rest and moved to break-even at the candle end', () => {
    // Candle 0 flat at 60,000 (the entry); candle 1 rises to 61,500 (through the 61,000 take-profit)
    // and closes at 61,200; candle 2 flat at 61,200.
    const sim = new Simulator({
      data: {
        BTCUSDT: {
          candles: candles([
            [60_000, 60_000, 60_000, 60_000],
            [60_000, 61_500, 60_000, 61_200],
            [61_200, 61_200, 61_200, 61_200],
          ]),
        },
      },
    });
    enter(sim, {
      stopPrice: 58_000,
      takeProfits: [
        { price: 61_000, fraction: 0.5 },
        { price: 64_000, fraction: 0.5 },
      ],
      breakEvenAfterFirst: true,
    });
    sim.advance(); // candle 0: nothing
    sim.advance(); // candle 1: the first take-profit fills; at its end the bracket acts
    expect(sim.now()).toBe(T0 + 2 * HOUR);
    expect(sim.ledger.positions.get('BTCUSDT')?.quantity).toBeCloseTo(0.005, 9);
    const stops = sim.openOrders('BTCUSDT').filter((o) => o.type === 'stop_market');
    // One stop: 0.005 (what is left) at 60,000 (the entry: no fee or slippage moves it).
    expect(stops.map((s) => [s.clientOrderId, s.quantity, s.stopPrice])).toEqual([
      [bracketLegId('ac-entry', 'stop:1'), 0.005, 60_000],
    ]);
    expect(sim.brackets.stopsResized).toBe(1);
  });

  it('with reduce-only orders kept on close (as Binance keeps conditional ones), the stop fill cancels the take-profit at the candle end', () => {
    const sim = new Simulator({
      data: {
        BTCUSDT: {
          candles: candles([
            [60_000, 60_000, 60_000, 60_000],
            [60_000, 60_000, 57_000, 57_500],
            [57_500, 57_500, 57_500, 57_500],
          ]),
        },
      },
      cancelReduceOnlyOnClose: false,
    });
    enter(sim, { stopPrice: 58_000, takeProfits: [{ price: 63_000, fraction: 1 }] });
    sim.advance();
    sim.advance(); // the stop fills inside candle 1
    expect(sim.ledger.positions.has('BTCUSDT')).toBe(false);
    expect(sim.openOrders('BTCUSDT')).toEqual([]);
    expect(sim.brackets.orphansCancelled).toBe(1);
    expect(sim.brackets.active).toBe(false);
  });
});
