// A manual /futures_open on a symbol a strategy trades is refused (its one-way position would merge
// with the strategy's); a /futures_close of a strategy's position goes through and says whose book it
// lands in. Through the real webhook handler on dynalite, the queue and the simulated exchange.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBotApi } from '../../../infra/local/bot-api.ts';
import { startDynamo } from '../../support/dynalite.ts';
import { setupWebhook } from './harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
let api: Awaited<ReturnType<typeof startBotApi>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-telegram-owner');
  api = await startBotApi();
});
afterAll(async () => {
  await api.stop();
  await dynamo.stop();
});
beforeEach(() => api.clear());

describe('manual trades on a strategy’s symbol', () => {
  it('/futures_open on grid’s BTCUSDT is refused, nothing is queued, and the reply says why and where to go', async () => {
    const h = await setupWebhook({ dynamo, api }, { assignment: { grid: ['BTCUSDT'] } });
    const reply = await h.say('/futures_open long 200 BTCUSDT');
    expect(reply).toMatch(/^Refused — nothing was sent: BTCUSDT is traded by the grid strategy/);
    expect(reply).toMatch(/\/futures_close BTCUSDT \(booked to grid\)/);
    expect(h.memoryQueue.depth).toBe(0);
  });

  it('the same command on the trader’s own symbol is queued', async () => {
    const h = await setupWebhook({ dynamo, api }, { assignment: {} });
    expect(await h.say('/futures_open long 200 BTCUSDT')).toMatch(/^Queued <code>ac-/);
    expect(h.memoryQueue.depth).toBe(2); // entry and its protective stop
  });

  it('/futures_close of a strategy’s position is queued and booked to that strategy', async () => {
    // The position is opened while BTCUSDT is still the trader's, then the symbol is given to grid
    // (a reassignment): the close must still go through — it is the way out — and say whose book it is.
    const assignment: { grid?: string[] } = {};
    const h = await setupWebhook({ dynamo, api }, { assignment });
    await h.say('/futures_open long 1000 BTCUSDT');
    await h.drain();
    assignment.grid = ['BTCUSDT'];
    const reply = await h.say('/futures_close BTCUSDT');
    expect(reply).toMatch(/^Queued:/);
    expect(reply).toMatch(/Booked to the strategy that owns the position \(BTCUSDT: grid\)/);
  });
});
