// Brackets in the domain: what an intent may carry, the legs it turns into, scaled take-profits in R.
import { describe, expect, it } from 'vitest';
import {
  BracketInvalid,
  bracketLegId,
  bracketLegs,
  scaledTakeProfits,
  takeProfitQuantities,
} from '../../../shared/domain/bracket.ts';
import { type BracketTrack, planBracket, positionAsSeen } from '../../../shared/domain/bracket-plan.ts';
import { type OrderIntentInput, OrderIntentSchema } from '../../../shared/domain/order.ts';

const entry = (over: Partial<OrderIntentInput> = {}): OrderIntentInput => ({
  id: 'ac-parent',
  strategy: 'telegram',
  symbol: 'BTCUSDT',
  market: 'futures',
  side: 'buy',
  type: 'market',
  quantity: 0.01,
  leverage: 5,
  marginMode: 'isolated',
  createdAt: 0,
  bracket: { stopPrice: 58_000, takeProfits: [{ price: 63_000, fraction: 1 }] },
  ...over,
});

describe('an intent carrying a bracket', () => {
  it.each([
    [
      'a long whose take-profit is below its stop',
      entry({ bracket: { stopPrice: 58_000, takeProfits: [{ price: 57_000, fraction: 1 }] } }),
    ],
    [
      'a short whose take-profit is above its stop',
      entry({ side: 'sell', bracket: { stopPrice: 62_000, takeProfits: [{ price: 63_000, fraction: 1 }] } }),
    ],
    [
      'take-profits adding up to more than the position',
      entry({
        bracket: {
          stopPrice: 58_000,
          takeProfits: [
            { price: 61_000, fraction: 0.6 },
            { price: 62_000, fraction: 0.6 },
          ],
        },
      }),
    ],
    [
      'a zero fraction',
      entry({ bracket: { stopPrice: 58_000, takeProfits: [{ price: 61_000, fraction: 0 }] } }),
    ],
    ['a NaN stop', entry({ bracket: { stopPrice: Number.NaN } })],
    ['a reduce-only order', entry({ reduceOnly: true })],
    ['a limit entry', entry({ type: 'limit', price: 59_000 })],
  ])('is refused: %s', (_, input) => {
    expect(OrderIntentSchema.safeParse(input).success).toBe(false);
  });

  it('turns into a full-size stop and its take-profits, with ids derived from the entry', () => {
    const legs = bracketLegs(OrderIntentSchema.parse(entry()), 0.001);
    expect(
      legs.map((l) => [l.id, l.type, l.side, l.quantity, l.stopPrice, l.reduceOnly, l.bracketOf]),
    ).toEqual([
      [bracketLegId('ac-parent', 'stop:0'), 'stop_market', 'sell', 0.01, 58_000, true, 'ac-parent'],
      [bracketLegId('ac-parent', 'tp:0'), 'take_profit_market', 'sell', 0.01, 63_000, true, 'ac-parent'],
    ]);
    expect(bracketLegId('ac-parent', 'stop:0')).toMatch(/^ac-[0-9a-f]{32}$/);
    expect(bracketLegId('ac-parent', 'stop:0')).not.toBe(bracketLegId('ac-other', 'stop:0'));
  });
});

describe('takeProfitQuantities', () => {
  it('floors each share to the step and gives the last the remainder when they add up to the whole', () => {
    // 0.011 × 1/3 = 0.00366… → 0.003; twice → 0.006; the last takes 0.011 − 0.006 = 0.005.
    expect(
      takeProfitQuantities(
        0.011,
        [1 / 3, 1 / 3, 1 / 3].map((fraction) => ({ price: 1, fraction })),
        0.001,
      ),
    ).toEqual([0.003, 0.003, 0.005]);
  });
  it('refuses a take-profit under one step', () => {
    expect(() => takeProfitQuantities(0.001, [{ price: 1, fraction: 0.5 }], 0.001)).toThrow(BracketInvalid);
  });
});

describe('scaledTakeProfits', () => {
  it('50 % at 1.5 R and the rest at 3 R', () => {
    // Long from 60,000 with the stop at 58,000: R = 2,000; 1.5 R → 63,000, 3 R → 66,000.
    expect(
      scaledTakeProfits({
        side: 'long',
        entryPrice: 60_000,
        stopPrice: 58_000,
        levels: [
          { r: 1.5, fraction: 0.5 },
          { r: 3, fraction: 0.5 },
        ],
        tickSize: 0.1,
      }),
    ).toEqual([
      { price: 63_000, fraction: 0.5 },
      { price: 66_000, fraction: 0.5 },
    ]);
  });
});

describe('planBracket', () => {
  const track: BracketTrack = {
    parentId: 'ac-parent',
    symbol: 'BTCUSDT',
    strategy: 'telegram',
    side: 'long',
    quantity: 0.01,
    legIds: [bracketLegId('ac-parent', 'stop:0'), bracketLegId('ac-parent', 'tp:0')],
    stopIds: [],
    resizes: 0,
    breakEvenAfterFirst: true,
    registeredAt: 0,
  };
  const stop = {
    clientOrderId: track.legIds[0]!,
    type: 'stop_market',
    side: 'sell' as const,
    reduceOnly: true,
    quantity: 0.01,
    stopPrice: 58_000,
  };
  const base = { stepSize: 0.001, tickSize: 0.1, slotTime: 1_000, legsSettled: true };

  it('does not move the stop to break-even where it would trigger at once (the mark below the entry)', () => {
    const plan = planBracket({
      ...base,
      track,
      position: { side: 'long', quantity: 0.005, entryPrice: 60_000, markPrice: 59_000, openedAt: 0 },
      open: [stop],
    });
    expect(plan.resize).toMatchObject({ fromId: stop.clientOrderId, quantity: 0.005, stopPrice: 58_000 });
  });

  // Not another openedAt: on Binance openedAt is updateTime, which moves at every change of the position
  // (test/integration/review/bracket-binance-update-time.test.ts).
  it("a different position (the other side) is not the bracket's: its legs are cancelled", () => {
    const plan = planBracket({
      ...base,
      track: { ...track, openedAt: 5 },
      position: { side: 'short', quantity: 0.01, entryPrice: 60_000, markPrice: 60_000, openedAt: 9 },
      open: [stop, { ...stop, clientOrderId: 'someone-elses', quantity: 0.01 }],
    });
    expect(plan.cancels).toEqual([stop.clientOrderId]);
    expect(plan.done).toBe(false);
  });
  // The live monitor sets breakEvenDone false when the break-even stop it queued was refused
  // (shared/app/monitors/bracket-retries.ts): the old stop (58,000, the whole 0.01) is still the best.
  it('a refused break-even (breakEvenDone false) is decided again with the position unchanged', () => {
    const seen = { ...track, quantity: 0.005, openedAt: 0, resizes: 1, breakEvenDone: false };
    const position = {
      side: 'long' as const,
      quantity: 0.005,
      entryPrice: 60_000,
      markPrice: 62_000,
      openedAt: 0,
    };
    const plan = planBracket({ ...base, track: seen, position, open: [stop] });
    expect(plan.resize).toEqual({
      fromId: stop.clientOrderId,
      id: bracketLegId('ac-parent', 'stop:2'),
      quantity: 0.005,
      stopPrice: 60_000,
      breakEven: true,
    });
    expect(plan.track.breakEvenDone).toBe(true);
    // Decided (done or not yet known): the same position asks for nothing.
    expect(
      planBracket({ ...base, track: { ...seen, breakEvenDone: true }, position, open: [stop] }).resize,
    ).toBeUndefined();
    // The backtester's shortcut skips a plan only for a track with nothing due.
    expect(positionAsSeen(seen, position)).toBe(false);
    expect(positionAsSeen({ ...seen, breakEvenDone: true }, position)).toBe(true);
  });
});
