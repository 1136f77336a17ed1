// The other money paths of the trade commands, through the real webhook handler on dynalite: a queue
// that refuses a send and a halt flag written concurrently get a reply saying exactly what happened,
// never the generic "failed on our side".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { callbackUpdate } from '../../../infra/local/telegram-updates.ts';
import { setStrategyPause } from '../../../shared/app/monitors/performance-monitor.ts';
import type { OrderQueue, QueueMessage } from '../../../shared/ports/order-queue.ts';
import { ConcurrentModification, type StateStore } from '../../../shared/ports/state-store.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { CHAT, setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram-trade');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

/** A queue that refuses the messages `refuse` picks (an SQS outage for them). */
function refusing(refuse: (m: QueueMessage) => boolean) {
  return (inner: OrderQueue): OrderQueue => ({
    send: async (m, o) => {
      if (refuse(m)) throw new Error('SQS: service unavailable');
      return inner.send(m, o);
    },
    receive: (...a) => inner.receive(...a),
    delete: (r) => inner.delete(r),
    changeVisibility: (...a) => inner.changeVisibility(...a),
    deadLetter: (...a) => inner.deadLetter(...a),
  });
}

/** A store where another writer rewrites the halt record right before each of its first `n` writes. */
function racingHalt(n: number) {
  return (inner: StateStore): StateStore => {
    let left = n;
    const s = Object.create(inner) as StateStore;
    s.setHalt = async (halted, reason, at, expectedVersion) => {
      if (left-- > 0) {
        const h = await inner.getHalt();
        await inner.setHalt(h.halted, 'another writer', at, h.version);
      }
      return inner.setHalt(halted, reason, at, expectedVersion);
    };
    return s;
  };
}

describe('review of the trade commands: no generic error on a money path', () => {
  it('/futures_open whose stop the queue refuses: the entry is reported queued WITHOUT its stop', async () => {
    const h = await setupWebhook(
      { dynamo, api },
      { wrapQueue: refusing((m) => m.kind === 'intent' && m.intent.type === 'stop_market') },
    );
    const reply = await h.say('/futures_open long 200 BTCUSDT');
    expect(reply).not.toMatch(/failed on our side/);
    expect(reply).toMatch(/Queued <code>ac-[0-9a-f]{32}<\/code>: long 0\.002 BTCUSDT .* stop NOT queued/);
    expect(reply).toMatch(/NOT queued .*stop_market/);
    expect(h.memoryQueue.depth).toBe(1);
  });

  it('/futures_open whose entry the queue refuses: nothing is sent, and the reply says so', async () => {
    const h = await setupWebhook({ dynamo, api }, { wrapQueue: refusing((m) => m.kind === 'intent') });
    const reply = await h.say('/futures_open long 200 BTCUSDT');
    expect(reply).toMatch(/NOT queued[\s\S]*Nothing was sent/);
    expect(reply).not.toMatch(/Queued <code>/);
    expect(h.memoryQueue.depth).toBe(0);
  });

  it('/futures_close whose close the queue refuses: not "Queued", and says which were not sent', async () => {
    let refuse = false;
    const h = await setupWebhook(
      { dynamo, api },
      { wrapQueue: refusing((m) => refuse && m.kind === 'intent' && m.intent.reduceOnly) },
    );
    await h.say('/futures_open long 1000 BTCUSDT');
    await h.drain();
    refuse = true;
    const reply = await h.say('/futures_close BTCUSDT');
    expect(reply).toMatch(/^Nothing queued:/);
    expect(reply).toMatch(/NOT queued .*market <code>ac-/);
    expect(reply).not.toMatch(/failed on our side/);
  });

  it('/halt when another writer changes the halt record at the same moment: retried, halted', async () => {
    const h = await setupWebhook({ dynamo, api }, { wrapStore: racingHalt(2) });
    expect(await h.say('/halt')).toMatch(/^Halted: new exposure is rejected/);
    expect(await h.realStore.getHalt()).toMatchObject({
      halted: true,
      reason: `halted from Telegram (chat ${CHAT})`,
    });
  });

  it('Resume confirmed while the risk engine re-halts: not resumed, and the reply says why', async () => {
    const h = await setupWebhook({ dynamo, api });
    await h.say('/halt');
    await h.say('/resume');
    const { Confirm } = h.buttons();
    // The risk engine writes the halt again (a new reason, a new version) as the press lands.
    const original = h.deps.store.setHalt.bind(h.deps.store);
    let raced = false;
    h.deps.store.setHalt = async (halted, reason, at, v) => {
      if (!raced && !halted) {
        raced = true;
        const cur = await h.realStore.getHalt();
        await h.realStore.setHalt(true, 'daily loss limit (risk engine)', at, cur.version);
      }
      return original(halted, reason, at, v);
    };
    const reply = await h.deliver(callbackUpdate(CHAT, Confirm!));
    expect(reply).toMatch(/Not resumed: the halt changed at the same moment \(halted: daily loss limit/);
    expect((await h.realStore.getHalt()).halted).toBe(true);
  });

  it('/strategy_resume while the performance monitor keeps rewriting the pause: says NOT resumed', async () => {
    let contended = false;
    const h = await setupWebhook(
      { dynamo, api },
      {
        wrapStore: (inner) => {
          const s = Object.create(inner) as StateStore;
          s.putStrategyState = async (r) => {
            if (contended) throw new ConcurrentModification('strategy state changed');
            return inner.putStrategyState(r);
          };
          return s;
        },
      },
    );
    const strategy = h.deps.config.strategies[0]!;
    await setStrategyPause(h.realStore, strategy, { paused: true, reason: 'drawdown', since: 1 });
    contended = true;
    const reply = await h.say(`/strategy_resume ${strategy}`);
    expect(reply).toMatch(new RegExp(`${strategy} NOT resumed: its pause kept changing`));
    expect(reply).not.toMatch(/failed on our side/);
  });
});
