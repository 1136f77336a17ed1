// Review: a margin move resent after 30 s without a trace must not be sent twice when its first call's
// entry shows up in the exchange's history between the reconciliation read and the new baseline read
// (a history that lags the call by about 30 s: the two reads are milliseconds apart).
import { describe, expect, it } from 'vitest';
import { RetryLater } from '../../../shared/app/execute-intent.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import type { MarginAdjustment } from '../../../shared/ports/exchange.ts';
import { ExchangeUnavailable } from '../../../shared/ports/exchange-errors.ts';
import { T0 } from '../../support/candles.ts';
import { executorHarness } from './executor-harness.ts';

describe('review: margin move exactly once on a lagging history', () => {
  it('review: an add_margin whose entry appears between the reconciliation read and the resend baseline is added twice', async () => {
    const h = executorHarness();
    expect((await h.place({ side: 'sell', quantity: 0.04, leverage: 5, marginMode: 'isolated' })).kind).toBe(
      'placed',
    );
    const before = h.sim.ledger.positions.get('BTCUSDT')!.isolatedMargin;
    // The exchange's margin history, read through a lag: the first read after the call (the
    // reconciliation 31 s later) does not show the entry yet; the next one (the resend's baseline) does.
    const ex = h.deps.exchange;
    const read = ex.fetchMarginAdjustments.bind(ex);
    let reads = 0;
    let callsLanded = 0;
    ex.fetchMarginAdjustments = async (symbol: string, since: number): Promise<MarginAdjustment[]> => {
      reads++;
      const rows = await read(symbol, since);
      // read 1: the first baseline (nothing yet); read 2: the reconciliation, lagging behind the call.
      return reads === 2 ? rows.slice(0, rows.length - callsLanded) : rows;
    };
    const m = {
      kind: 'add_margin',
      id: makeIntentId({ source: 'review:margin', symbol: 'BTCUSDT', tickTime: T0, sequence: 1 }),
      source: 'funding_arbitrage',
      symbol: 'BTCUSDT',
      amount: 100,
      reason: 'short leg near liquidation',
      createdAt: T0,
    };
    h.fx.afterMove.push(() => {
      callsLanded++;
      throw new ExchangeUnavailable('timeout');
    });
    await expect(h.run(m)).rejects.toBeInstanceOf(RetryLater);
    h.clock.t += 31_000;
    // The entry of the first call is in the history by the time the baseline is read again: it is ours.
    expect(await h.run(m)).toMatchObject({ kind: 'margin_moved', reconciled: true });
    expect(h.fx.moves).toEqual(['add_margin BTCUSDT 100']);
    expect(h.sim.ledger.positions.get('BTCUSDT')!.isolatedMargin).toBeCloseTo(before + 100, 9);
  });
});
