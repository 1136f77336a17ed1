// Telegram re-sends an update when the webhook fails or is slow: the same Update JSON arrives again,
// seconds or minutes later. Through the real webhook handler on dynalite, a redelivery must never place
// a second order, and its reply must say the command was already received — never "Queued".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { callbackUpdate, textUpdate } from '../../../infra/local/telegram-updates.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { CHAT, setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram-redelivery');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

const setup = () => setupWebhook({ dynamo, api });
const entryFills = (h: Awaited<ReturnType<typeof setup>>) =>
  h.sim.ledger.fills.filter((f) => f.symbol === 'BTCUSDT' && f.side === 'buy');

describe('defect 6: a redelivered update is a duplicate, not a second order', () => {
  it('defect 6: the same Update JSON delivered twice, 30 s apart, opens the position once', async () => {
    const h = await setup();
    const update = textUpdate(CHAT, '/futures_open long 200 BTCUSDT');
    await h.refresh();
    expect(await h.deliver(update)).toMatch(/Queued/);
    h.advanceClock(30_000);
    await h.refresh();
    await h.deliver(update);
    const r = await h.drain();
    // One entry and its stop; nothing else reaches the exchange.
    expect(r.outcomes.filter((o) => o.kind === 'placed')).toHaveLength(2);
    expect(entryFills(h)).toHaveLength(1);
    expect(h.sim.ledger.positions.get('BTCUSDT')?.quantity).toBe(0.002);
  });

  it('defect 6: redelivered 10 minutes later (past the queue’s 5-minute deduplication), still one order', async () => {
    const h = await setup();
    const update = textUpdate(CHAT, '/futures_open long 200 BTCUSDT');
    await h.refresh();
    await h.deliver(update);
    await h.drain();
    h.advanceClock(10 * 60_000);
    await h.refresh();
    await h.deliver(update);
    const r = await h.drain();
    expect(r.outcomes.filter((o) => o.kind === 'placed')).toEqual([]);
    expect(entryFills(h)).toHaveLength(1);
  });

  it('defect 6: /futures_close redelivered after the position changed closes once', async () => {
    const h = await setup();
    await h.say('/futures_open long 1000 BTCUSDT');
    await h.drain();
    const qty = h.sim.ledger.positions.get('BTCUSDT')!.quantity;
    const close = textUpdate(CHAT, '/futures_close BTCUSDT 50');
    await h.refresh();
    await h.deliver(close);
    await h.drain();
    const after = h.sim.ledger.positions.get('BTCUSDT')!.quantity;
    expect(after).toBeLessThan(qty);
    h.advanceClock(30_000);
    await h.refresh();
    await h.deliver(close);
    await h.drain();
    expect(h.sim.ledger.positions.get('BTCUSDT')!.quantity).toBe(after);
  });
});

describe('defect 21: a duplicate is answered as a duplicate', () => {
  it('defect 21: the redelivered /futures_open says already received (with its status), never "Queued"', async () => {
    const h = await setup();
    const update = textUpdate(CHAT, '/futures_open long 200 BTCUSDT');
    await h.refresh();
    const first = await h.deliver(update);
    const id = /Queued <code>(ac-[0-9a-f]{32})<\/code>/.exec(first)?.[1];
    expect(id).toBeDefined();
    h.advanceClock(30_000);
    await h.refresh();
    const again = await h.deliver(update);
    expect(again).not.toMatch(/Queued/);
    expect(again).toMatch(/Already received/);
    expect(again).toContain(id!);
    expect(again).toMatch(/waiting in the queue/);
    await h.drain();
    await h.refresh();
    const later = await h.deliver(update);
    expect(later).toMatch(/Already received/);
    expect(later).toMatch(new RegExp(`${id}</code>: done \\(filled\\)`));
  });

  it('defect 21: a command already executed is answered with its status even when its update record is gone', async () => {
    // The update was handled by a Lambda that crashed after queueing and before recording its reply:
    // the re-run sees the executor's record of the intent and reports it instead of "Queued".
    const h = await setup();
    const update = textUpdate(CHAT, '/futures_open long 200 BTCUSDT');
    await h.refresh();
    const first = await h.deliver(update);
    const id = /Queued <code>(ac-[0-9a-f]{32})<\/code>/.exec(first)![1]!;
    await h.drain();
    const stored = await h.realStore.getCommandReceipt(`${CHAT}:${update.update_id}:${update.message.date}`);
    expect(stored).toMatchObject({ status: 'DONE', intentIds: [id, expect.any(String)] });
    await h.realStore.updateCommandReceipt({
      ...stored!,
      status: 'RECEIVED',
      intentIds: [],
      version: stored!.version + 1,
    });
    await h.refresh();
    const again = await h.deliver(update);
    expect(again).not.toMatch(/Queued/);
    expect(again).toMatch(new RegExp(`Already received[\\s\\S]*${id}</code>: done \\(filled\\)`));
    expect(entryFills(h)).toHaveLength(1);
  });

  it('defect 21: a redelivered button press is answered as already handled and queues nothing new', async () => {
    const h = await setup();
    await h.say('/futures_emergency_close');
    const press = callbackUpdate(CHAT, h.buttons().Confirm!);
    await h.refresh();
    expect(await h.deliver(press)).toMatch(/Halted\. Closing every open position/);
    const again = await h.deliver(press);
    expect(again).toMatch(/Already received/);
    expect(again).not.toMatch(/already used/);
    expect(h.memoryQueue.depth).toBe(1);
  });
});

describe('/futures_open redelivered after the first delivery died between the entry and its stop', () => {
  it('defect 6 (review): the redelivery queues the missing protective stop, and only that', async () => {
    const { futuresOpen } = await import('../../../shared/app/telegram/trade-commands.ts');
    const h = await setup();
    await h.refresh();
    // The first delivery: the entry reaches the queue, then the function dies before the stop is sent.
    const dying = {
      ...h.deps.queue,
      send: async (
        m: Parameters<typeof h.deps.queue.send>[0],
        o?: Parameters<typeof h.deps.queue.send>[1],
      ) => {
        if (m.kind === 'intent' && m.intent.type === 'stop_market') return; // never sent
        return h.deps.queue.send(m, o);
      },
    };
    const ctx = {
      chatId: CHAT,
      userId: CHAT,
      updateId: 900_001,
      sentAt: 1_788_094_800_000,
      at: h.deps.clock.now(),
    };
    const args = futuresOpen.args(['long', '200'], h.deps);
    await futuresOpen.run({ ...ctx, args, deps: { ...h.deps, queue: dying } });
    await h.drain(); // the entry fills: a position without a stop
    expect(h.sim.ledger.positions.size).toBe(1);
    expect((await h.exchange.fetchOpenOrders('BTCUSDT')).filter((o) => o.type === 'stop_market')).toEqual([]);

    // Telegram redelivers the update: the same ids; the entry is not sent again, the stop is.
    const reply = await futuresOpen.run({ ...ctx, args, deps: h.deps });
    expect(reply.text).toMatch(/Already received/);
    expect(reply.text).toMatch(/protective stop had not been queued: queued now/);
    await h.drain();
    const stops = (await h.exchange.fetchOpenOrders('BTCUSDT')).filter((o) => o.type === 'stop_market');
    expect(stops).toHaveLength(1);
    expect(stops[0]!.quantity).toBe([...h.sim.ledger.positions.values()][0]!.quantity);
    expect(h.sim.ledger.fills.filter((f) => f.side === 'buy')).toHaveLength(1); // one entry, never two

    // A third delivery finds both: nothing more is sent.
    const third = await futuresOpen.run({ ...ctx, args, deps: h.deps });
    expect(third.text).not.toMatch(/queued now/);
    expect(h.memoryQueue.depth).toBe(0);
  });
});
