// Review: a bracket must tell "its position is gone" from "its position changed". On Binance the port's
// openedAt is positionRisk.updateTime (ccxt binance.js parsePositionRisk: timestamp = updateTime; our
// adapter: openedAt = p.timestamp), and Binance moves updateTime at every change of the position — a
// take-profit that closes half of it included. The bracket planner took a different openedAt for
// "another position": a partial take-profit then cancelled the stop of the half still open (and the
// remaining take-profit), instead of resizing the stop to it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BinanceExchange } from '../../../shared/adapters/binance/binance-exchange.ts';
import { bracketLegId } from '../../../shared/domain/bracket.ts';
import { newBracketTrack, type PlanOrder, planBracket } from '../../../shared/domain/bracket-plan.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import { type BinanceStub, recorded, startBinanceStub, stubbedExchange } from '../../support/binance-stub.ts';

const NOW = Date.UTC(2026, 8, 15, 12, 30);
let stub: BinanceStub;
let ex: BinanceExchange;
beforeAll(async () => {
  stub = await startBinanceStub(() => NOW);
  ex = stubbedExchange(stub, () => NOW);
});
afterAll(async () => {
  await stub.stop();
});

/** Binance's recorded BTCUSDT long (test/fixtures/binance), at `amount` and last changed at `updateTime`. */
function positionRisk(amount: string, updateTime: number) {
  const [btc] = recorded<Record<string, unknown>[]>('fapi-v3-positionRisk.json');
  return { body: [{ ...btc, positionAmt: amount, updateTime }] };
}

describe('review: bracket on Binance positions', () => {
  it('review: a partial take-profit (Binance moves updateTime) resizes the stop and never cancels it', async () => {
    const entry = OrderIntentSchema.parse({
      id: makeIntentId({ source: 'review', symbol: 'BTCUSDT', tickTime: NOW, sequence: 0 }),
      strategy: 'telegram',
      symbol: 'BTCUSDT',
      market: 'futures',
      side: 'buy',
      type: 'market',
      quantity: 1.2,
      leverage: 5,
      marginMode: 'cross',
      createdAt: NOW,
      bracket: {
        stopPrice: 57_000,
        takeProfits: [
          { price: 61_000, fraction: 0.5 },
          { price: 63_000, fraction: 0.5 },
        ],
      },
    });
    const stop0 = bracketLegId(entry.id, 'stop:0');
    const tp0 = bracketLegId(entry.id, 'tp:0');
    const tp1 = bracketLegId(entry.id, 'tp:1');
    const leg = (clientOrderId: string, type: string, quantity: number, stopPrice: number): PlanOrder => ({
      clientOrderId,
      type,
      side: 'sell',
      reduceOnly: true,
      quantity,
      stopPrice,
    });
    const plan = (track: NonNullable<ReturnType<typeof newBracketTrack>>, open: PlanOrder[]) =>
      ex.fetchPositions().then(([p]) =>
        planBracket({
          track,
          position: p,
          open,
          legsSettled: true,
          stepSize: 0.001,
          tickSize: 0.1,
          slotTime: NOW,
        }),
      );
    const track = newBracketTrack(entry, 1.2, NOW)!;

    // Slot 1: the whole 1.2 BTC long, its stop and both take-profits resting.
    stub.replay('GET /fapi/v3/positionRisk', positionRisk('1.200', NOW - 60_000));
    const first = await plan(track, [
      leg(stop0, 'stop_market', 1.2, 57_000),
      leg(tp0, 'take_profit_market', 0.6, 61_000),
      leg(tp1, 'take_profit_market', 0.6, 63_000),
    ]);
    expect(first.cancels).toEqual([]);

    // Slot 2: tp:0 filled 0.6 → 0.6 BTC left, Binance's updateTime now the fill's time.
    stub.replay('GET /fapi/v3/positionRisk', positionRisk('0.600', NOW));
    const second = await plan(first.track, [
      leg(stop0, 'stop_market', 1.2, 57_000),
      leg(tp1, 'take_profit_market', 0.6, 63_000),
    ]);
    // Worked by hand: 1.2 − 0.6 = 0.6 BTC still long → the stop for 0.6 replaces stop:0 (which is
    // cancelled only once its successor is placed, by the monitor's onlyIfPlaced cancel); tp:1 stays.
    expect(second.cancels).toEqual([]);
    expect(second.resize).toMatchObject({ fromId: stop0, quantity: 0.6, stopPrice: 57_000 });
    expect(second.track.closedAt).toBeUndefined();
  });
});
