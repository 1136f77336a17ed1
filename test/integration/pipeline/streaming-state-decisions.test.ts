// One code path live and in backtests (issue 15): the strategies carry their streaming indicators in
// their state. Live, every tick loads that state from DynamoDB (dynalite here: the real API, the real
// marshalling), feeds it the candles closed since the last tick from a fresh market view, decides and
// saves it; the backtester hands the same state object from tick to tick. Both must make the same
// decisions — the same intents (deterministic ids, sides, types, sizes, prices) and cancels at the same
// instants — on the same candles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoStateStore } from '../../../shared/adapters/aws/dynamodb/state-store.ts';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { STRATEGIES } from '../../../shared/strategies/registry.ts';
import type { Strategy } from '../../../shared/strategies/strategy.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { monthDataset } from '../../support/month-data.ts';
import { tickWorld } from '../../support/tick-world.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-streaming');
});
afterAll(async () => {
  await dynamo.stop();
});

/** Past every strategy's look-back (long_short_switch: 313 hours), so both start warm the same way. */
const START = 320;

// biome-ignore lint/suspicious/noExplicitAny: strategies of any parameter type.
function recording(strategy: Strategy<any, any>, log: string[]): Strategy<any, any> {
  return {
    ...strategy,
    evaluate(input) {
      const out = strategy.evaluate(input);
      for (const i of out.intents)
        log.push(
          `${new Date(input.view.time).toISOString()} ${i.id} ${i.side} ${i.type} ${i.quantity} ${i.price ?? ''} ${i.stopPrice ?? ''} ${i.reduceOnly ?? false}`,
        );
      for (const id of out.cancels) log.push(`${new Date(input.view.time).toISOString()} cancel ${id}`);
      return out;
    },
  };
}

describe.each(['grid', 'long_short_switch', 'volatility_breakout'] as const)(
  'live tick with state in DynamoDB ↔ backtester: %s',
  (name) => {
    it('the same intents and cancels at the same instants, with the indicators carried in the state', async () => {
      const strategy = STRATEGIES[name];
      const params = strategy.paramsSchema.parse({});
      // The month the tick world replays (test/support/tick-world.ts).
      const ds = monthDataset();

      const btLog: string[] = [];
      runBacktest({
        strategy: recording(strategy, btLog),
        params,
        dataset: ds,
        from: ds.candles.time[START]!,
      });

      const store = new DynamoStateStore(await dynamo.newTable(`autocoin-streaming-${name}`), dynamo.client);
      const world = tickWorld({ startIndex: START, store });
      const liveLog: string[] = [];
      const live = recording(strategy, liveLog);
      while (!world.sim.finished) await world.hour(live, params);

      // The state that crossed DynamoDB carries the indicators, fed up to the last closed candle.
      const saved = await store.getStrategyState(name, 'BTCUSDT');
      const ind = (saved?.state as { ind?: { t: number } } | undefined)?.ind;
      expect(ind?.t).toBe(ds.candles.time[ds.candles.time.length - 2]);

      expect(btLog.length).toBeGreaterThan(3);
      expect(liveLog).toEqual(btLog);
    }, 300_000);
  },
);
