// The simulator on real series: the mark-price candles decide liquidation, unrealised PnL and funding;
// stops trigger on the last price (Binance's default workingType CONTRACT_PRICE); the spot leg fills at
// the spot candles; where a series is missing the stand-in is stated and spot orders are refused.
import { describe, expect, it } from 'vitest';
import { SpotMarketClosed } from '../../../shared/adapters/sim/errors.ts';
import { Simulator, type SimulatorOptions } from '../../../shared/adapters/sim/simulator.ts';
import { liquidationPriceWithBrackets } from '../../../shared/domain/futures-math.ts';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';
import { InvalidOrder } from '../../../shared/ports/exchange-errors.ts';
import { candles, funding, HOUR, T0 } from '../../support/candles.ts';

const BTC = 'BTCUSDT';
type Rows = Parameters<typeof candles>[0];
const FLAT = [60_000, 60_000, 60_000, 60_000] as const;
const NONE = [Number.NaN, Number.NaN, Number.NaN, Number.NaN] as const;

function sim(
  last: Rows,
  series: { mark?: Rows; spot?: Rows; funding?: [number, number][] } = {},
  o: Partial<SimulatorOptions> = {},
) {
  return new Simulator({
    data: {
      [BTC]: {
        candles: candles(last),
        ...(series.mark ? { mark: candles(series.mark) } : {}),
        ...(series.spot ? { spot: candles(series.spot) } : {}),
        ...(series.funding ? { funding: funding(series.funding) } : {}),
      },
    },
    initialWalletUsdt: 10_000,
    defaultLeverage: 10,
    ...o,
  });
}

/** A 10x isolated long of 0.1 BTC at 60,000: 600 USDT of margin. */
function openLong(s: Simulator) {
  s.createOrder({
    clientOrderId: 'L',
    symbol: BTC,
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity: 0.1,
  });
}

describe('liquidation follows the mark price, not the last price', () => {
  // Binance's isolated liquidation price for this long (tier 1 of BTCUSDT's brackets), from the
  // project's formula; about 54,300: 10 % below entry, plus the maintenance margin.
  const lp = liquidationPriceWithBrackets({
    side: 'long',
    marginMode: 'isolated',
    entryPrice: 60_000,
    quantity: 0.1,
    walletBalance: 600,
    brackets: leverageBracketsFor(BTC),
  });

  it('a last-price wick through the liquidation price while the mark stays above it: no liquidation', () => {
    expect(lp).toBeGreaterThan(52_000);
    expect(lp).toBeLessThan(56_000);
    const s = sim([FLAT, [60_000, 60_100, 50_000, 59_000], FLAT], {
      mark: [FLAT, [60_000, 60_050, 58_000, 59_000], FLAT],
    });
    openLong(s);
    s.advance();
    s.advance();
    expect(s.ledger.liquidations).toHaveLength(0);
    expect(s.ledger.positions.get(BTC)?.quantity).toBe(0.1);
  });

  it('the mark falls through the liquidation price while the last price does not: liquidated at that level, losing the margin', () => {
    const s = sim([FLAT, [60_000, 60_100, 58_000, 59_000], FLAT], {
      mark: [FLAT, [60_000, 60_050, 50_000, 59_000], FLAT],
    });
    openLong(s);
    const before = s.ledger.walletBalance;
    s.advance();
    s.advance();
    expect(s.ledger.liquidations).toHaveLength(1);
    expect(s.ledger.liquidations[0]!.liquidationPrice).toBeCloseTo(lp, 9);
    expect(s.ledger.liquidations[0]!.time).toBe(T0 + HOUR);
    expect(s.ledger.positions.has(BTC)).toBe(false);
    // Isolated: the wallet loses exactly the position's margin, 0.1 × 60,000 / 10.
    expect(s.ledger.walletBalance).toBeCloseTo(before - 600, 9);
  });

  it('unrealised PnL and the price the account sees are the mark', () => {
    const s = sim([FLAT, [61_000, 61_000, 61_000, 61_000]], {
      mark: [FLAT, [60_500, 60_500, 60_500, 60_500]],
    });
    openLong(s);
    s.advance();
    // 0.1 × (60,500 − 60,000) = 50 at the mark (the last price would say 100).
    expect(s.price(BTC)).toBe(60_500);
    expect(s.lastPrice(BTC)).toBe(61_000);
    expect(s.ledger.unrealized((x) => s.price(x))).toBeCloseTo(50, 9);
  });
});

describe('stops trigger on the last price (workingType CONTRACT_PRICE)', () => {
  function withStop(last: Rows, mark: Rows) {
    const s = sim(last, { mark });
    openLong(s);
    s.createOrder({
      clientOrderId: 'S',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'stop_market',
      stopPrice: 57_000,
      quantity: 0.1,
      reduceOnly: true,
    });
    s.advance();
    s.advance();
    return s;
  }

  it('the last price reaches the stop while the mark does not: the stop fills at its level', () => {
    const s = withStop(
      [FLAT, [60_000, 60_000, 56_500, 58_000], FLAT],
      [FLAT, [60_000, 60_000, 58_500, 58_000], FLAT],
    );
    expect(s.orderByClientId(BTC, 'S').status).toBe('filled');
    expect(s.orderByClientId(BTC, 'S').averagePrice).toBe(57_000);
  });

  it('the mark reaches the stop while the last price does not: the stop rests', () => {
    const s = withStop(
      [FLAT, [60_000, 60_000, 58_500, 58_000], FLAT],
      [FLAT, [60_000, 60_000, 56_500, 58_000], FLAT],
    );
    expect(s.orderByClientId(BTC, 'S').status).toBe('new');
  });
});

describe('funding is charged on the mark notional', () => {
  it('a 0.1 BTC short at a settlement where the mark is 61,000 and the last price 60,000 receives 0.1 × 61,000 × 0.0001', () => {
    const s = sim(
      [FLAT, FLAT, FLAT],
      { mark: [FLAT, [61_000, 61_000, 61_000, 61_000], FLAT], funding: [[T0 + HOUR, 0.0001]] },
      { defaultLeverage: 5 },
    );
    s.createOrder({
      clientOrderId: 'S',
      symbol: BTC,
      market: 'futures',
      side: 'sell',
      type: 'market',
      quantity: 0.1,
    });
    s.advance();
    expect(s.ledger.fundings).toHaveLength(1);
    expect(s.ledger.fundings[0]!.markPrice).toBe(61_000);
    expect(s.ledger.fundings[0]!.amount).toBeCloseTo(0.61, 12);
  });
});

describe('the spot leg fills at the spot series', () => {
  const spotRows: Rows = [
    [59_900, 59_950, 59_850, 59_900],
    [59_900, 59_950, 59_800, 59_850],
    [59_850, 59_900, 59_600, 59_700],
  ];

  it('a spot market buy fills at the spot candle’s open plus slippage, paying the spot fee', () => {
    const s = sim(
      [FLAT, FLAT, FLAT],
      { spot: spotRows },
      { slippagePct: 0.1, initialSpot: { USDT: 10_000 } },
    );
    const o = s.createOrder({
      clientOrderId: 'B',
      symbol: BTC,
      market: 'spot',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
    });
    // 59,900 × 1.001 = 59,959.9; fee 0.1 % of the value.
    expect(o.averagePrice).toBeCloseTo(59_959.9, 9);
    expect(o.fee).toBeCloseTo(0.1 * 59_959.9 * 0.001, 9);
    expect(s.spotPrice(BTC)).toBe(59_900);
  });

  it('a resting spot limit fills when the spot low trades through it, not when the perp’s does', () => {
    const perp: Rows = [FLAT, [60_000, 60_000, 59_000, 60_000], [60_000, 60_000, 59_000, 60_000]];
    const s = sim(perp, { spot: spotRows }, { initialSpot: { USDT: 10_000 } });
    s.createOrder({
      clientOrderId: 'B',
      symbol: BTC,
      market: 'spot',
      side: 'buy',
      type: 'limit',
      price: 59_750,
      quantity: 0.1,
    });
    s.advance();
    s.advance(); // spot low 59,800: not through 59,750 (the perp's 59,000 would have been)
    expect(s.orderByClientId(BTC, 'B').status).toBe('new');
    s.advance(); // spot low 59,600: fills at the limit
    expect(s.orderByClientId(BTC, 'B').status).toBe('filled');
    expect(s.orderByClientId(BTC, 'B').averagePrice).toBe(59_750);
  });
});

describe('where a series is missing', () => {
  it('a spot order inside a spot gap is refused (SpotMarketClosed), spot is valued at the last close, and the run notes it', () => {
    const s = sim(
      [FLAT, FLAT, FLAT, FLAT],
      { spot: [[59_900, 59_950, 59_850, 59_880], NONE, NONE, FLAT] },
      {
        initialSpot: { USDT: 10_000 },
      },
    );
    expect(s.spotTradable(BTC)).toBe(true);
    s.advance();
    expect(s.spotTradable(BTC)).toBe(false);
    expect(s.spotPrice(BTC)).toBe(59_880);
    const buy = () =>
      s.createOrder({
        clientOrderId: 'B',
        symbol: BTC,
        market: 'spot',
        side: 'buy',
        type: 'market',
        quantity: 0.1,
      });
    const refused = (() => {
      try {
        buy();
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toBeInstanceOf(SpotMarketClosed);
    expect(refused).toBeInstanceOf(InvalidOrder); // the executor's class: rejected, not retried
    expect(s.ledger.spot.get('USDT')).toBe(10_000);
    s.advance();
    s.advance();
    expect(s.spotTradable(BTC)).toBe(true);
    expect(buy().status).toBe('filled'); // the refused id was never taken
    s.advance();
    const notes = s.dataNotes().join('\n');
    expect(notes).toMatch(/BTCUSDT spot: .*1 gap \(2 bars\): 2026-09-01 01:00 \(2\)/);
    expect(notes).toMatch(/BTCUSDT spot: 1 spot order refused/);
  });

  it('without mark data for part of the run the last price stands in, and the notes say for which span', () => {
    const s = sim([FLAT, FLAT, [60_000, 60_000, 50_000, 60_000], FLAT], { mark: [FLAT, FLAT, NONE, NONE] });
    openLong(s);
    s.advance();
    s.advance();
    s.advance(); // the last-price wick to 50,000 is now the mark: liquidated
    expect(s.ledger.liquidations).toHaveLength(1);
    s.advance();
    expect(s.dataNotes()).toContain(
      'BTCUSDT mark: mark-price candles 2026-09-01 00:00 → 2026-09-01 01:00; last price stands in for 2026-09-01 02:00 → 2026-09-01 03:00 (no mark data)',
    );
  });

  it('a dataset without spot data uses perp × (1 − spotBasisPct) and says so', () => {
    const s = sim([FLAT, FLAT], {}, { spotBasisPct: 0.5 });
    expect(s.spotPrice(BTC)).toBeCloseTo(59_700, 9);
    expect(s.spotTradable(BTC)).toBe(true);
    expect(s.dataNotes().join('\n')).toMatch(
      /BTCUSDT spot: no spot data: perp price × \(1 − 0\.5 %\) stands in/,
    );
    expect(s.dataNotes().join('\n')).toMatch(
      /BTCUSDT mark: no mark-price data: the last-price candles stand in/,
    );
  });
});

describe('PERCENT_PRICE bounds a futures limit by the mark', () => {
  it('mark 60,000, last 57,000: a buy limit at 62,000 passes (≤ 60,000 × 1.05 = 63,000), one at 63,500 is refused', () => {
    const s = sim([[57_000, 57_000, 57_000, 57_000]], { mark: [FLAT] });
    const limit = (id: string, price: number) =>
      s.createOrder({
        clientOrderId: id,
        symbol: BTC,
        market: 'futures',
        side: 'buy',
        type: 'limit',
        price,
        quantity: 0.01,
      });
    // Against the last price the bound would be 57,000 × 1.05 = 59,850 and 62,000 refused. A buy limit
    // above the last price is marketable: it takes the last price.
    expect(limit('a', 62_000).averagePrice).toBe(57_000);
    expect(() => limit('b', 63_500)).toThrow(/PERCENT_PRICE/);
  });
});
