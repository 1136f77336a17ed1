// What happens to a queue message that fails: one policy for the Lambda handler and the local drain.
// A transient failure (RetryLater, a retryable exchange error, a concurrent write) is retried inside
// the invocation with bounded back-off that honours a rate limit's retry-after; past the budget the
// message is handed back to the queue, visible again in seconds (growing with its receive count), so
// it holds its group for seconds, not for the queue's 360-s visibility timeout. An order whose outcome
// is unknown leaves for the dead-letter queue at once. Waits go through an injected `sleep`.
import { ExchangeError, RateLimited } from '../ports/exchange-errors.ts';
import { ConcurrentModification } from '../ports/state-store.ts';
import {
  type ExecutionOutcome,
  type ExecutorDeps,
  executeMessage,
  OrderOutcomeUnknown,
  RetryLater,
} from './execute-intent.ts';

/** Time one delivery may spend retrying a transient failure (the executor times out at 60 s). */
export const RETRY_BUDGET_MS = 5_000;
/** First back-off; it doubles: 0.5 s, 1 s, 2 s → four tries within the budget. */
export const FIRST_BACKOFF_MS = 500;
/** Most tries in one delivery (follows from the two numbers above). */
export const MAX_TRIES_PER_DELIVERY = 4;
/** Hand-back visibility: 1 s on the first delivery, doubling, at most this. */
export const MAX_HAND_BACK_S = 30;
/** A rate limit's retry-after is honoured up to this (a longer ban is an outage: alarms see it). */
export const MAX_RETRY_AFTER_S = 120;
/** Stop retrying when the invocation has less than this left (it must still report the batch). */
export const INVOCATION_RESERVE_MS = 10_000;

/**
 * A record is not started with less than this left of the invocation: under exchange timeouts (10 s a
 * call in the Binance adapter) one record can take two or three calls, and a handler killed by the
 * Lambda timeout hands nothing back — every record of the batch, close_all included, would then wait
 * out the queue's visibility timeout. Records that do not fit are handed back in a second, unstarted.
 */
export const RECORD_START_RESERVE_MS = 25_000;

/** The invocation is too far gone to start this record: hand it back at once, untouched. */
export class NoTimeToStart extends Error {
  override readonly name = 'NoTimeToStart';
}
/**
 * Executions after which an order stuck IN_FLIGHT (its reconcile keeps failing) is declared UNKNOWN:
 * 20 deliveries of four tries — about nine minutes of an exchange that answers errors, so an outage
 * of a few minutes reconciles instead of dead-lettering.
 */
export const UNKNOWN_AFTER_ATTEMPTS = 20 * MAX_TRIES_PER_DELIVERY;

export type Attempt =
  | { kind: 'done'; outcome: ExecutionOutcome; tries: number }
  /** Hand the message back, visible again after `visibilityS`. */
  | { kind: 'retry'; visibilityS: number; error: Error; tries: number }
  | { kind: 'dead_letter'; error: OrderOutcomeUnknown; tries: number };

export interface RetryOptions {
  /** The delivery's receive count (1 on the first). */
  receiveCount: number;
  /** Waits between tries; tests and replays pass one that moves a fake clock (default: none). */
  sleep?: (ms: number) => Promise<void>;
  /** Time the invocation has left (Lambda's context), when bounded. */
  remainingMs?: () => number;
}

/** Worth retrying unchanged in a moment. Decided on the class, never on message text. */
export function isTransient(err: unknown): boolean {
  return (
    err instanceof RetryLater ||
    err instanceof ConcurrentModification ||
    (err instanceof ExchangeError && err.retryable)
  );
}

function retryAfterMsOf(err: unknown): number | undefined {
  if (err instanceof RetryLater) return err.retryAfterMs;
  if (err instanceof RateLimited) return err.retryAfterMs;
  return undefined;
}

/** Visibility of a handed-back message: back-off by receive count, at least the retry-after. */
export function handBackSeconds(receiveCount: number, retryAfterMs?: number): number {
  const backoff = Math.min(MAX_HAND_BACK_S, 2 ** Math.max(0, receiveCount - 1));
  const asked = retryAfterMs === undefined ? 0 : Math.min(MAX_RETRY_AFTER_S, Math.ceil(retryAfterMs / 1000));
  return Math.max(1, backoff, asked);
}

export async function executeWithRetry(body: string, deps: ExecutorDeps, o: RetryOptions): Promise<Attempt> {
  const execDeps: ExecutorDeps =
    deps.maxAttempts === undefined ? { ...deps, maxAttempts: UNKNOWN_AFTER_ATTEMPTS } : deps;
  const started = deps.clock.now();
  let waited = 0;
  for (let tries = 1; ; tries++) {
    try {
      return { kind: 'done', outcome: await executeMessage(body, execDeps), tries };
    } catch (err) {
      if (err instanceof OrderOutcomeUnknown) return { kind: 'dead_letter', error: err, tries };
      const error = err instanceof Error ? err : new Error(String(err));
      const retryAfterMs = retryAfterMsOf(err);
      const handBack = { kind: 'retry', error, tries } as const;
      if (!isTransient(err)) return { ...handBack, visibilityS: handBackSeconds(o.receiveCount) };
      const wait = Math.max(FIRST_BACKOFF_MS * 2 ** (tries - 1), retryAfterMs ?? 0);
      // Planned waits count even when the clock stands still (a fixed test clock): always bounded.
      const elapsed = Math.max(deps.clock.now() - started, waited);
      const fits =
        tries < MAX_TRIES_PER_DELIVERY &&
        elapsed + wait <= RETRY_BUDGET_MS &&
        (o.remainingMs?.() ?? Number.POSITIVE_INFINITY) - wait >= INVOCATION_RESERVE_MS;
      if (!fits) return { ...handBack, visibilityS: handBackSeconds(o.receiveCount, retryAfterMs) };
      await o.sleep?.(wait);
      waited += wait;
    }
  }
}
