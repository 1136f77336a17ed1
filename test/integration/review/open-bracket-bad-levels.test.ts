// Review: /futures_open's sl=/tp= levels are rounded to the tick (0.1 on BTCUSDT) before they are
// checked against the mark. A level that rounds to 0 — sl=0.01 on a long, tp=0.01 on a short — passed the
// "below/above the mark" check and reached the intent schema, which threw: the trader got an internal
// error instead of the reason. It must be refused with a clear error and nothing queued.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { setupWebhook } from '../telegram/harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-review-bracket-levels');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

describe('review: /futures_open levels under one tick', () => {
  it.each([
    ['long', 'sl=0.01', /stop .*(tick|above 0|not below)/],
    ['short', 'tp=0.01', /take-profit .*(tick|above 0|not below)/],
  ])('review: %s %s is refused with a clear error and queues nothing', async (side, option, error) => {
    const h = await setupWebhook({ dynamo, api });
    const reply = await h.say(`/futures_open ${side} 200 BTCUSDT ${option}`);
    expect(reply).toMatch(/Refused — nothing was sent/);
    expect(reply).toMatch(error);
    expect(h.memoryQueue.depth).toBe(0);
  });
});
