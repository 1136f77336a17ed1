// Review tests' bracketed entry: a market buy of BTCUSDT at 5x isolated carrying a bracket, as a
// strategy emits it (its legs: bracketLegs(parent, 0.001)).
import type { BracketInput } from '../../../shared/domain/bracket.ts';
import { makeIntentId, type OrderIntent, OrderIntentSchema } from '../../../shared/domain/order.ts';
import type { monitorHarness } from '../../support/monitor-harness.ts';

type Harness = Awaited<ReturnType<typeof monitorHarness>>;

export function bracketedEntry(h: Harness, quantity: number, bracket: BracketInput): OrderIntent {
  return OrderIntentSchema.parse({
    id: makeIntentId({ source: 'review', symbol: 'BTCUSDT', tickTime: h.deps.clock.now(), sequence: 9 }),
    strategy: 'volatility_breakout',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: h.deps.clock.now(),
    bracket,
  });
}
