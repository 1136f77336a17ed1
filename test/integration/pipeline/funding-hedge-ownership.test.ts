// funding_arbitrage trades only the spot coins it bought itself (defect 3): the trader's own holding of
// the base coin is never sold — not on the first tick, not on an exit — and spot orders obey the halt
// flag and a performance pause. End to end: strategy tick → FIFO queue → executor → simulated exchange.
import { describe, expect, it } from 'vitest';
import { setStrategyPause } from '../../../shared/app/monitors/performance-monitor.ts';
import { floorToStep } from '../../../shared/domain/precision.ts';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { IntentFactory, type Strategy } from '../../../shared/strategies/strategy.ts';
import { HOUR } from '../../support/candles.ts';
import { type TickWorld, tickWorld } from '../../support/tick-world.ts';

const START = 200;
// Enter at 0.03 % per 8 h (32.85 % a year), exit under 0.01 % (10.95 %), on the predicted rate alone
// (a window of 1) and without a minimum hold, 10 % of equity a leg (each wallet holds its leg: no
// transfer first): these tests are about whose coins are sold, not timing.
const params = fundingArbitrage.paramsSchema.parse({
  positionPct: 10,
  entryAprPct: 32,
  exitAprPct: 10.95,
  smoothingSettlements: 1,
  minHoldHours: 0,
});
const HIGH = 0.0005;
const LOW = 0.00005;

/** Funding settlements every 8 h from the start: `rates[i]` settles at the i-th one. */
function fundingFrom(t0: number, rates: number[]) {
  const first = Math.floor(t0 / (8 * HOUR)) * 8 * HOUR + 8 * HOUR;
  return {
    time: Float64Array.from(rates.map((_, i) => first + i * 8 * HOUR)),
    rate: Float64Array.from(rates),
  };
}

function world(rates: number[], btc = 0.5): TickWorld {
  const probe = tickWorld({ startIndex: START });
  const t0 = probe.sim.now();
  return tickWorld({
    startIndex: START,
    initialSpot: { USDT: 10_000, BTC: btc },
    funding: fundingFrom(t0, rates),
  });
}

const spotFills = (w: TickWorld, side: 'buy' | 'sell') =>
  w.sim.ledger.fills.filter((f) => f.market === 'spot' && f.side === side);

/** What a spot buy left in the wallet: its fill less a commission charged in BTC (Binance's default). */
function received(w: TickWorld, clientOrderId: string): number {
  const o = w.sim.orderByClientId('BTCUSDT', clientOrderId);
  return o.filledQuantity - (o.commission?.asset === 'BTC' ? o.commission.amount : 0);
}

describe('defect 3: funding_arbitrage never sells spot coins it did not buy', () => {
  it('the trader holds 0.5 BTC before the bot starts → two hedges enter and exit → the 0.5 BTC is still there', async () => {
    const w = world([HIGH, HIGH, HIGH, LOW, LOW, LOW, HIGH, HIGH, HIGH, LOW, LOW, LOW, LOW]);
    const spotStep = w.sim.markets.spot.BTCUSDT!.stepSize;
    for (let h = 0; h < 100; h++) {
      await w.hour(fundingArbitrage, params);
      expect(w.spot('BTC'), `hour ${h}: the trader's BTC was sold`).toBeGreaterThanOrEqual(0.5 - 1e-12);
    }
    const buys = spotFills(w, 'buy');
    const sells = spotFills(w, 'sell');
    expect(buys.length, 'two hedges entered').toBe(2);
    expect(sells.length, 'two hedges exited').toBe(2);
    // Each exit sells exactly what its entry put in the wallet (floored to the spot step), after it;
    // the dust under a step stays booked as ours and goes with the next hedge's coins.
    let dust = 0;
    for (const [i, sell] of sells.entries()) {
      const buy = buys[i]!;
      expect(sell.time).toBeGreaterThan(buy.time);
      const ours = received(w, buy.clientOrderId) + dust;
      expect(sell.quantity).toBe(floorToStep(ours, spotStep));
      dust = ours - sell.quantity;
    }
    expect(w.spot('BTC')).toBeGreaterThanOrEqual(0.5 - 1e-12);
    expect(w.spot('BTC') - 0.5, 'at most fee dust of ours is left').toBeLessThan(2 * spotStep);
    expect(w.sim.ledger.positions.size).toBe(0);
  });

  it('a halted account sends no spot sell; the hedge’s coins are sold (exactly) after the halt is lifted', async () => {
    const w = world([HIGH, HIGH, LOW, LOW, LOW, LOW, LOW, LOW]);
    await w.hour(fundingArbitrage, params); // entry
    const [buy] = spotFills(w, 'buy');
    expect(buy).toBeDefined();
    const halt = await w.store.setHalt(true, 'test: halted by the trader', w.sim.now(), 0);
    for (let h = 0; h < 24; h++) await w.hour(fundingArbitrage, params); // funding fell: exit signal
    expect(w.sim.ledger.positions.size, 'the perp leg is reduce-only: it closes').toBe(0);
    expect(spotFills(w, 'sell'), 'no spot sell while halted').toEqual([]);
    await w.store.setHalt(false, 'resumed', w.sim.now(), halt.version);
    await w.hour(fundingArbitrage, params);
    const sells = spotFills(w, 'sell');
    expect(sells).toHaveLength(1);
    expect(sells[0]!.quantity).toBe(
      floorToStep(received(w, buy!.clientOrderId), w.sim.markets.spot.BTCUSDT!.stepSize),
    );
    expect(w.spot('BTC')).toBeGreaterThanOrEqual(0.5 - 1e-12);
  });

  it('a paused strategy buys no spot; it unwinds its own hedge only together with the futures leg', async () => {
    const w = world([HIGH, HIGH, LOW, LOW, LOW, LOW, LOW, LOW]);
    await setStrategyPause(w.store, 'funding_arbitrage', {
      paused: true,
      reason: 'test: loss streak',
      since: w.sim.now(),
    });
    await w.hour(fundingArbitrage, params);
    expect(spotFills(w, 'buy'), 'a paused strategy enters nothing').toEqual([]);
    expect(w.sim.ledger.positions.size).toBe(0);

    await setStrategyPause(w.store, 'funding_arbitrage', { paused: false, reason: '', since: w.sim.now() });
    // The refused entry is seen as refused next tick (a hedge with no leg: nothing to flatten), then entered.
    for (let h = 0; h < 3; h++) await w.hour(fundingArbitrage, params);
    expect(spotFills(w, 'buy')).toHaveLength(1);
    expect(w.sim.ledger.positions.get('BTCUSDT')?.side).toBe('short');
    await setStrategyPause(w.store, 'funding_arbitrage', {
      paused: true,
      reason: 'test: loss streak',
      since: w.sim.now(),
    });
    for (let h = 0; h < 24; h++) await w.hour(fundingArbitrage, params); // exit while paused
    expect(w.sim.ledger.positions.size).toBe(0);
    expect(spotFills(w, 'sell')).toHaveLength(1);
    expect(w.spot('BTC')).toBeGreaterThanOrEqual(0.5 - 1e-12);
  });

  it('the tick refuses a spot sell beyond what the strategy holds, and a paused one while its perp stays open', async () => {
    const w = world([HIGH, HIGH, LOW, LOW, LOW]);
    await w.hour(fundingArbitrage, params); // a real hedge: perp short + our spot coins
    const held = received(w, spotFills(w, 'buy')[0]!.clientOrderId);
    const rogue = (quantity: number): Strategy =>
      ({
        ...fundingArbitrage,
        evaluate(input: Parameters<Strategy['evaluate']>[0]) {
          const out = fundingArbitrage.evaluate(input as never);
          const f = new IntentFactory('funding_arbitrage', input.view, {
            leverage: 2,
            marginMode: 'isolated',
          });
          f.add({ market: 'spot', side: 'sell', type: 'market', quantity, reason: 'rogue' });
          return { ...out, intents: f.intents };
        },
      }) as Strategy;
    const spotStep = w.sim.markets.spot.BTCUSDT!.stepSize;
    const tooMuch = await w.tick(rogue(floorToStep(held, spotStep) + 0.1), params);
    expect(tooMuch.kind === 'ticked' && tooMuch.rejected[0]?.reasons.join()).toMatch(/holds only/);
    await w.drain();
    w.sim.advance();
    await setStrategyPause(w.store, 'funding_arbitrage', { paused: true, reason: 'test', since: 0 });
    const paused = await w.tick(rogue(floorToStep(held, spotStep)), params);
    expect(paused.kind === 'ticked' && paused.rejected[0]?.reasons.join()).toMatch(/paused/);
    await w.drain();
    expect(spotFills(w, 'sell')).toEqual([]);
    expect(w.spot('BTC')).toBeCloseTo(0.5 + held, 9);
  });
});
