// The Telegram webhook end to end: real Update JSON through the Lambda handler, telegraf, the command
// registry, dynalite state, the in-process queue and the simulated exchange; every Bot API call goes to
// a loopback server that records it.
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeNotifierHandler, telegramSender } from '../../../functions/notifier/handler.ts';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import {
  callbackUpdate,
  editedUpdate,
  stickerUpdate,
  textUpdate,
} from '../../../infra/local/telegram-updates.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import type { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { drainOnce } from '../../../shared/app/drain-queue.ts';
import { COMMANDS } from '../../../shared/app/telegram/commands.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { CHAT, SECRET, setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});

const setup = (opts: { rateLimit?: number } = {}) => setupWebhook({ dynamo, api }, opts);

beforeEach(() => api.clear());

describe('webhook security', () => {
  it('a missing or wrong secret token gets 401 and nothing else happens', async () => {
    const h = await setup();
    expect((await h.post(textUpdate(CHAT, '/halt'), null)).statusCode).toBe(401);
    expect((await h.post(textUpdate(CHAT, '/halt'), 'wrong-secret')).statusCode).toBe(401);
    expect(api.calls).toEqual([]);
    expect((await h.deps.store.getHalt()).halted).toBe(false);
  });

  it('a chat outside the allow-list gets no reply, changes nothing, and is logged with its id', async () => {
    const h = await setup();
    expect((await h.post(textUpdate(999, '/halt'))).statusCode).toBe(200);
    expect(api.calls).toEqual([]);
    expect((await h.deps.store.getHalt()).halted).toBe(false);
    expect(h.logs.some((l) => l.chatId === 999)).toBe(true);
  });

  it('malformed, edited, sticker and unknown updates get 200 and no action', async () => {
    const h = await setup();
    for (const r of [
      await h.post(undefined, SECRET, 'this is not json'),
      await h.post({ no_update_id: true }),
      await h.post(editedUpdate(CHAT, '/halt')),
      await h.post(stickerUpdate(CHAT)),
      await h.post({ update_id: 1, poll: { id: 'p' } }),
    ]) {
      expect(r.statusCode).toBe(200);
    }
    expect(api.calls).toEqual([]);
    expect((await h.deps.store.getHalt()).halted).toBe(false);
  });
});

describe('commands', () => {
  it('/help is generated from the registry that parses the commands', async () => {
    const h = await setup();
    const text = await h.say('/help');
    for (const c of COMMANDS) expect(text).toContain(c.usage.replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(text).toContain('funding_arbitrage');
    expect(await h.say('/start')).toContain('Welcome');
  });

  it('/futures_status, /funding_rate and /liquidation_risk answer from the exchange and the state', async () => {
    const h = await setup();
    expect(await h.say('/futures_status')).toMatch(
      /Equity<\/b> 10,000\.00 USDT[\s\S]*Margin ratio[\s\S]*Today[\s\S]*Trading<\/b> active[\s\S]*No open positions/,
    );
    expect(await h.say('/funding_rate BTCUSDT')).toMatch(
      /BTCUSDT funding<\/b>: -?\d\.\d{4} % per 8 h[\s\S]*next settlement[\s\S]*recent:/,
    );
    expect(await h.say('/liquidation_risk')).toMatch(/Thresholds: warning under 15 %, critical under 8 %/);
  });

  it.each([
    [
      '/futures_open long -100',
      /amount must be a positive number of USDT\. Usage: <code>\/futures_open long\|short &lt;usdt&gt;/,
    ],
    ['/futures_open long', /missing amount/],
    ['/futures_open sideways 100', /side must be long or short/],
    ['/futures_open long 100 DOGEUSDT', /unknown symbol \(configured: BTCUSDT\)/],
    ['/futures_leverage 50', /leverage must be from 1 to 20/],
    ['/futures_close BTCUSDT 150', /percent must be a number from 1 to 100/],
    ['/pnl year', /period must be day, week or month/],
    ['/futures_status now', /too many arguments/],
    ['/moon', /Unknown command \/moon/],
  ])('%s → one line saying what is wrong and the right form, nothing changes', async (text, pattern) => {
    const h = await setup();
    expect(await h.say(text)).toMatch(pattern);
    expect((h.deps.queue as MemoryOrderQueue).depth).toBe(0);
  });

  it('/futures_leverage 10 stores the preference used by the next /futures_open', async () => {
    const h = await setup();
    expect(await h.say('/futures_leverage 10 BTCUSDT')).toMatch(/set to 10x/);
    expect(await h.say('/futures_open short 200')).toMatch(/at 10x/);
  });

  it('/futures_open long 10 BTCUSDT: far under the 100 USDT minimum notional — explained, nothing sent', async () => {
    const h = await setup();
    expect(await h.say('/futures_open long 10 BTCUSDT')).toMatch(
      /Too small: 10\.00 USDT is under BTCUSDT's minimum order \(100 USDT/,
    );
    expect((h.deps.queue as MemoryOrderQueue).depth).toBe(0);
  });

  it('/futures_open long 100 BTCUSDT: queue → executor → simulated fill → notification via the Bot API', async () => {
    const h = await setup();
    // ~80,000 USDT/BTC: 100 USDT floors to 0.001 BTC (under the 100 USDT minimum), so the smallest
    // valid order, 0.002 BTC, is used and the reply says so.
    const reply = await h.say('/futures_open long 100 BTCUSDT');
    expect(reply).toMatch(
      /Queued <code>ac-[0-9a-f]{32}<\/code>: long 0\.002 BTCUSDT .* raised to the exchange minimum .* at 5x, stop at/,
    );
    const bus = new MemoryEventBus();
    const notifier = makeNotifierHandler(async () => ({
      store: h.deps.store,
      clock: h.deps.clock,
      send: telegramSender('123456:TEST-TOKEN', [CHAT], api.apiRoot),
    }));
    bus.subscribe(async (e) => {
      await notifier({ 'detail-type': e.type, detail: e }, {} as Context);
    });
    api.clear();
    const r = await drainOnce(h.deps.queue, { ...h.exec, bus });
    expect(r.outcomes.map((o) => o.kind)).toEqual(['placed', 'placed']);
    expect(h.sim.ledger.positions.get('BTCUSDT')).toMatchObject({
      side: 'long',
      quantity: 0.002,
      leverage: 5,
    });
    const sent = api.texts();
    // The fill, in the trader's own (manual) book; the resting stop's placement is routine: off by
    // default (/notify orders on), the command's reply already named its price.
    expect(sent[0]).toMatch(/✅ manual: Filled buy 0\.002 BTCUSDT @ /);
    expect(sent.some((t) => /📌 Placed/.test(t))).toBe(false);
    expect(api.calls.every((c) => c.payload.chat_id === CHAT)).toBe(true);
  });

  it('a risk rejection is answered with its reasons and nothing is queued', async () => {
    const h = await setup();
    expect(await h.say('/futures_open long 5000 BTCUSDT')).toMatch(
      /Rejected — nothing was sent:[\s\S]*exceeds 30 % of equity/,
    );
    expect((h.deps.queue as MemoryOrderQueue).depth).toBe(0);
  });

  it('/futures_close BTCUSDT 50 queues a reduce-only close of half the position', async () => {
    const h = await setup();
    await h.say('/futures_open long 1000 BTCUSDT');
    await drainOnce(h.deps.queue, { ...h.exec, bus: new MemoryEventBus() });
    const qty = h.sim.ledger.positions.get('BTCUSDT')!.quantity;
    expect(await h.say('/futures_close BTCUSDT 50')).toMatch(
      new RegExp(`close ${Math.floor((qty / 2) * 1000) / 1000} of ${qty}`),
    );
    await drainOnce(h.deps.queue, { ...h.exec, bus: new MemoryEventBus() });
    expect(h.sim.ledger.positions.get('BTCUSDT')!.quantity).toBeCloseTo(
      qty - Math.floor((qty / 2) * 1000) / 1000,
      9,
    );
  });

  it('a stale read model is said so, and nothing is queued', async () => {
    const h = await setup();
    await h.refresh();
    h.advanceClock(3 * 60_000); // the position monitor has not written for 3 minutes
    const reply = await h.say('/futures_open long 200 BTCUSDT', { refresh: false });
    expect(reply).toMatch(
      /Account data unavailable: the account data is 180 s old: is the position monitor running\?/,
    );
    expect((h.deps.queue as MemoryOrderQueue).depth).toBe(0);
  });

  it('/pnl sends an equity chart as a PNG photo', async () => {
    const h = await setup();
    api.clear();
    await h.postFresh(textUpdate(CHAT, '/pnl week'));
    const photo = api.calls.find((c) => c.method === 'sendPhoto');
    expect(photo?.contentType).toMatch(/multipart\/form-data/);
    expect(photo!.bytes.includes(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBe(true);
    expect(photo!.bytes.toString('latin1')).toMatch(/PnL \(week\)/);
  });
});

describe('confirmations', () => {
  const buttonsOf = () => {
    const call = [...api.calls].reverse().find((c) => c.method === 'sendMessage' && c.payload.reply_markup);
    if (!call) throw new Error('no message with buttons was sent');
    const keyboard = (
      call.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }
    ).inline_keyboard;
    return Object.fromEntries(keyboard[0]!.map((b) => [b.text, b.callback_data]));
  };

  it('emergency close: Confirm halts and queues a reduce-only close per position; a replay is refused', async () => {
    const h = await setup();
    await h.say('/futures_open long 1000 BTCUSDT');
    await drainOnce(h.deps.queue, { ...h.exec, bus: new MemoryEventBus() });
    // A backlog of opens behind which the close must not wait.
    for (let i = 0; i < 3; i++) await h.say('/futures_open long 200 BTCUSDT');
    expect(await h.say('/futures_emergency_close')).toMatch(
      /Emergency close: halt trading and close 1 position/,
    );
    const { Confirm } = buttonsOf();
    api.clear();
    await h.postFresh(callbackUpdate(CHAT, Confirm!));
    expect(api.calls.some((c) => c.method === 'answerCallbackQuery')).toBe(true);
    expect(api.texts().join()).toMatch(/Halted\. Closing every open position at market \(BTCUSDT\)/);
    expect((await h.deps.store.getHalt()).halted).toBe(true);
    const r = await drainOnce(h.deps.queue, { ...h.exec, bus: new MemoryEventBus() });
    // The opens are rejected at once (halted); the close-all closes what the exchange reports.
    expect(r.outcomes.filter((o) => o.kind === 'rejected').length).toBeGreaterThanOrEqual(3);
    expect(r.outcomes.find((o) => o.kind === 'closed_all')).toMatchObject({ closed: ['BTCUSDT'] });
    expect(h.sim.ledger.positions.size).toBe(0);
    api.clear();
    await h.post(callbackUpdate(CHAT, Confirm!));
    expect(api.texts().join()).toMatch(/already used/);
  });

  it('Cancel changes nothing; an expired nonce is refused', async () => {
    const h = await setup();
    await h.say('/futures_emergency_close');
    const first = buttonsOf();
    await h.post(callbackUpdate(CHAT, first.Cancel!));
    expect(api.texts().join()).toMatch(/Cancelled; nothing changed/);
    expect((await h.deps.store.getHalt()).halted).toBe(false);
    await h.say('/futures_emergency_close');
    const second = buttonsOf();
    h.advanceClock(61_000);
    api.clear();
    await h.post(callbackUpdate(CHAT, second.Confirm!));
    expect(api.texts().join()).toMatch(/expired/);
    expect((await h.deps.store.getHalt()).halted).toBe(false);
  });

  it('/halt then /resume with confirmation, each published as a domain event', async () => {
    const h = await setup();
    const bus = new MemoryEventBus();
    h.deps.bus = bus;
    expect(await h.say('/halt')).toMatch(/Halted/);
    expect((await h.deps.store.getHalt()).halted).toBe(true);
    expect(await h.say('/resume')).toMatch(/Resume trading\?/);
    await h.post(callbackUpdate(CHAT, buttonsOf().Confirm!));
    expect((await h.deps.store.getHalt()).halted).toBe(false);
    expect(bus.events.map((e) => e.type)).toEqual(['Halted', 'Resumed']);
  });
});

describe('rate limit', () => {
  it('at most N commands a minute per chat; one notice, then silence', async () => {
    const h = await setup({ rateLimit: 3 });
    for (let i = 0; i < 3; i++) expect(await h.say('/start')).toContain('Welcome');
    expect(await h.say('/start')).toMatch(/Too many commands: at most 3 a minute/);
    expect(await h.say('/start')).toBe('');
    h.advanceClock(60_000);
    expect(await h.say('/start')).toContain('Welcome');
  });
});
