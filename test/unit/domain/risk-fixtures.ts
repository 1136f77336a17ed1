// Shared fixtures of the risk-engine tests: a BTCUSDT market at 60,000, a 10,000 USDT account.
import { leverageBracketsFor } from '../../../shared/domain/leverage-brackets.ts';
import type { LeverageBracket } from '../../../shared/domain/market.ts';
import { type OrderIntent, type OrderIntentInput, OrderIntentSchema } from '../../../shared/domain/order.ts';
import type { AccountSnapshot, FuturesPosition } from '../../../shared/domain/position.ts';
import { checkIntent, type RiskMarket } from '../../../shared/domain/risk/check-intent.ts';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from '../../../shared/domain/risk/limits.ts';

export const market: RiskMarket = {
  markPrice: 60_000,
  tickSize: 0.1,
  stepSize: 0.001,
  minQuantity: 0.001,
  minNotional: 100,
  brackets: leverageBracketsFor('BTCUSDT'),
};

/** A small hand-made table: 20x up to 2,000 USDT, 10x up to 10,000, 5x up to 100,000. */
export const steepBrackets: readonly LeverageBracket[] = [
  {
    bracket: 1,
    notionalFloor: 0,
    notionalCap: 2_000,
    maintMarginRatio: 0.01,
    maintAmount: 0,
    maxLeverage: 20,
  },
  {
    bracket: 2,
    notionalFloor: 2_000,
    notionalCap: 10_000,
    maintMarginRatio: 0.025,
    maintAmount: 30,
    maxLeverage: 10,
  },
  {
    bracket: 3,
    notionalFloor: 10_000,
    notionalCap: 100_000,
    maintMarginRatio: 0.05,
    maintAmount: 280,
    maxLeverage: 5,
  },
];

export function intent(p: Partial<OrderIntentInput> = {}): OrderIntent {
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

export function position(p: Partial<FuturesPosition> = {}): FuturesPosition {
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

export function account(p: Partial<AccountSnapshot> = {}): AccountSnapshot {
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

/** Every refusal reason, joined ('' when accepted). */
export function reasons(
  i: OrderIntent = intent(),
  a: AccountSnapshot = account(),
  m: Partial<RiskMarket> = {},
  limits: Partial<RiskLimits> = {},
): string {
  const d = checkIntent(i, a, { ...DEFAULT_RISK_LIMITS, ...limits }, { ...market, ...m });
  return d.reasons.join(' | ');
}

export function accepted(
  i: OrderIntent = intent(),
  a: AccountSnapshot = account(),
  m: Partial<RiskMarket> = {},
  limits: Partial<RiskLimits> = {},
): boolean {
  return checkIntent(i, a, { ...DEFAULT_RISK_LIMITS, ...limits }, { ...market, ...m }).accepted;
}

/** The decision with the default limits and market, as the producers' pre-check makes it. */
export const check =
  (a: AccountSnapshot = account()) =>
  (i: OrderIntent) =>
    checkIntent(i, a, DEFAULT_RISK_LIMITS, market);
