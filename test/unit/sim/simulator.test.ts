import { describe, expect, it } from 'vitest';
import { Simulator } from '../../../shared/adapters/sim/simulator.ts';
import { fundingFee, liquidationPriceWithBrackets } from '../../../shared/domain/futures-math.ts';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';
import {
  DuplicateClientOrderId,
  InsufficientMargin,
  InvalidOrder,
} from '../../../shared/ports/exchange-errors.ts';
import { candles, flat, funding, HOUR, T0 } from '../../support/candles.ts';

const BTC = 'BTCUSDT';

function sim(c: ReturnType<typeof candles>, extra: Partial<ConstructorParameters<typeof Simulator>[0]> = {}) {
  return new Simulator({
    data: { [BTC]: { candles: c, ...(extra.data?.[BTC] ?? {}) } },
    ...extra,
    initialWalletUsdt: extra.initialWalletUsdt ?? 10_000,
  });
}

describe('market orders', () => {
  it('fill at the price available to the clock (the open of the current candle) plus slippage, paying taker fee', () => {
    const s = sim(
      candles([
        [60_000, 60_500, 59_500, 60_200],
        [60_200, 60_300, 60_100, 60_250],
      ]),
      { slippagePct: 0.1 },
    );
    const o = s.createOrder({
      clientOrderId: 'a1',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
    });
    expect(o.status).toBe('filled');
    expect(o.averagePrice).toBeCloseTo(60_000 * 1.001, 9);
    expect(o.fee).toBeCloseTo(0.1 * 60_060 * 0.0005, 9);
    expect(s.ledger.walletBalance).toBeCloseTo(10_000 - o.fee, 9);
  });
});

describe('funding', () => {
  it('a 10x long held across three funding times pays exactly the sum of fundingFee for those times', () => {
    // 25 hourly candles from 00:00 with prices drifting; funding settles at 08:00, 16:00 and 24:00.
    const rows = Array.from({ length: 26 }, (_, i) => {
      const p = 60_000 + i * 10;
      return [p, p + 5, p - 5, p + 10] as const;
    });
    const rates = [0.0001, 0.00025, -0.00005];
    const s = sim(candles(rows, T0), {
      data: {
        [BTC]: {
          candles: candles(rows, T0),
          funding: funding([
            [T0, 0.5],
            [T0 + 8 * HOUR, rates[0]!],
            [T0 + 16 * HOUR, rates[1]!],
            [T0 + 24 * HOUR, rates[2]!],
          ]),
        },
      },
      defaultLeverage: 10,
    });
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.5,
    });
    const walletAfterOpen = s.ledger.walletBalance;
    while (!s.finished) s.advance();
    // The 00:00 rate (already at the start instant) is not settled; the three later ones are, at the
    // mark (the open of the candle at each funding time).
    const expected = [8, 16, 24].reduce(
      (sum, h, i) =>
        sum + fundingFee({ side: 'long', quantity: 0.5, markPrice: rows[h]![0], fundingRate: rates[i]! }),
      0,
    );
    expect(s.ledger.fundings).toHaveLength(3);
    expect(s.ledger.fundingPnl).toBeCloseTo(expected, 10);
    expect(s.ledger.walletBalance - walletAfterOpen).toBeCloseTo(expected, 10);
  });
});

describe('liquidation', () => {
  it('a 20x long into a 6 % drop is liquidated at the liquidationPrice price, losing its margin plus fees', () => {
    const s = sim(
      candles([
        [60_000, 60_000, 60_000, 60_000],
        [60_000, 60_100, 56_400, 56_500],
        [56_500, 56_600, 56_400, 56_500],
      ]),
      {
        defaultLeverage: 20,
      },
    );
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.5,
    });
    const margin = (0.5 * 60_000) / 20;
    const fee = 0.5 * 60_000 * 0.0005;
    const expectedPrice = liquidationPriceWithBrackets({
      side: 'long',
      marginMode: 'isolated',
      entryPrice: 60_000,
      quantity: 0.5,
      walletBalance: margin,
      brackets: leverageBracketsFor(BTC),
    });
    s.advance(); // the flat candle
    s.advance(); // the 6 % drop
    expect(s.ledger.positions.size).toBe(0);
    expect(s.ledger.liquidations).toHaveLength(1);
    expect(s.ledger.liquidations[0]!.liquidationPrice).toBeCloseTo(expectedPrice, 9);
    expect(10_000 - s.ledger.walletBalance).toBeCloseTo(margin + fee, 9);
  });

  it('a gap through the liquidation price still loses only the isolated margin', () => {
    const s = sim(
      candles([
        [60_000, 60_000, 60_000, 60_000],
        [50_000, 50_000, 49_000, 49_500],
      ]),
      { defaultLeverage: 20 },
    );
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.5,
    });
    s.advance();
    s.advance();
    expect(10_000 - s.ledger.walletBalance).toBeCloseTo(1_500 + 15, 9);
  });
});

describe('stops, targets and limits inside a candle', () => {
  const setup = (rows: Parameters<typeof candles>[0], slippagePct = 0) => {
    const s = sim(candles(rows), { slippagePct });
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
    });
    return s;
  };

  it('a stop-loss inside a candle fills at the stop plus slippage, not at the close', () => {
    const s = setup(
      [
        [60_000, 60_000, 60_000, 60_000],
        [60_000, 60_100, 58_500, 59_900],
      ],
      0.05,
    );
    s.createOrder({
      clientOrderId: 'sl',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity: 0.1,
      stopPrice: 59_000,
      reduceOnly: true,
    });
    s.advance();
    expect(s.ledger.positions.size).toBe(1);
    s.advance();
    const sl = s.orderByClientId(BTC, 'sl');
    expect(sl.status).toBe('filled');
    expect(sl.averagePrice).toBeCloseTo(59_000 * (1 - 0.0005), 9);
    expect(s.ledger.positions.size).toBe(0);
  });

  it('a gap through the stop fills at the open, the worse price', () => {
    const s = setup([
      [60_000, 60_000, 60_000, 60_000],
      [58_000, 58_200, 57_800, 58_100],
    ]);
    s.createOrder({
      clientOrderId: 'sl',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity: 0.1,
      stopPrice: 59_000,
      reduceOnly: true,
    });
    s.advance();
    s.advance();
    expect(s.orderByClientId(BTC, 'sl').averagePrice).toBe(58_000);
  });

  it('stop and target in the same candle: the stop fills (conservative path), the target is cancelled', () => {
    const s = setup([
      [60_000, 60_000, 60_000, 60_000],
      [60_000, 61_500, 58_500, 60_000],
    ]);
    s.createOrder({
      clientOrderId: 'sl',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity: 0.1,
      stopPrice: 59_000,
      reduceOnly: true,
    });
    s.createOrder({
      clientOrderId: 'tp',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'take_profit_market',
      quantity: 0.1,
      stopPrice: 61_000,
      reduceOnly: true,
    });
    s.advance();
    s.advance();
    expect(s.orderByClientId(BTC, 'sl').status).toBe('filled');
    expect(s.orderByClientId(BTC, 'tp').status).toBe('canceled');
  });

  it('a take-profit fills at its level with no slippage benefit beyond it', () => {
    const s = setup([
      [60_000, 60_000, 60_000, 60_000],
      [60_000, 61_500, 59_900, 61_200],
    ]);
    s.createOrder({
      clientOrderId: 'tp',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'take_profit_market',
      quantity: 0.1,
      stopPrice: 61_000,
      reduceOnly: true,
    });
    s.advance();
    s.advance();
    expect(s.orderByClientId(BTC, 'tp').averagePrice).toBe(61_000);
  });

  it('a resting limit fills at its price, as maker, only when the price trades through it', () => {
    const s = sim(
      candles([
        [60_000, 60_000, 60_000, 60_000],
        [60_000, 60_100, 59_500, 59_800],
        [59_800, 59_900, 59_400, 59_600],
      ]),
    );
    s.createOrder({
      clientOrderId: 'lim',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'limit',
      quantity: 0.1,
      price: 59_500,
    });
    s.advance();
    s.advance(); // low touches 59,500 but does not trade through
    expect(s.orderByClientId(BTC, 'lim').status).toBe('new');
    s.advance();
    const o = s.orderByClientId(BTC, 'lim');
    expect(o.status).toBe('filled');
    expect(o.averagePrice).toBe(59_500);
    expect(o.fee).toBeCloseTo(0.1 * 59_500 * 0.0002, 9);
  });

  it('refuses a stop that would trigger immediately', () => {
    const s = setup([[60_000, 60_000, 60_000, 60_000]]);
    expect(() =>
      s.createOrder({
        clientOrderId: 'sl',
        symbol: BTC,
        market: 'futures',
        side: 'sell',
        type: 'stop_market',
        quantity: 0.1,
        stopPrice: 60_500,
        reduceOnly: true,
      }),
    ).toThrow(/immediately trigger/);
  });
});

describe('one-way mode and reduce-only', () => {
  it('reduce-only cannot flip a position: it closes at most what is open', () => {
    const s = sim(flat(3, 60_000));
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    const o = s.createOrder({
      clientOrderId: 'close',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.02,
      reduceOnly: true,
    });
    expect(o.filledQuantity).toBeCloseTo(0.01, 12);
    expect(s.ledger.positions.size).toBe(0);
  });

  it('reduce-only with nothing to reduce is rejected and changes nothing', () => {
    const s = sim(flat(3, 60_000));
    expect(() =>
      s.createOrder({
        clientOrderId: 'x',
        symbol: BTC,
        market: 'futures',
        side: 'sell',
        type: 'market',
        quantity: 0.01,
        reduceOnly: true,
      }),
    ).toThrow(InvalidOrder);
    expect(s.ledger.walletBalance).toBe(10_000);
  });

  it('a plain opposite order larger than the position flips it (one-way mode)', () => {
    const s = sim(flat(3, 60_000));
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    s.createOrder({
      clientOrderId: 'flip',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.03,
    });
    const p = s.ledger.positions.get(BTC)!;
    expect(p.side).toBe('short');
    expect(p.quantity).toBeCloseTo(0.02, 12);
  });

  it('a partial close realises PnL on the closed part and keeps the entry price', () => {
    const s = sim(
      candles([
        [60_000, 60_000, 60_000, 60_000],
        [61_000, 61_000, 61_000, 61_000],
      ]),
    );
    s.createOrder({
      clientOrderId: 'open',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
    });
    s.advance();
    s.createOrder({
      clientOrderId: 'half',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.04,
      reduceOnly: true,
    });
    const p = s.ledger.positions.get(BTC)!;
    expect(p.quantity).toBeCloseTo(0.06, 12);
    expect(p.entryPrice).toBe(60_000);
    expect(s.ledger.fills.at(-1)!.realizedPnl).toBeCloseTo(40, 9);
  });

  it('closing 0.3 in parts of 0.2 and 0.1 leaves exactly nothing: no float residue turns the last part into a flip', () => {
    const s = sim(candles([[6_000, 6_000, 6_000, 6_000]]));
    const order = (id: string, side: 'buy' | 'sell', quantity: number) =>
      s.createOrder({ clientOrderId: id, symbol: BTC, market: 'futures', side, type: 'market', quantity });
    order('open', 'buy', 0.3);
    order('part', 'sell', 0.2);
    expect(s.ledger.positions.get(BTC)!.quantity).toBe(0.1);
    order('rest', 'sell', 0.1);
    expect(s.ledger.positions.has(BTC)).toBe(false);
    order('again', 'buy', 0.1);
    order('more', 'buy', 0.2);
    expect(s.ledger.positions.get(BTC)!.quantity).toBe(0.3);
  });
});

describe('exchange rules', () => {
  it('a second order with the same clientOrderId is rejected; fetch by id finds the first', () => {
    const s = sim(flat(3, 60_000));
    const first = s.createOrder({
      clientOrderId: 'dup',
      symbol: BTC,
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 0.01,
    });
    expect(() =>
      s.createOrder({
        clientOrderId: 'dup',
        symbol: BTC,
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 0.01,
      }),
    ).toThrow(DuplicateClientOrderId);
    expect(s.orderByClientId(BTC, 'dup')).toEqual(first);
    expect(s.ledger.positions.get(BTC)!.quantity).toBeCloseTo(0.01, 12);
  });

  it.each([
    ['a quantity off the step size', { quantity: 0.0015 }],
    ['a notional under the minimum', { quantity: 0.001 }],
    ['a limit price off the tick', { type: 'limit' as const, price: 59_000.05 }],
    ['an unknown symbol', { symbol: 'DOGEUSDT' }],
  ])('rejects %s', (_name, patch) => {
    const s = sim(flat(3, 60_000));
    expect(() =>
      s.createOrder({
        clientOrderId: 'x',
        symbol: BTC,
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 0.01,
        ...patch,
      }),
    ).toThrow(InvalidOrder);
  });

  it('rejects an order the margin cannot carry, leaving the books untouched', () => {
    const s = sim(flat(3, 60_000), { initialWalletUsdt: 100 });
    expect(() =>
      s.createOrder({
        clientOrderId: 'big',
        symbol: BTC,
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 0.1,
      }),
    ).toThrow(InsufficientMargin);
    expect(s.ledger.walletBalance).toBe(100);
    expect(s.ledger.positions.size).toBe(0);
  });

  it('caps leverage by the bracket: 125x is refused above the first tier', () => {
    const s = sim(flat(3, 60_000), { initialWalletUsdt: 100_000 });
    s.setLeverage(BTC, 125);
    expect(() =>
      s.createOrder({
        clientOrderId: 'big',
        symbol: BTC,
        market: 'futures',
        side: 'buy',
        type: 'market',
        quantity: 1,
      }),
    ).toThrow(/maximum allowable position/);
  });
});

describe('spot account', () => {
  it('buys and sells the hedge leg at the perp price less the basis, the buy fee taken in the coin bought', () => {
    const s = new Simulator({
      data: { [BTC]: { candles: flat(3, 60_000) } },
      initialSpot: { USDT: 10_000 },
      spotBasisPct: 0.1,
    });
    s.createOrder({
      clientOrderId: 'sb',
      symbol: BTC,
      market: 'spot',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
    });
    expect(s.ledger.spot.get('BTC')).toBeCloseTo(0.1 * (1 - 0.001), 12);
    expect(s.ledger.spot.get('USDT')).toBeCloseTo(10_000 - 0.1 * 59_940, 9);
    expect(() =>
      s.createOrder({
        clientOrderId: 'ss',
        symbol: BTC,
        market: 'spot',
        side: 'sell',
        type: 'market',
        quantity: 0.2,
      }),
    ).toThrow(InsufficientMargin);
  });
});

describe("saved state (the local runtime's --persist)", () => {
  it('a simulator restored mid-run from JSON continues exactly like the one that never stopped', () => {
    const rows = [60_000, 60_500, 59_000, 61_000, 62_500, 61_500, 58_000, 60_000].map(
      (p) => [p, p * 1.01, p * 0.99, p] as const,
    );
    const make = () => sim(candles(rows));
    const buy = (x: Simulator, clientOrderId: string, quantity: number) =>
      x.createOrder({ clientOrderId, symbol: BTC, market: 'futures', side: 'buy', type: 'market', quantity });
    const a = make();
    buy(a, 'open', 0.05);
    a.createOrder({
      clientOrderId: 'stop',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      quantity: 0.05,
      stopPrice: 58_500,
      reduceOnly: true,
    });
    a.advance();
    a.advance();
    const b = make();
    b.loadState(JSON.parse(JSON.stringify(a.saveState())));
    for (const x of [a, b]) {
      x.advance();
      buy(x, 'add', 0.01);
      while (!x.finished) x.advance();
    }
    expect(b.ledger.fills).toEqual(a.ledger.fills);
    expect(b.ledger.walletBalance).toBe(a.ledger.walletBalance);
    expect(b.openOrders(BTC)).toEqual(a.openOrders(BTC));
    expect(a.ledger.fills.some((f) => f.clientOrderId === 'stop')).toBe(true); // the restored stop fired
    expect(() => buy(b, 'open', 0.01)).toThrow(DuplicateClientOrderId);
  });
});
