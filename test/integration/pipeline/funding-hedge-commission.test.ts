// Found by the adversarial review of issue 12's fixes (defect 3): Binance's GET /api/v3/order (what
// fetchOrderByClientId(…,'spot') calls) carries no fills and no commission — only the FULL create reply
// does. Booking the hedge from the fetched order counted the whole filled quantity while the wallet
// received filled − fee, so the next tick saw the spot leg "missing" and flattened the hedge, every
// tick. The tick now takes the commission the executor recorded from the create reply.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../../shared/ports/exchange.ts';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { HOUR } from '../../support/candles.ts';
import { tickWorld } from '../../support/tick-world.ts';

const START = 200;
const params = fundingArbitrage.paramsSchema.parse({});

describe('defect 3 (review): hedge booked from a fetched spot order without commission (as Binance answers)', () => {
  it('a fresh hedge is not flattened as "leg missing" on the next tick', async () => {
    const probe = tickWorld({ startIndex: START });
    const t0 = probe.sim.now();
    const first = Math.floor(t0 / (8 * HOUR)) * 8 * HOUR + 8 * HOUR;
    const rates = Array(10).fill(0.0005);
    const w = tickWorld({
      startIndex: START,
      initialSpot: { USDT: 10_000 },
      funding: {
        time: Float64Array.from(rates.map((_, i) => first + i * 8 * HOUR)),
        rate: Float64Array.from(rates),
      },
    });
    const ex = w.deps.exchange as Exchange;
    const orig = ex.fetchOrderByClientId.bind(ex);
    ex.fetchOrderByClientId = async (s, id, m) => {
      const o = await orig(s, id, m);
      if (o.market !== 'spot') return o;
      const { commission: _c, ...rest } = o;
      return rest as typeof o;
    };
    const notes: string[] = [];
    for (let h = 0; h < 4; h++) {
      const r = await w.hour(fundingArbitrage, params);
      if (r.kind === 'ticked') notes.push(...r.notes);
    }
    const sells = w.sim.ledger.fills.filter((f) => f.market === 'spot' && f.side === 'sell');
    expect(
      notes.filter((n) => /leg missing/.test(n)),
      JSON.stringify(notes),
    ).toEqual([]);
    expect(sells).toEqual([]);
  });
});
