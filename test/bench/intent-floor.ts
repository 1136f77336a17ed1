// What every intent costs before any strategy, risk check, cancel or fill: its id (makeIntentId, a
// SHA-256 of its key — the live client order id the exactly-once executor deduplicates on, made by the
// same strategy code live and in backtests) and its entry in the simulated book's map of every order
// placed (Binance refuses a repeated client order id). Both are the project's own code, timed on a
// backtest's scale of ids. With a strategy's intents per candle they give a ceiling on its candles/s
// that no engine keeping ids and book can pass: the figure behind the README's reading of issue 15.
import { newSimOrder, OrderBook } from '../../shared/adapters/sim/order-book.ts';
import { makeIntentId } from '../../shared/domain/order.ts';

const IDS = 60_000;

/** Fewest ns per call over `rounds` rounds (the least disturbed by the machine's other work); a round
 * returns the ns it timed. */
function bestNs(rounds: number, perRound: number, round: (r: number) => number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) best = Math.min(best, round(r) / perRound);
  if (!Number.isFinite(best)) throw new Error('intent floor: no result');
  return best;
}

const since = (t0: bigint) => Number(process.hrtime.bigint() - t0);

export interface IntentFloor {
  /** ns for one makeIntentId. */
  intentIdNs: number;
  /** ns for one duplicate check and record in the book (OrderBook.has + record) at ~60,000 orders. */
  bookEntryNs: number;
}

export function intentFloor(): IntentFloor {
  let length = 0;
  const intentIdNs = bestNs(15, IDS, (r) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < IDS; i++)
      length += makeIntentId({
        source: 'grid',
        symbol: 'BTCUSDT',
        tickTime: 1.6e12 + r * 1e9 + i,
        sequence: i % 7,
      }).length;
    return since(t0);
  });
  if (length !== 15 * IDS * 35) throw new Error('intent floor: an id is not 35 characters');
  const bookEntryNs = bestNs(5, IDS, (r) => {
    // Ids and orders made outside the timing: only the book's own work is timed.
    const orders = Array.from({ length: IDS }, (_, i) =>
      newSimOrder(
        {
          clientOrderId: makeIntentId({ source: 'floor', symbol: 'BTCUSDT', tickTime: r, sequence: i }),
          symbol: 'BTCUSDT',
          market: 'futures',
          side: 'buy',
          type: 'market',
          quantity: 0.001,
        },
        i + 1,
        false,
        0,
      ),
    );
    const book = new OrderBook();
    const t0 = process.hrtime.bigint();
    for (const o of orders) if (!book.has(o.clientOrderId)) book.record(o);
    const ns = since(t0);
    if (book.orders.size !== IDS) throw new Error('intent floor: the book lost an order');
    return ns;
  });
  return { intentIdNs, bookEntryNs };
}

/** The candles/s an engine cannot pass when each candle brings `intentsPerCandle` intents. */
export function intentCeiling(floor: IntentFloor, intentsPerCandle: number): number {
  return 1e9 / (intentsPerCandle * (floor.intentIdNs + floor.bookEntryNs));
}
