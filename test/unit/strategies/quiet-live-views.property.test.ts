// The quiet-tick shortcuts of long_short_switch (quietTick) and funding_arbitrage (funding-quiet.ts) are
// held to their full decisions on six years of backtests (long-short-switch-quiet.test.ts,
// funding-quiet.test.ts). A backtest never shows what a live tick can: someone else's orders on the
// symbol, the trader's own position or coins, a stop moved or cancelled by hand, cross margin, a state
// read back from DynamoDB. Here the account, the open orders and the stored state are arbitrary, and
// every answer a shortcut gives is held to the full decision's on a JSON copy of the same state
// (intents, cancels, notes, margin moves and the state itself, key order aside: DynamoDB keeps none).
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FuturesOrder } from '../../../shared/domain/order.ts';
import { actOnFunding, fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { advanceHistory } from '../../../shared/strategies/funding-carry.ts';
import type { FundingArbitrageState } from '../../../shared/strategies/funding-params.ts';
import {
  actOnTrend,
  type LongShortSwitchState,
  longShortSwitch,
  quietTick,
} from '../../../shared/strategies/long-short-switch.ts';
import type { Trend } from '../../../shared/strategies/switch-indicators.ts';
import { flat, HOUR } from '../../support/candles.ts';
import { accountWith, openOrder, positionOf, viewAt } from '../../support/strategy-harness.ts';

/** What a state store gives back: a JSON copy (undefined values gone). */
const stored = <T>(x: T): T => (x === undefined ? x : JSON.parse(JSON.stringify(x)));

const IDS = ['ours-1', 'ours-2', 'foreign', 'by-hand'] as const;

const orderArb = fc
  .record({
    id: fc.constantFrom(...IDS),
    type: fc.constantFrom('stop_market', 'take_profit_market', 'limit'),
    side: fc.constantFrom('buy', 'sell'),
    reduceOnly: fc.boolean(),
    stopPrice: fc.integer({ min: 55_000, max: 65_000 }),
  })
  .map(
    (o): FuturesOrder =>
      o.type === 'limit'
        ? openOrder(o.id, { type: 'limit', side: o.side, price: o.stopPrice, reduceOnly: o.reduceOnly })
        : openOrder(o.id, { type: o.type, side: o.side, stopPrice: o.stopPrice, reduceOnly: o.reduceOnly }),
  );

/** Ours, the trader's own or half-filled: any side and size, liquidation anywhere (0: out of reach). */
const positionArb = fc.option(
  fc
    .record({
      side: fc.constantFrom('long', 'short'),
      quantity: fc.constantFrom(0.01, 0.02, 0.05),
      liquidationPrice: fc.constantFrom(0, 40_000, 61_000, 64_000, 75_000, 120_000),
    })
    .map((p) => positionOf({ ...p, entryPrice: 60_000 })),
  { nil: undefined },
);

describe('long_short_switch: a quiet tick on a live account view answers as the full decision would', () => {
  it('any stored state, trend, position and open orders', () => {
    const params = longShortSwitch.paramsSchema.parse({ confirmBars: 2 });
    const stateArb = fc.option(
      fc.record(
        {
          signal: fc.constantFrom<Trend>('up', 'down', 'none'),
          held: fc.integer({ min: 0, max: 4 }),
          stop: fc.record({
            id: fc.constantFrom(...IDS),
            price: fc.integer({ min: 55_000, max: 65_000 }),
            extreme: fc.integer({ min: 55_000, max: 65_000 }),
            side: fc.constantFrom('long', 'short'),
          }),
        },
        { requiredKeys: ['signal', 'held'] },
      ),
      { nil: undefined },
    );
    let quiet = 0;
    fc.assert(
      fc.property(
        stateArb,
        fc.constantFrom<Trend>('up', 'down', 'none'),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 57_000, max: 63_000 }),
        positionArb,
        fc.array(orderArb, { maxLength: 4 }),
        (state: LongShortSwitchState | undefined, trend, held, mark, position, openOrders) => {
          const view = viewAt(flat(30, 60_000), 20, { markPrice: mark });
          const account = accountWith({ position, openOrders });
          const got = quietTick(stored(state), undefined, trend, held, view, account, params);
          if (!got) return;
          quiet++;
          const want = actOnTrend({ view, account, params, state: stored(state) }, undefined, trend, held);
          const a = [got.intents, got.cancels, got.notes, got.state];
          const b = [want.intents, want.cancels, want.notes, want.state];
          if (!isDeepStrictEqual(a, b)) expect(a).toStrictEqual(b);
        },
      ),
      { numRuns: 20_000 },
    );
    // Not vacuous: flat and held quiet ticks alike (about a tenth of the draws).
    expect(quiet).toBeGreaterThan(500);
  });
});

describe('funding_arbitrage: a quiet tick on a live account view answers as the full decision would', () => {
  it('any stored state, position, coins, open orders, margin mode and market', () => {
    const params = fundingArbitrage.paramsSchema.parse({});
    const view0 = viewAt(flat(30, 60_000), 20);
    const stateArb = fc
      .record(
        {
          hedge: fc.record(
            {
              quantity: fc.constantFrom(0.01, 0.02, 0.05),
              entryBasisPct: fc.constant(0.1),
              stopId: fc.constantFrom(...IDS),
              stopPrice: fc.constantFrom(38_800, 59_000, 59_170, 62_080, 72_750, 130_000),
              enteredAt: fc.constantFrom(view0.time - 200 * HOUR, view0.time - HOUR),
            },
            { requiredKeys: ['quantity', 'entryBasisPct', 'stopId'] },
          ),
          spot: fc.record({ quantity: fc.constantFrom(0, 0.00001, 0.01, 0.02, 0.05) }),
          fundAskedAt: fc.constant(view0.time - HOUR),
          settled: fc.array(fc.constantFrom(0.0001, 0.0004, -0.0001, 0), { maxLength: 9 }),
          predicted: fc.constantFrom(0.0001, 0.0005, -0.0002),
          next: fc.constantFrom(view0.nextFundingTime, view0.nextFundingTime - 8 * HOUR),
        },
        { requiredKeys: ['settled', 'predicted', 'next'] },
      )
      .map(
        ({ settled, predicted, next, ...rest }): FundingArbitrageState => ({
          ...rest,
          funding: { next, predicted, settled },
        }),
      );
    let quiet = 0;
    fc.assert(
      fc.property(
        stateArb,
        fc.integer({ min: 57_000, max: 63_000 }),
        positionArb,
        fc.array(orderArb, { maxLength: 4 }),
        fc.constantFrom(0, 0.01, 0.02, 0.05, 0.3),
        fc.boolean(),
        fc.constantFrom(0.0001, -0.0001, 0.001),
        fc.constantFrom('isolated', 'cross') as fc.Arbitrary<'isolated' | 'cross'>,
        (state, mark, position, openOrders, spotBase, spotTradable, fundingRate, marginMode) => {
          const view = { ...view0, markPrice: mark, spotPrice: mark, spotTradable, fundingRate };
          const account = accountWith({ position, openOrders, spotBase, marginMode, spotUsdt: 500 });
          const got = fundingArbitrage.evaluate({ view, account, params, state: stored(state) });
          if (!Object.isFrozen(got.intents)) return; // the full decision answered: nothing to compare
          quiet++;
          const copy = stored(state);
          const funding = advanceHistory(copy.funding, view, params.smoothingSettlements);
          const want = actOnFunding({ view, account, params, state: copy }, funding);
          const a = [got.intents, got.cancels, got.notes, got.marginActions, got.state];
          const b = [want.intents, want.cancels, want.notes, want.marginActions, want.state];
          if (!isDeepStrictEqual(a, b)) expect(a).toStrictEqual(b);
        },
      ),
      { numRuns: 20_000 },
    );
    expect(quiet).toBeGreaterThan(500);
  });
});
