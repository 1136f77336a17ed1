import { describe, expect, it } from 'vitest';
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';
import { type OrderIntentInput, OrderIntentSchema } from '../../../shared/domain/order.ts';
import type { AccountSnapshot, FuturesPosition } from '../../../shared/domain/position.ts';
import { checkIntent, type RiskMarket } from '../../../shared/domain/risk/check-intent.ts';
import { DEFAULT_RISK_LIMITS } from '../../../shared/domain/risk/limits.ts';

const market: RiskMarket = {
  markPrice: 60_000,
  tickSize: 0.1,
  stepSize: 0.001,
  minQuantity: 0.001,
  minNotional: 100,
  brackets: leverageBracketsFor('BTCUSDT'),
};

function intent(p: Partial<OrderIntentInput> = {}) {
  return OrderIntentSchema.parse({
    id: 'ac-test',
    strategy: 'test',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity: 0.02,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: 0,
    ...p,
  });
}

function position(p: Partial<FuturesPosition> = {}): FuturesPosition {
  return {
    symbol: 'BTCUSDT',
    side: 'long',
    quantity: 0.02,
    entryPrice: 60_000,
    markPrice: 60_000,
    leverage: 5,
    marginMode: 'isolated',
    isolatedMargin: 240,
    unrealizedPnl: 0,
    liquidationPrice: 48_000,
    maintenanceMargin: 4.8,
    openedAt: 0,
    ...p,
  };
}

function account(p: Partial<AccountSnapshot> = {}): AccountSnapshot {
  return {
    takenAt: 0,
    walletBalance: 10_000,
    equity: 10_000,
    startOfDayEquity: 10_000,
    realizedPnlToday: 0,
    availableBalance: 10_000,
    positions: [],
    halted: false,
    spotBalances: {},
    ...p,
  };
}

const reasons = (i = intent(), a = account()) => {
  const d = checkIntent(i, a, DEFAULT_RISK_LIMITS, market);
  return d.reasons.join(' | ');
};

describe('checkIntent', () => {
  it('accepts a small isolated entry within every limit', () => {
    expect(checkIntent(intent(), account(), DEFAULT_RISK_LIMITS, market)).toEqual({
      accepted: true,
      reasons: [],
    });
  });

  it('rejects everything but reduce-only while halted', () => {
    expect(reasons(intent(), account({ halted: true }))).toMatch(/halted/);
    const a = account({ halted: true, positions: [position()] });
    expect(reasons(intent({ side: 'sell', reduceOnly: true }), a)).toBe('');
  });

  it('rejects leverage above the product maximum', () => {
    expect(reasons({ ...intent(), leverage: 25 })).toMatch(/leverage 25x is outside 1–20x/);
  });

  it('rejects a position above 30 % of equity', () => {
    expect(reasons(intent({ quantity: 0.06 }))).toMatch(/exceeds 30 % of equity/);
  });

  it('rejects a fourth position', () => {
    const others = ['ETHUSDT', 'SOLUSDT', 'XRPUSDT'].map((symbol) => position({ symbol }));
    expect(reasons(intent(), account({ positions: others }))).toMatch(/at most 3 positions/);
  });

  it('rejects new exposure once the daily loss reaches 5 % of start-of-day equity', () => {
    expect(reasons(intent(), account({ equity: 9_500 }))).toMatch(/daily loss limit reached/);
    expect(reasons(intent(), account({ equity: 9_501 }))).toBe('');
  });

  it('rejects a position whose liquidation would be under the minimum distance', () => {
    // 20x isolated: liquidation ≈ 4.6 % away, under the 5 % minimum.
    expect(reasons(intent({ leverage: 20 }))).toMatch(/liquidation would be 4\.\d+ % away/);
  });

  it('rejects orders off the step, under min notional, or off the tick, listing every reason', () => {
    const r = reasons(intent({ quantity: 0.0015, type: 'limit', price: 60_000.05 }));
    expect(r).toMatch(/not a multiple of the step/);
    expect(r).toMatch(/below the minimum 100 USDT/);
    expect(r).toMatch(/not a multiple of the tick/);
  });

  it('always lets a reduce-only close through, even past every limit', () => {
    const a = account({ equity: 5_000, halted: true, positions: [position({ quantity: 0.1 })] });
    expect(reasons(intent({ side: 'sell', quantity: 0.1, reduceOnly: true }), a)).toBe('');
  });
});
