// Emergency close through the real webhook handler on dynalite: it must get through a concurrent halt
// write, a stale read model and a flaky queue, and its button belongs to the chat and user who asked.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { callbackUpdate } from '../../../infra/local/telegram-updates.ts';
import type { OrderQueue } from '../../../shared/ports/order-queue.ts';
import { ConcurrentModification, type StateStore } from '../../../shared/ports/state-store.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { CHAT, OTHER_CHAT, setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram-emergency');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

type Harness = Awaited<ReturnType<typeof setupWebhook>>;

/** A long BTCUSDT position on the (simulated) exchange, opened through the bot. */
async function withPosition(h: Harness): Promise<void> {
  await h.say('/futures_open long 1000 BTCUSDT');
  await h.drain();
  expect(h.sim.ledger.positions.has('BTCUSDT')).toBe(true);
}

/** The same press from someone else: another chat, or another user in the same chat. */
function pressBy(data: string, chatId: number, userId: number) {
  const u = callbackUpdate(chatId, data);
  return { ...u, callback_query: { ...u.callback_query, from: { ...u.callback_query.from, id: userId } } };
}

describe('defect 11: emergency close survives a concurrent halt write; its button belongs to its chat', () => {
  it('defect 11: the halt flag changes between read and write — the close still halts and queues close_all', async () => {
    let raced = false;
    // Another writer (the risk engine, a /resume) changes the halt record at the worst moment: after
    // the emergency close read its version, before it wrote.
    const racing = (inner: StateStore): StateStore => {
      const s = Object.create(inner) as StateStore;
      s.setHalt = async (halted, reason, at, expectedVersion) => {
        if (!raced && reason.includes('emergency')) {
          raced = true;
          const h = await inner.getHalt();
          await inner.setHalt(h.halted, 'another writer', at, h.version);
        }
        return inner.setHalt(halted, reason, at, expectedVersion);
      };
      return s;
    };
    const h = await setupWebhook({ dynamo, api }, { wrapStore: racing });
    await withPosition(h);
    await h.say('/futures_emergency_close');
    await h.refresh();
    const reply = await h.deliver(callbackUpdate(CHAT, h.buttons().Confirm!));
    expect(raced).toBe(true);
    expect(reply).toMatch(/Halted\. Closing every open position at market/);
    expect((await h.realStore.getHalt()).halted).toBe(true);
    const r = await h.drain();
    expect(r.outcomes.find((o) => o.kind === 'closed_all')).toMatchObject({ closed: ['BTCUSDT'] });
    expect(h.sim.ledger.positions.size).toBe(0);
  });

  it('defect 11: a halt that cannot be written at all still queues close_all, and the reply says so', async () => {
    const stuck = (inner: StateStore): StateStore => {
      const s = Object.create(inner) as StateStore;
      s.setHalt = async () => {
        throw new ConcurrentModification('halt flag changed');
      };
      return s;
    };
    const h = await setupWebhook({ dynamo, api }, { wrapStore: stuck });
    await withPosition(h);
    await h.say('/futures_emergency_close');
    await h.refresh();
    const reply = await h.deliver(callbackUpdate(CHAT, h.buttons().Confirm!));
    expect(reply).toMatch(/could not set the halt flag/i);
    expect(reply).toMatch(/close.all .*queued/i);
    const r = await h.drain();
    expect(r.outcomes.find((o) => o.kind === 'closed_all')).toMatchObject({ closed: ['BTCUSDT'] });
    expect(h.sim.ledger.positions.size).toBe(0);
  });

  it('defect 11: a queue send that fails once is retried: close_all is queued', async () => {
    let failures = 1;
    const flaky = (inner: OrderQueue): OrderQueue => ({
      send: async (m, o) => {
        if (m.kind === 'close_all' && failures-- > 0) throw new Error('SQS: service unavailable');
        return inner.send(m, o);
      },
      receive: (...a) => inner.receive(...a),
      delete: (r) => inner.delete(r),
      changeVisibility: (...a) => inner.changeVisibility(...a),
      deadLetter: (...a) => inner.deadLetter(...a),
    });
    const h = await setupWebhook({ dynamo, api }, { wrapQueue: flaky });
    await withPosition(h);
    await h.say('/futures_emergency_close');
    await h.refresh();
    expect(await h.deliver(callbackUpdate(CHAT, h.buttons().Confirm!))).toMatch(/Halted\. Closing/);
    const r = await h.drain();
    expect(r.outcomes.find((o) => o.kind === 'closed_all')).toMatchObject({ closed: ['BTCUSDT'] });
  });

  it('defect 11: the queue refuses close_all on every try — the reply says NOT queued; the redelivered press queues it', async () => {
    let down = true;
    const outage = (inner: OrderQueue): OrderQueue => ({
      send: async (m, o) => {
        if (down && m.kind === 'close_all') throw new Error('SQS: service unavailable');
        return inner.send(m, o);
      },
      receive: (...a) => inner.receive(...a),
      delete: (r) => inner.delete(r),
      changeVisibility: (...a) => inner.changeVisibility(...a),
      deadLetter: (...a) => inner.deadLetter(...a),
    });
    const h = await setupWebhook({ dynamo, api }, { wrapQueue: outage });
    await withPosition(h);
    await h.say('/futures_emergency_close');
    await h.refresh();
    const press = callbackUpdate(CHAT, h.buttons().Confirm!);
    const first = await h.deliver(press);
    expect(first).toMatch(/Emergency close NOT queued/);
    expect(first).not.toMatch(/failed on our side/);
    expect(h.memoryQueue.depth).toBe(0);
    down = false;
    // Telegram delivers the same press again (the webhook failed): the button is not "already used"
    // for its own press, and this time close_all goes out.
    expect(await h.deliver(press)).toMatch(/Closing every open position at market/);
    const r = await h.drain();
    expect(r.outcomes.find((o) => o.kind === 'closed_all')).toMatchObject({ closed: ['BTCUSDT'] });
    expect(h.sim.ledger.positions.size).toBe(0);
  });

  it('defect 11: a press answered too late for Telegram (query too old) still gets its real reply', async () => {
    // The webhook was slow: answerCallbackQuery is refused, which used to abort the handler after
    // close_all was queued, and the trader read "That failed on our side" instead of "Closing".
    const h = await setupWebhook({ dynamo, api });
    await withPosition(h);
    await h.say('/futures_emergency_close');
    await h.refresh();
    api.refuse.add('answerCallbackQuery');
    try {
      const reply = await h.deliver(callbackUpdate(CHAT, h.buttons().Confirm!));
      expect(reply).toMatch(/Halted\. Closing every open position at market/);
      expect(reply).not.toMatch(/failed on our side/);
    } finally {
      api.refuse.clear();
    }
    expect((await h.drain()).outcomes.find((o) => o.kind === 'closed_all')).toBeDefined();
  });

  it('defect 11: a press from another chat neither consumes the button nor acts', async () => {
    const h = await setupWebhook({ dynamo, api });
    await withPosition(h);
    await h.say('/futures_emergency_close');
    const { Confirm } = h.buttons();
    await h.refresh();
    expect(await h.deliver(pressBy(Confirm!, OTHER_CHAT, OTHER_CHAT))).toMatch(/belongs to another chat/);
    expect((await h.realStore.getHalt()).halted).toBe(false);
    expect(h.memoryQueue.depth).toBe(0);
    // Another member of the same (group) chat: the same.
    expect(await h.deliver(pressBy(Confirm!, CHAT, 777))).toMatch(/belongs to another/);
    expect((await h.realStore.getHalt()).halted).toBe(false);
    // The owner's press still works: the button was not spent.
    expect(await h.deliver(callbackUpdate(CHAT, Confirm!))).toMatch(/Halted\. Closing/);
    expect((await h.realStore.getHalt()).halted).toBe(true);
    expect((await h.drain()).outcomes.find((o) => o.kind === 'closed_all')).toBeDefined();
  });
});

describe('defect 12: emergency close does not depend on the read model', () => {
  it('defect 12: with a stale account view it still asks, says the count is unknown, and closes from the exchange', async () => {
    const h = await setupWebhook({ dynamo, api });
    await withPosition(h);
    h.advanceClock(10 * 60_000); // the monitors stopped writing 10 minutes ago
    const ask = await h.say('/futures_emergency_close', { refresh: false });
    expect(ask).toMatch(/Emergency close/);
    expect(ask).toMatch(/number of open positions is unknown/);
    const reply = await h.deliver(callbackUpdate(CHAT, h.buttons().Confirm!));
    expect(reply).toMatch(/Halted\. Closing every open position at market/);
    const r = await h.drain();
    expect(r.outcomes.find((o) => o.kind === 'closed_all')).toMatchObject({ closed: ['BTCUSDT'] });
    expect(h.sim.ledger.positions.size).toBe(0);
  });

  it('defect 12: with no account view ever written (monitors never ran) it still offers the confirmation', async () => {
    const h = await setupWebhook({ dynamo, api });
    const ask = await h.say('/futures_emergency_close', { refresh: false });
    expect(ask).toMatch(/number of open positions is unknown/);
    expect(h.buttons().Confirm).toMatch(/^confirm:/);
  });
});
