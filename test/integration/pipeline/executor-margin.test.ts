// Margin moves through the executor on the real simulator (behind the fault-injection exchange): exactly
// once on a redelivery after the exchange acted, on a timeout whose outcome is unknown, refused on
// insufficient balance, without a position, during a halt (transfers out of futures only), and on
// malformed amounts.
import { describe, expect, it } from 'vitest';
import { OrderOutcomeUnknown, RetryLater } from '../../../shared/app/execute-intent.ts';
import { makeIntentId } from '../../../shared/domain/order.ts';
import { ExchangeUnavailable, RateLimited } from '../../../shared/ports/exchange-errors.ts';
import { T0 } from '../../support/candles.ts';
import { crash } from '../../support/faulty.ts';
import { executorHarness } from './executor-harness.ts';

let seq = 0;
const id = () => makeIntentId({ source: 'test:margin', symbol: 'BTCUSDT', tickTime: T0, sequence: ++seq });
const addMargin = (amount: unknown) => ({
  kind: 'add_margin',
  id: id(),
  source: 'funding_arbitrage',
  symbol: 'BTCUSDT',
  amount,
  reason: 'short leg near liquidation',
  createdAt: T0,
});
const transfer = (from: string, to: string, amount: unknown) => ({
  kind: 'transfer',
  id: id(),
  source: 'funding_arbitrage',
  symbol: 'BTCUSDT',
  from,
  to,
  amount,
  reason: 'fund the short leg',
  createdAt: T0,
});

/** A harness holding an isolated short of 0.04 BTC at 60 000, 5x: 480 USDT of isolated margin. */
async function withShort(o: { initialSpot?: Record<string, number> } = {}) {
  const h = executorHarness(o);
  const r = await h.place({ side: 'sell', quantity: 0.04, leverage: 5, marginMode: 'isolated' });
  expect(r.kind).toBe('placed');
  const position = () => h.sim.ledger.positions.get('BTCUSDT')!;
  const liq = async () => (await h.deps.exchange.fetchPositions())[0]!.liquidationPrice;
  return { ...h, position, liq };
}

const throws = (err: Error) => () => {
  throw err;
};

describe('executor: add_margin', () => {
  it('adds to the isolated margin once, moves the short liquidation price up and says so', async () => {
    const h = await withShort();
    const before = { margin: h.position().isolatedMargin, liq: await h.liq() };
    const availableBefore = h.sim.ledger.available((s) => h.sim.price(s));
    const m = addMargin(300);
    const r = await h.run(m);
    expect(r).toEqual({ kind: 'margin_moved', id: m.id, reconciled: false });
    // 480 USDT (0.04 × 60 000 / 5) + 300.
    expect(h.position().isolatedMargin).toBeCloseTo(before.margin + 300, 9);
    expect(h.sim.ledger.available((s) => h.sim.price(s))).toBeCloseTo(availableBefore - 300, 9);
    expect(await h.liq()).toBeGreaterThan(before.liq);
    const [event] = h.events('MarginAdded');
    expect(event).toMatchObject({ intentId: m.id, amount: 300, liquidationPrice: await h.liq() });
    expect((await h.deps.store.getIntent(m.id))?.status).toBe('DONE');
    // A repeated delivery of a finished move is a duplicate.
    expect(await h.run(m)).toEqual({ kind: 'duplicate', id: m.id, status: 'DONE' });
    expect(h.fx.moves).toEqual(['add_margin BTCUSDT 300']);
  });

  it('a redelivery after the exchange added the margin (the answer was lost) finds it and adds nothing', async () => {
    const h = await withShort();
    const before = h.position().isolatedMargin;
    const m = addMargin(250);
    h.fx.afterMove.push(crash('after the add margin call'));
    await expect(h.run(m)).rejects.toThrow(/killed/);
    expect((await h.deps.store.getIntent(m.id))?.status).toBe('IN_FLIGHT');
    const r = await h.run(m);
    expect(r).toEqual({ kind: 'margin_moved', id: m.id, reconciled: true });
    expect(h.fx.moves).toHaveLength(1);
    expect(h.position().isolatedMargin).toBeCloseTo(before + 250, 9);
  });

  it('a timeout after the exchange acted is reconciled, never sent again', async () => {
    const h = await withShort();
    const m = addMargin(100);
    h.fx.afterMove.push(throws(new ExchangeUnavailable('timeout')));
    await expect(h.run(m)).rejects.toBeInstanceOf(RetryLater);
    h.clock.t += 60_000;
    expect(await h.run(m)).toMatchObject({ kind: 'margin_moved', reconciled: true });
    expect(h.fx.moves).toHaveLength(1);
  });

  it('a timeout before the exchange acted: not sent again for 30 s without a trace, then sent once', async () => {
    const h = await withShort();
    const before = h.position().isolatedMargin;
    const m = addMargin(100);
    h.fx.beforeMove.push(throws(new ExchangeUnavailable('timeout')));
    await expect(h.run(m)).rejects.toBeInstanceOf(RetryLater);
    h.clock.t += 10_000;
    await expect(h.run(m)).rejects.toThrow(/sent again only after 30 s/);
    expect(h.fx.moves).toHaveLength(0);
    h.clock.t += 25_000;
    expect(await h.run(m)).toMatchObject({ kind: 'margin_moved', reconciled: false });
    expect(h.fx.moves).toHaveLength(1);
    expect(h.position().isolatedMargin).toBeCloseTo(before + 100, 9);
  });

  it('unknown outcome: the history cannot be read after a timeout → UNKNOWN, dead-lettered, alerted, never repeated', async () => {
    const h = await withShort();
    h.deps.maxAttempts = 3;
    const m = addMargin(100);
    h.fx.afterMove.push(throws(new ExchangeUnavailable('timeout')));
    await expect(h.run(m)).rejects.toBeInstanceOf(RetryLater);
    for (let i = 0; i < 5; i++) h.fx.beforeHistory.push(throws(new ExchangeUnavailable('history down')));
    await expect(h.run(m)).rejects.toBeInstanceOf(RetryLater); // attempt 2
    await expect(h.run(m)).rejects.toBeInstanceOf(OrderOutcomeUnknown); // attempt 3: out of attempts
    await expect(h.run(m)).rejects.toBeInstanceOf(OrderOutcomeUnknown); // stays unknown
    expect((await h.deps.store.getIntent(m.id))?.status).toBe('UNKNOWN');
    expect(h.events('MarginMoveOutcomeUnknown')).toEqual([
      expect.objectContaining({ intentId: m.id, move: 'add 100.00 USDT margin to BTCUSDT', attempts: 3 }),
    ]);
    expect(h.fx.moves).toHaveLength(1);
  });

  it('rate limited before the exchange acted: back to RECEIVED, sent once on the next delivery', async () => {
    const h = await withShort();
    const m = addMargin(80);
    h.fx.beforeMove.push(throws(new RateLimited('-1003', 2_000)));
    await expect(h.run(m)).rejects.toBeInstanceOf(RetryLater);
    expect((await h.deps.store.getIntent(m.id))?.status).toBe('RECEIVED');
    expect(await h.run(m)).toMatchObject({ kind: 'margin_moved' });
    expect(h.fx.moves).toHaveLength(1);
  });

  it('no position: refused with the reason, recorded, nothing moved', async () => {
    const h = executorHarness();
    const m = addMargin(50);
    const r = await h.run(m);
    expect(r).toEqual({
      kind: 'rejected',
      id: m.id,
      reasons: ['add 50.00 USDT margin to BTCUSDT refused: no position open on BTCUSDT'],
    });
    expect(h.events('OrderRejected')[0]).toMatchObject({ intentId: m.id, symbol: 'BTCUSDT' });
    expect(h.fx.moves).toHaveLength(0);
  });

  it('more than the futures wallet has available: refused, nothing moved', async () => {
    const h = await withShort();
    // 10 000 wallet − 480 margin − the entry fee (0.04 × 60 000 × 0.05 % = 1.20) = 9 518.80 available.
    const r = await h.run(addMargin(9_600));
    expect(r).toMatchObject({
      kind: 'rejected',
      reasons: [expect.stringMatching(/futures wallet has only 9518\.80 USDT free/)],
    });
    expect(h.fx.moves).toHaveLength(0);
  });

  it('halted: add_margin still passes (it only moves the liquidation price away)', async () => {
    const h = await withShort();
    await h.deps.store.setHalt(true, 'daily loss', T0, 0);
    expect(await h.run(addMargin(100))).toMatchObject({ kind: 'margin_moved' });
    expect(h.fx.moves).toEqual(['add_margin BTCUSDT 100']);
  });

  it('malformed amounts (negative, zero, not a number, fractions of a cent) are rejected as malformed', async () => {
    const h = await withShort();
    for (const amount of [-5, 0, null, 'ten', 0.001, 1e12]) {
      const r = await h.run(addMargin(amount));
      expect(r.kind).toBe('rejected');
      expect((r as { reasons: string[] }).reasons[0]).toMatch(/malformed message/);
    }
    expect(h.fx.moves).toHaveLength(0);
  });
});

describe('executor: transfer', () => {
  it('moves USDT spot → futures once; a redelivery after the lost answer finds it by its tranId', async () => {
    const h = executorHarness({ initialSpot: { USDT: 1_000 } });
    const m = transfer('spot', 'futures', 400);
    h.fx.afterMove.push(crash('after the transfer call'));
    await expect(h.run(m)).rejects.toThrow(/killed/);
    expect(await h.run(m)).toEqual({ kind: 'margin_moved', id: m.id, reconciled: true });
    expect(h.fx.moves).toEqual(['transfer spot>futures 400']);
    expect(h.sim.ledger.spot.get('USDT')).toBeCloseTo(600, 9);
    expect(h.sim.ledger.walletBalance).toBeCloseTo(10_400, 9);
    expect((await h.deps.store.getIntent(m.id))?.exchangeRef).toBe('sim-transfer-1');
    expect(h.events('FundsTransferred')[0]).toMatchObject({ from: 'spot', to: 'futures', amount: 400 });
  });

  it('insufficient balance in the source wallet: refused, nothing moved', async () => {
    const h = executorHarness({ initialSpot: { USDT: 100 } });
    const r = await h.run(transfer('spot', 'futures', 150));
    expect(r).toMatchObject({
      kind: 'rejected',
      reasons: [
        'transfer 150.00 USDT spot → futures (for BTCUSDT) refused: the spot wallet has only 100.00 USDT free',
      ],
    });
    expect(h.sim.ledger.spot.get('USDT')).toBe(100);
    expect(h.fx.moves).toHaveLength(0);
  });

  it('halted: a transfer into futures passes, one out of futures is refused', async () => {
    const h = executorHarness({ initialSpot: { USDT: 500 } });
    await h.deps.store.setHalt(true, 'emergency close', T0, 0);
    expect(await h.run(transfer('spot', 'futures', 200))).toMatchObject({ kind: 'margin_moved' });
    const out = await h.run(transfer('futures', 'spot', 200));
    expect(out).toMatchObject({ kind: 'rejected', reasons: [expect.stringMatching(/halted/)] });
    expect(h.fx.moves).toEqual(['transfer spot>futures 200']);
  });

  it('a transfer between one wallet and itself is malformed', async () => {
    const h = executorHarness({ initialSpot: { USDT: 500 } });
    expect((await h.run(transfer('spot', 'spot', 10))).kind).toBe('rejected');
    expect(h.fx.moves).toHaveLength(0);
  });
});
