// An order intent for tests: a 0.01 BTC-sized futures market order at 5x isolated, created at T0, its
// id made as a strategy's would (makeIntentId of its source, symbol, T0 and `seq`); any field can be
// given, as the schema takes it (a bracket as BracketInput), and the schema parses the result.
import { makeIntentId, type OrderIntentInput, OrderIntentSchema } from '../../shared/domain/order.ts';
import { T0 } from './candles.ts';

export function intent(
  p: Partial<OrderIntentInput> & Pick<OrderIntentInput, 'strategy' | 'symbol' | 'side'>,
  seq: number,
) {
  return OrderIntentSchema.parse({
    id: makeIntentId({ source: p.strategy, symbol: p.symbol, tickTime: T0, sequence: seq }),
    market: 'futures',
    type: 'market',
    quantity: 0.01,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: T0,
    ...p,
  });
}
