// One tick's intents stand or fall together: what protects or hedges a refused entry is refused with it.
import { describe, expect, it } from 'vitest';
import { precheckBatch } from '../../../shared/domain/risk/precheck-batch.ts';
import { account, check, intent } from './risk-fixtures.ts';

const tooBig = intent({ id: 'entry-1', quantity: 1 }); // 60,000 USDT: far above 30 % of equity
const stop = intent({
  id: 'stop-1',
  side: 'sell',
  type: 'stop_market',
  stopPrice: 55_000,
  quantity: 1,
  reduceOnly: true,
});
const target = intent({
  id: 'tp-1',
  side: 'sell',
  type: 'take_profit_market',
  stopPrice: 65_000,
  quantity: 1,
  reduceOnly: true,
});

describe('precheckBatch', () => {
  it('accepts every intent that passes on its own, in order', () => {
    const entry = intent({ id: 'entry-ok' });
    const s = { ...stop, quantity: 0.02 };
    expect(precheckBatch([entry, s], check())).toEqual({ accepted: [entry, s], rejected: [] });
  });

  it('refuses the stop and the target of a refused entry, naming the entry', () => {
    const out = precheckBatch([tooBig, stop, target], check());
    expect(out.accepted).toEqual([]);
    expect(out.rejected.map((r) => r.intent.id)).toEqual(['entry-1', 'stop-1', 'tp-1']);
    expect(out.rejected[1]!.reasons).toEqual(['its entry entry-1 was rejected']);
    expect(out.rejected[0]!.reasons.join()).toMatch(/exceeds 30 % of equity/);
  });

  it('defect 10: refuses the spot buy of a hedge whose futures short was refused (it would be a naked long)', () => {
    const short = intent({ id: 'short-1', side: 'sell', quantity: 1 });
    const spotBuy = intent({ id: 'spot-1', market: 'spot', quantity: 0.02, leverage: 1 });
    const out = precheckBatch([short, spotBuy], check());
    expect(out.accepted).toEqual([]);
    expect(out.rejected[1]).toEqual({ intent: spotBuy, reasons: ['its entry short-1 was rejected'] });
  });

  it("leaves another symbol's orders to their own check", () => {
    const eth = { ...stop, id: 'eth-stop', symbol: 'ETHUSDT', quantity: 0.02 };
    const ethSpot = intent({
      id: 'eth-spot',
      symbol: 'ETHUSDT',
      market: 'spot',
      quantity: 0.02,
      leverage: 1,
    });
    expect(precheckBatch([tooBig, eth, ethSpot], check()).accepted).toEqual([eth, ethSpot]);
  });

  it('checks a reduce-only close and a spot sell of the symbol on their own: closing is never blocked', () => {
    const close = intent({ id: 'close-1', side: 'sell', quantity: 0.02, reduceOnly: true });
    const spotSell = intent({ id: 'spot-sell', market: 'spot', side: 'sell', quantity: 0.02, leverage: 1 });
    expect(precheckBatch([tooBig, close, spotSell], check()).accepted).toEqual([close, spotSell]);
  });

  it('a refused reduce-only or spot order does not take the later protective orders with it', () => {
    const badStop = { ...stop, id: 'bad-stop', stopPrice: 55_000.05 }; // off the tick
    const badSpot = intent({ id: 'bad-spot', market: 'spot', quantity: 1, leverage: 1 });
    const s = { ...stop, quantity: 0.02 };
    const out = precheckBatch([badStop, badSpot, s], check());
    expect(out.rejected.map((r) => r.intent.id)).toEqual(['bad-stop', 'bad-spot']);
    expect(out.accepted).toEqual([s]);
  });

  it('checks a second entry of the symbol on its own: only protective orders and hedge legs follow an entry', () => {
    const second = intent({ id: 'entry-2', quantity: 0.02 });
    expect(precheckBatch([tooBig, second], check()).accepted).toEqual([second]);
  });

  it('refuses the entry itself on its own reasons, whatever the account', () => {
    const halted = precheckBatch([intent({ id: 'e' })], check(account({ halted: true })));
    expect(halted.rejected[0]!.reasons.join()).toMatch(/halted/);
  });
});
