// Defect 19: a crash (or a Lambda timeout) anywhere inside a strategy tick must not lose the tick. The
// tick is killed at every port call in turn — before the call takes effect and just after — then run
// again at the same instant, as a restart or Lambda's retry does; what it queued, the state it saved and
// what the executor then places must equal an uninterrupted run's.
import { describe, expect, it } from 'vitest';
import type { TickResult } from '../../../shared/app/strategy-tick.ts';
import { messageId, type QueueMessage } from '../../../shared/ports/order-queue.ts';
import { fundingArbitrage } from '../../../shared/strategies/funding-arbitrage.ts';
import { grid } from '../../../shared/strategies/grid.ts';
import type { Strategy } from '../../../shared/strategies/strategy.ts';
import { HOUR } from '../../support/candles.ts';
import { Killed, type KillPoint, killSwitch } from '../../support/kill-switch.ts';
import { type TickWorld, tickWorld } from '../../support/tick-world.ts';

const START = 200;

interface Scenario {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: strategies of any parameter type.
  strategy: Strategy<any, any>;
  params: unknown;
  world: () => TickWorld;
  /** Uninterrupted hours before the tick under test. */
  before: number;
}

function fundingWorld(): TickWorld {
  const t0 = tickWorld({ startIndex: START }).sim.now();
  const first = Math.floor(t0 / (8 * HOUR)) * 8 * HOUR + 8 * HOUR;
  return tickWorld({
    startIndex: START,
    initialSpot: { USDT: 10_000, BTC: 0.5 },
    funding: { time: Float64Array.from([first, first + 8 * HOUR]), rate: Float64Array.from([5e-4, 5e-4]) },
  });
}

/** What one run of the tick under test left: the distinct messages sent, the saved state, the exchange after the executor. */
async function runTick(s: Scenario, kill: KillPoint) {
  const w = s.world();
  for (let h = 0; h < s.before; h++) await w.hour(s.strategy, s.params);
  const sent: QueueMessage[] = [];
  const send = w.queue.send.bind(w.queue);
  w.queue.send = async (m, o) => {
    sent.push(m);
    return send(m, o);
  };
  const k = killSwitch(w.deps, kill);
  let result: TickResult | undefined;
  let crashed = false;
  try {
    result = await w.tick(s.strategy, s.params, k.deps);
  } catch (err) {
    if (!(err instanceof Killed)) throw err;
    crashed = true;
  }
  // The restart: the same instant again, on healthy ports.
  const rerun = crashed ? await w.tick(s.strategy, s.params) : undefined;
  const distinct = [...new Map(sent.map((m) => [messageId(m), m])).values()];
  const depth = w.queue.depth;
  const record = await w.store.getStrategyState(s.strategy.name, 'BTCUSDT');
  await w.drain();
  const open = w.sim
    .openOrders('BTCUSDT')
    .map((o) => `${o.clientOrderId} ${o.side} ${o.type} ${o.quantity} ${o.price ?? o.stopPrice}`)
    .sort();
  const position = w.sim.ledger.positions.get('BTCUSDT');
  return {
    calls: k.calls,
    crashed,
    result: rerun ?? result,
    rerun,
    messages: distinct,
    depth,
    saved: { state: record?.state, lastTick: record?.lastTick, outbox: record?.outbox },
    open,
    position: position ? `${position.side} ${position.quantity}` : 'flat',
    spotBtc: w.spot('BTC'),
  };
}

const scenarios: Scenario[] = [
  {
    name: 'grid: the first tick lays the grid',
    strategy: grid,
    params: grid.paramsSchema.parse({}),
    world: () => tickWorld({ startIndex: START }),
    before: 0,
  },
  {
    name: 'funding_arbitrage: the entry (perp, spot, stop)',
    strategy: fundingArbitrage,
    // Enters on the predicted rate alone (a window of 1), each leg within its own wallet (10 % of
    // equity): the first tick is the entry, with no wallet transfer asked first.
    params: fundingArbitrage.paramsSchema.parse({ smoothingSettlements: 1, positionPct: 10 }),
    world: fundingWorld,
    before: 0,
  },
];

/** The first grid tick that re-arms a level after a fill and places the inventory's hard stop. */
async function gridRearmHour(): Promise<number> {
  const w = tickWorld({ startIndex: START });
  const params = grid.paramsSchema.parse({});
  const sent: QueueMessage[] = [];
  const send = w.queue.send.bind(w.queue);
  w.queue.send = async (m, o) => {
    sent.push(m);
    return send(m, o);
  };
  for (let h = 0; h < 300; h++) {
    sent.length = 0;
    const r = await w.hour(grid, params);
    const intents = sent.flatMap((m) => (m.kind === 'intent' ? [m.intent] : []));
    const rearm = intents.some((i) => i.type === 'limit' && i.reason?.startsWith('grid re-arm'));
    const stop = intents.some((i) => i.type === 'stop_market' && i.reason === 'grid hard stop');
    if (r.kind === 'ticked' && rearm && stop) return h;
  }
  throw new Error('no grid re-arm with a hard stop in 300 hours');
}

/** Kills the tick at every port call of an uninterrupted run, before and after the call. */
async function killEverywhere(s: Scenario): Promise<void> {
  const clean = await runTick(s, undefined);
  expect(clean.messages.length, 'the tick under test must send orders').toBeGreaterThan(1);
  const points = clean.calls.flatMap((_, i) => [
    { at: i + 1, when: 'before' as const },
    { at: i + 1, when: 'after' as const },
  ]);
  for (const kill of points) {
    const r = await runTick(s, kill);
    const where = `killed ${kill.when} call ${kill.at} (${clean.calls[kill.at - 1]})`;
    expect(r.messages, where).toEqual(clean.messages);
    expect(r.depth, where).toBe(clean.depth);
    expect(r.saved, where).toEqual(clean.saved);
    expect(r.open, where).toEqual(clean.open);
    expect(r.position, where).toBe(clean.position);
    expect(r.spotBtc, where).toBe(clean.spotBtc);
    // A re-run after the tick had finished (only its StrategyTicked event was lost) has nothing to do.
    if (r.rerun?.kind === 'ticked') expect(r.result, where).toEqual(clean.result);
    else if (r.rerun) expect(r.rerun.reason, where).toMatch(/already ran/);
  }
}

describe('defect 19: a strategy tick killed at any port call is re-run to the same outcome', () => {
  it.each(scenarios)('$name', (s) => killEverywhere(s), 120_000);

  it('grid: a tick that re-arms after a fill and places the hard stop', async () => {
    const params = grid.paramsSchema.parse({});
    const before = await gridRearmHour();
    await killEverywhere({
      name: 're-arm',
      strategy: grid,
      params,
      world: () => tickWorld({ startIndex: START }),
      before,
    });
  }, 300_000);
});

/** The port call just after the tick's last send, in an uninterrupted run of the first grid tick. */
function firstGridTickCalls(): Promise<string[]> {
  const dry = tickWorld({ startIndex: START });
  const k = killSwitch(dry.deps, undefined);
  return dry.tick(grid, grid.paramsSchema.parse({}), k.deps).then(() => k.calls);
}

/** The grid's resting orders, and those its saved state does not track (an orphan grid). */
async function gridOrders(w: TickWorld) {
  const record = await w.store.getStrategyState('grid', 'BTCUSDT');
  const state = record?.state as { orders: Record<string, unknown>; stop?: { id: string } } | undefined;
  const tracked = new Set([...Object.keys(state?.orders ?? {}), ...(state?.stop ? [state.stop.id] : [])]);
  const open = w.sim.openOrders('BTCUSDT');
  return {
    open: open.map((o) => o.clientOrderId).sort(),
    untracked: open.filter((o) => !tracked.has(o.clientOrderId)).map((o) => o.clientOrderId),
  };
}

describe('verify (issue 12): a crash after enqueuing but before saving state', () => {
  it('defect 19: the grid does not lay a second grid after the restart', async () => {
    const params = grid.paramsSchema.parse({});
    const lastSend = (await firstGridTickCalls()).lastIndexOf('queue.send') + 1;
    async function twoHours(kill: KillPoint) {
      const w = tickWorld({ startIndex: START });
      await w.tick(grid, params, killSwitch(w.deps, kill).deps).catch((err) => {
        if (!(err instanceof Killed)) throw err;
      });
      await w.tick(grid, params); // the restart runs the same instant again
      await w.drain();
      w.sim.advance();
      await w.hour(grid, params);
      return gridOrders(w);
    }
    const clean = await twoHours(undefined);
    const killed = await twoHours({ at: lastSend, when: 'after' });
    expect(killed.open.length, 'resting grid orders').toBe(clean.open.length);
    expect(killed.untracked, 'orders the grid no longer tracks').toEqual([]);
    expect(killed.open).toEqual(clean.open);
  });
});

describe('defect 19: no re-run of the crashed instant', () => {
  it('the next tick sends what the crashed one recorded, stands aside once, and nothing is orphaned', async () => {
    const params = grid.paramsSchema.parse({});
    const firstSend = (await firstGridTickCalls()).indexOf('queue.send') + 1;
    const w = tickWorld({ startIndex: START });
    await expect(
      w.tick(grid, params, killSwitch(w.deps, { at: firstSend, when: 'before' }).deps),
    ).rejects.toThrow(Killed);
    expect(w.queue.depth, 'the crash came before any send').toBe(0);
    w.sim.advance(); // the retries never came (Lambda gave up): the next hour's tick
    const next = await w.tick(grid, params);
    expect(next).toEqual({
      kind: 'skipped',
      reason: expect.stringMatching(/sent the orders tick .* left unsent/),
    });
    expect(w.queue.depth).toBe(10);
    await w.drain();
    w.sim.advance();
    expect((await w.hour(grid, params)).kind).toBe('ticked');
    const after = await gridOrders(w);
    expect(after.untracked).toEqual([]);
    expect(after.open.length).toBeGreaterThan(0);
  });

  it('two invocations of the same instant at once send one set of orders', async () => {
    const params = grid.paramsSchema.parse({});
    const w = tickWorld({ startIndex: START });
    const sent: string[] = [];
    const send = w.queue.send.bind(w.queue);
    w.queue.send = async (m, o) => {
      sent.push(messageId(m));
      return send(m, o);
    };
    const [a, b] = await Promise.all([w.tick(grid, params), w.tick(grid, params)]);
    expect([a.kind, b.kind]).toContain('ticked');
    expect(new Set(sent).size).toBe(10);
    expect(w.queue.depth).toBe(10);
    const record = await w.store.getStrategyState('grid', 'BTCUSDT');
    expect(record?.outbox).toBeUndefined();
    await w.drain();
    expect((await gridOrders(w)).untracked).toEqual([]);
  });
});
