// Issue 18: a dashboard action is the Telegram command. Two identical worlds (dynalite, the simulated
// exchange, the in-process queue, the real webhook handler), each with a long BTCUSDT opened through the
// bot: one is halted and emergency-closed from Telegram, the other from the dashboard's HTTP handler
// (signed link → session cookie → POSTs with confirmation). Same queue messages, same domain events,
// same halt record, and after the executor runs, the same flat account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { callbackUpdate } from '../../../infra/local/telegram-updates.ts';
import { MemoryEventBus } from '../../../shared/adapters/memory/event-bus.ts';
import { issueLinkToken } from '../../../shared/app/dashboard/auth.ts';
import { type DashboardSetup, handleDashboardRequest } from '../../../shared/app/dashboard/http.ts';
import { signInitData } from '../../../shared/app/dashboard/init-data.ts';
import type { OrderQueue, QueueMessage } from '../../../shared/ports/order-queue.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { CHAT, setupWebhook } from '../telegram/harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-dashboard-actions');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});

const ORIGIN = 'http://127.0.0.1:8080';
const SECRET = 'dashboard-actions-test-secret-0123456789';

async function world() {
  const sent: QueueMessage[] = [];
  const recording = (q: OrderQueue): OrderQueue => {
    const r = Object.create(q) as OrderQueue;
    r.send = async (m, o) => {
      sent.push(m);
      return q.send(m, o);
    };
    return r;
  };
  const h = await setupWebhook({ dynamo, api }, { wrapQueue: recording });
  const bus = new MemoryEventBus();
  h.deps.bus = bus;
  await h.say('/futures_open long 1000 BTCUSDT');
  await h.drain();
  expect(h.sim.ledger.positions.has('BTCUSDT')).toBe(true);
  await h.refresh();
  sent.length = 0;
  return { h, bus, sent };
}

/** The dashboard over a world, for the test's chat (TELEGRAM_ALLOWED_USER_IDS as given). */
function dashboardOf(w: Awaited<ReturnType<typeof world>>, allowedUserIds: number[] = []): DashboardSetup {
  return {
    deps: w.h.deps,
    auth: { secret: SECRET, allowedChatIds: [CHAT], allowedUserIds },
    origin: ORIGIN,
    log: () => {},
  };
}

/** Ids are hashes of the update (or of the button): equal in shape, not in value, across the worlds. */
const shape = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/ac-[0-9a-f]{32}/g, 'ID'));

async function signIn(setup: DashboardSetup): Promise<string> {
  const link = issueLinkToken(setup.auth, { chatId: CHAT, userId: CHAT }, setup.deps.clock.now());
  const r = await handleDashboardRequest(
    { method: 'GET', path: '/auth', query: new URLSearchParams({ t: link }), headers: {}, body: '' },
    async () => setup,
  );
  expect(r.status).toBe(303);
  return r.headers['set-cookie']!.split(';')[0]!;
}

function post(setup: DashboardSetup, cookie: string, path: string, body: unknown, origin = ORIGIN) {
  return handleDashboardRequest(
    {
      method: 'POST',
      path,
      query: new URLSearchParams(),
      headers: { cookie, origin, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
    async () => setup,
  );
}

describe('dashboard actions go through the Telegram commands', () => {
  it('halt, then emergency close with confirmation: the same intents and events as from Telegram', async () => {
    const tg = await world();
    const web = await world();

    // Telegram: /halt, /futures_emergency_close, Confirm.
    expect(await tg.h.say('/halt')).toMatch(/^Halted/);
    expect(await tg.h.say('/futures_emergency_close')).toMatch(/Emergency close/);
    expect(await tg.h.deliver(callbackUpdate(CHAT, tg.h.buttons().Confirm!))).toMatch(
      /Closing every open position/,
    );

    // Dashboard: the same, as the page does it.
    const setup = dashboardOf(web);
    const cookie = await signIn(setup);
    const at = web.h.deps.clock.now();
    await web.h.refresh();
    const halted = await post(setup, cookie, '/api/action', { action: 'halt', requestId: 11, sentAt: at });
    expect(halted.status).toBe(200);
    expect(JSON.parse(halted.body).html).toMatch(/^Halted/);
    const asked = JSON.parse(
      (await post(setup, cookie, '/api/action', { action: 'emergency_close', requestId: 12, sentAt: at }))
        .body,
    );
    expect(asked.html).toMatch(/Emergency close/);
    expect(asked.confirm).toMatch(/^[0-9a-f]{32}$/);
    // Nothing happens before the confirmation.
    expect(web.sent).toEqual([]);
    const done = await post(setup, cookie, '/api/confirm', {
      data: `confirm:${asked.confirm}`,
      pressId: 'ab'.repeat(8),
    });
    expect(JSON.parse(done.body).html).toMatch(/Closing every open position/);

    // Same queue messages (one close_all), same events (one Halted), same halt record.
    expect(web.sent).toHaveLength(1);
    expect(shape(web.sent)).toEqual(shape(tg.sent));
    expect(web.bus.events.map((e) => e.type)).toEqual(['Halted']);
    expect(shape(web.bus.events)).toEqual(shape(tg.bus.events));
    const [a, b] = [await tg.h.deps.store.getHalt(), await web.h.deps.store.getHalt()];
    expect({ ...b, since: 0 }).toEqual({ ...a, since: 0 });

    // The executor closes both accounts alike.
    await tg.h.drain();
    await web.h.drain();
    expect(tg.h.sim.ledger.positions.size).toBe(0);
    expect(web.h.sim.ledger.positions.size).toBe(0);

    // A second press of the same confirmation is refused, as the bot refuses a second press.
    const again = await post(setup, cookie, '/api/confirm', {
      data: `confirm:${asked.confirm}`,
      pressId: 'cd'.repeat(8),
    });
    expect(JSON.parse(again.body).html).toMatch(/already used/);
  });

  it('refuses a POST from another origin, and one without the session, changing nothing', async () => {
    const web = await world();
    const setup = dashboardOf(web);
    const cookie = await signIn(setup);
    const body = { action: 'halt', requestId: 21, sentAt: web.h.deps.clock.now() };
    expect((await post(setup, cookie, '/api/action', body, 'https://evil.example')).status).toBe(403);
    expect((await post(setup, '', '/api/action', body)).status).toBe(401);
    expect((await web.h.deps.store.getHalt()).halted).toBe(false);
  });

  it('a viewer who is not an owner (TELEGRAM_ALLOWED_USER_IDS) may look but not act', async () => {
    const web = await world();
    const setup = dashboardOf(web, [777]);
    const cookie = await signIn(setup);
    const r = await post(setup, cookie, '/api/action', {
      action: 'halt',
      requestId: 31,
      sentAt: web.h.deps.clock.now(),
    });
    expect(r.status).toBe(403);
    expect((await web.h.deps.store.getHalt()).halted).toBe(false);
  });

  it('a Mini App viewer acts with its initData header, from the dashboard’s own origin only', async () => {
    const web = await world();
    const token = '123456:TEST-TOKEN';
    const setup = { ...dashboardOf(web), auth: { ...dashboardOf(web).auth, botToken: token } };
    const initData = signInitData(token, {
      auth_date: String(Math.floor(web.h.deps.clock.now() / 1000)),
      user: JSON.stringify({ id: CHAT }),
    });
    const halt = (origin: string) =>
      handleDashboardRequest(
        {
          method: 'POST',
          path: '/api/action',
          query: new URLSearchParams(),
          headers: { authorization: `tma ${initData}`, origin, 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'halt', requestId: 41, sentAt: web.h.deps.clock.now() }),
        },
        async () => setup,
      );
    expect((await halt('https://evil.example')).status).toBe(403);
    expect((await web.h.deps.store.getHalt()).halted).toBe(false);
    expect((await halt(ORIGIN)).status).toBe(200);
    expect((await web.h.deps.store.getHalt()).halted).toBe(true);
  });
});
