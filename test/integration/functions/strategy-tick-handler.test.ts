// The strategy-tick Lambda under a timeout or crash mid-tick (defect 19): EventBridge's asynchronous
// invocation retries the same event (the schedule target has retry attempts), so the retried tick has
// the same instant and finishes what the dead one started — the same orders, once.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeTickHandler } from '../../../functions/strategy-tick/handler.ts';
import type { TickDeps } from '../../../shared/app/strategy-tick.ts';
import { messageId, type OrderQueue } from '../../../shared/ports/order-queue.ts';
import { Killed } from '../../support/kill-switch.ts';
import { tickWorld } from '../../support/tick-world.ts';

describe('strategy-tick handler', () => {
  it('defect 19: a Lambda that dies mid-send is retried with the same event and sends the rest, once', async () => {
    const clean = tickWorld({ startIndex: 200 });
    const event = {
      strategy: 'grid',
      symbol: 'BTCUSDT',
      time: new Date(clean.sim.now() + 42_000).toISOString(), // EventBridge fires a little late
    };
    const first = await makeTickHandler(async () => clean.deps)(event, {} as Context);
    expect(first.kind).toBe('ticked');
    expect(clean.queue.depth).toBe(10);

    const w = tickWorld({ startIndex: 200 });
    const sent: string[] = [];
    let dead = false;
    // The function times out just after the fourth order left (a timeout stops it at any instant).
    const dyingQueue: OrderQueue = {
      async send(m, o) {
        if (dead) throw new Killed('the sandbox is gone');
        await w.queue.send(m, o);
        sent.push(messageId(m));
        if (sent.length === 4) {
          dead = true;
          throw new Killed('Task timed out after 120.00 seconds');
        }
      },
      receive: (max, v) => w.queue.receive(max, v),
      delete: (r) => w.queue.delete(r),
      changeVisibility: (...a) => w.queue.changeVisibility(...a),
      deadLetter: (...a) => w.queue.deadLetter(...a),
    };
    const dying: TickDeps = { ...w.deps, queue: dyingQueue };
    await expect(makeTickHandler(async () => dying)(event, {} as Context)).rejects.toThrow(Killed);
    expect(w.queue.depth).toBe(4);

    const retry = await makeTickHandler(async () => w.deps)(event, {} as Context);
    expect(retry).toEqual(first);
    expect(w.queue.depth).toBe(10);
    expect((await w.store.getStrategyState('grid', 'BTCUSDT'))?.outbox).toBeUndefined();
  });

  it('a tick for a symbol the assignment gives another strategy is refused and sends nothing', async () => {
    // A schedule left behind by an older STRATEGY_SYMBOLS: grid ticking volatility_breakout's symbol.
    const w = tickWorld({ startIndex: 200 });
    const event = { strategy: 'grid', symbol: 'BTCUSDT', time: new Date(w.sim.now()).toISOString() };
    const r = await makeTickHandler(async () => ({
      ...w.deps,
      assignment: { grid: ['ETHUSDT'], volatility_breakout: ['BTCUSDT'] },
    }))(event, {} as Context);
    expect(r).toEqual({
      kind: 'skipped',
      reason:
        'grid does not trade BTCUSDT: the assignment gives it to volatility_breakout (STRATEGY_SYMBOLS)',
    });
    expect(w.queue.depth).toBe(0);
  });
});
