// The bracket tests' steps on the monitor bench (./monitor-harness.ts): a bracketed entry executed with
// its legs, and the executor working through the queue one message at a time.
import { expect } from 'vitest';
import { drainOnce } from '../../shared/app/drain-queue.ts';
import { executeMessage } from '../../shared/app/execute-intent.ts';
import { type BracketInput, bracketLegs } from '../../shared/domain/bracket.ts';
import { makeIntentId } from '../../shared/domain/order.ts';
import { intent } from './intents.ts';
import type { monitorHarness } from './monitor-harness.ts';

type Harness = Awaited<ReturnType<typeof monitorHarness>>;

/** A 0.01 BTC market buy carrying `bracket`, then its legs, through the executor as the queue would. */
export async function enterWithBracket(h: Harness, bracket: BracketInput) {
  const now = h.deps.clock.now();
  const id = makeIntentId({ source: 'test', symbol: 'BTCUSDT', tickTime: now, sequence: 0 });
  const parent = intent(
    { id, strategy: 'volatility_breakout', symbol: 'BTCUSDT', side: 'buy', createdAt: now, bracket },
    0,
  );
  for (const i of [parent, ...bracketLegs(parent, 0.001)]) {
    const out = await executeMessage(JSON.stringify({ kind: 'intent', intent: i }), h.exec);
    expect(out.kind).toBe('placed');
  }
  return parent;
}

/** The executor works through the queue one message at a time; `after` runs after each. */
export async function drain(h: Harness, after: () => Promise<void> = async () => {}) {
  for (let i = 0; i < 50; i++) {
    const r = await drainOnce(h.deps.queue, h.exec, { max: 1 });
    expect(r.failures).toEqual([]);
    if (r.outcomes.length === 0) return;
    await after();
  }
  throw new Error('queue never drained');
}

/** Half at 61,000, the rest at 64,000, from a 58,000 stop: a 62,000 candle fills only the first. */
export const TWO_TAKE_PROFITS: BracketInput = {
  stopPrice: 58_000,
  takeProfits: [
    { price: 61_000, fraction: 0.5 },
    { price: 64_000, fraction: 0.5 },
  ],
};
