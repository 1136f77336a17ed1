// Executing one margin move (add isolated margin, or a USDT transfer between the spot and the futures
// wallet) exactly once. Neither request carries a client id at Binance, and neither is refused when
// repeated, so a move is never sent twice on hope:
// 1. just before the call, the exchange's own history of such moves (positionMargin/history, or the
//    universal-transfer history) is read for the last hour and the matching entries already there
//    (same kind, same amount) are written into the record with it going IN_FLIGHT — the baseline;
// 2. the call; its answer makes the record DONE;
// 3. a redelivery that finds the record IN_FLIGHT (a crash or a timeout after the call) reads the same
//    history again: a matching entry that is not in the baseline is this move (DONE, reconciled).
//    None: the move is sent again only once the history still shows nothing `resubmitAfterMs` (30 s)
//    after the call went out (the history may lag the call, as an order lookup may); history reads that
//    keep failing end in UNKNOWN and the dead-letter queue, as an order of unknown outcome does.
// Wrong-way errors are the safe kind: a same-amount move made by hand in the same seconds is taken for
// ours (a move missed, which the strategy's next tick asks for again), never a move made twice.
// Halt: add_margin passes (it only moves a liquidation price away); a transfer into futures passes;
// a transfer out of futures is refused (it takes margin from open positions while trading is stopped).
import { describeMove, type MarginMove } from '../../domain/margin-move.ts';
import type { MarginAdjustment, WalletTransfer } from '../../ports/exchange.ts';
import { ExchangeError, RateLimited } from '../../ports/exchange-errors.ts';
import type { IntentRecord } from '../../ports/state-store.ts';
import { publishSafely } from '../publish.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RESUBMIT_AFTER_MS,
  type ExecutionOutcome,
  type ExecutorDeps,
} from './deps.ts';
import { RetryLater, retryLaterFor } from './errors.ts';
import { markUnknown, reject, save } from './records.ts';

/** How far back the baseline and the reconciliation read the history (it bounds the query, nothing else). */
export const MOVE_HISTORY_LOOKBACK_MS = 60 * 60_000;
/** USDT amounts are equal within this (the move carries whole cents). */
const SAME_AMOUNT = 1e-6;

type Entry = { key: string; transfer?: WalletTransfer };

export async function executeMarginMove(
  stored: IntentRecord,
  move: MarginMove,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  let record = stored;
  if (record.status === 'IN_FLIGHT') {
    const resolved = await resolveInFlight(record, move, deps);
    if ('kind' in resolved) return resolved;
    record = resolved.record; // no trace after the wait: it never happened; checked and sent again
  }

  if (move.kind === 'transfer' && move.from === 'futures') {
    const halt = await deps.store.getHalt();
    if (halt.halted)
      return reject(
        record,
        move,
        [`trading is halted (${halt.reason}): margin is not taken out of futures during a halt`],
        deps,
      );
  }
  const refusal = await freshRefusal(move, deps);
  if (refusal) return reject(record, move, [refusal], deps);

  // A resend (IN_FLIGHT, nothing found after the wait) keeps its first baseline: an entry the lagging
  // history shows only now, between the reconciliation read and this one, is the first call's.
  const prior = record.status === 'IN_FLIGHT' ? record.history : undefined;
  const since = deps.clock.now() - MOVE_HISTORY_LOOKBACK_MS;
  let seen: string[];
  try {
    const entries = await fresh(() => matching(move, since, deps));
    if (prior) {
      const old = new Set(prior.seen);
      const late = entries.find((e) => !old.has(e.key));
      const outOfAttempts = record.attempts >= (deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
      if (late) return resolveFound(record, move, late, outOfAttempts, deps);
    }
    seen = entries.map((e) => e.key);
  } catch (err) {
    // Without its history the move could never be reconciled: it is not sent (a key without the
    // permission to read it, say). A transient failure was turned into RetryLater above.
    if (err instanceof ExchangeError)
      return reject(
        record,
        move,
        [`${describeMove(move)} not sent: its history cannot be read (${err.name}: ${err.message})`],
        deps,
      );
    throw err;
  }
  record = await save(
    record,
    {
      status: 'IN_FLIGHT',
      attempts: Math.max(record.attempts, 1),
      submittedAt: deps.clock.now(),
      history: { since, seen },
    },
    deps,
  );
  let ref: string | undefined;
  try {
    if (move.kind === 'add_margin') await deps.exchange.addMargin(move.symbol, move.amount);
    else ref = (await deps.exchange.transfer({ from: move.from, to: move.to, amount: move.amount })).id;
  } catch (err) {
    if (err instanceof RateLimited) {
      // Refused before the exchange acted on it: nothing moved.
      await save(record, { status: 'RECEIVED', submittedAt: undefined, history: undefined }, deps);
      throw retryLaterFor(`margin move ${move.id}`, err);
    }
    if (err instanceof ExchangeError && !err.retryable)
      return reject(record, move, [`${describeMove(move)} refused: ${err.name}: ${err.message}`], deps);
    // A timeout or 5xx: the outcome is unknown; the record stays IN_FLIGHT and the redelivery asks.
    if (err instanceof ExchangeError) throw retryLaterFor(`margin move ${move.id}`, err);
    throw err;
  }
  return done(record, move, ref, 'placed', deps);
}

/** What the account holds now says the move cannot succeed: the reason, or undefined. */
async function freshRefusal(move: MarginMove, deps: ExecutorDeps): Promise<string | undefined> {
  const what = describeMove(move);
  if (move.kind === 'add_margin') {
    const position = (await fresh(() => deps.exchange.fetchPositions())).find(
      (p) => p.symbol === move.symbol,
    );
    if (!position) return `${what} refused: no position open on ${move.symbol}`;
    if (position.marginMode !== 'isolated')
      return `${what} refused: the ${move.symbol} position is cross margin (only isolated takes added margin)`;
  }
  const balances = await fresh(() => deps.exchange.fetchBalances());
  const from = move.kind === 'add_margin' ? 'futures' : move.from;
  const free = from === 'spot' ? (balances.spot.USDT ?? 0) : balances.futures.availableBalance;
  if (move.amount > free + SAME_AMOUNT)
    return `${what} refused: the ${from} wallet has only ${Math.max(0, free).toFixed(2)} USDT free`;
  return undefined;
}

/** The exchange's history entries that look like this move (same kind, same amount) since `since`. */
async function matching(move: MarginMove, since: number, deps: ExecutorDeps): Promise<Entry[]> {
  const same = (x: { amount: number }) => Math.abs(x.amount - move.amount) <= SAME_AMOUNT;
  if (move.kind === 'add_margin') {
    const rows: MarginAdjustment[] = await deps.exchange.fetchMarginAdjustments(move.symbol, since);
    // Entries have no id: time and amount, with a count for equal ones, tell them apart.
    const counts = new Map<string, number>();
    return rows
      .filter((r) => r.type === 'add' && same(r))
      .map((r) => {
        const base = `${r.time}|${r.amount}`;
        const n = (counts.get(base) ?? 0) + 1;
        counts.set(base, n);
        return { key: `${base}#${n}` };
      });
  }
  const rows = await deps.exchange.fetchTransfers(move.from, move.to, since);
  return rows.filter(same).map((t) => ({ key: t.id, transfer: t }));
}

/**
 * An IN_FLIGHT move: a previous delivery may have reached the exchange. Found in the history (not in
 * the baseline): DONE. A transfer still pending waits; one the exchange marks FAILED moved nothing.
 */
async function resolveInFlight(
  stored: IntentRecord,
  move: MarginMove,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome | { record: IntentRecord }> {
  const record = await save(stored, { attempts: stored.attempts + 1 }, deps);
  const outOfAttempts = record.attempts >= (deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const baseline = record.history;
  if (!baseline) return declareUnknown(record, move, 'in flight without a history baseline', deps);
  let found: Entry | undefined;
  try {
    const seen = new Set(baseline.seen);
    found = (await matching(move, baseline.since, deps)).find((e) => !seen.has(e.key));
  } catch (err) {
    if (!(err instanceof ExchangeError)) throw err;
    // Any failure to read the history leaves the outcome open: asked again, then dead-lettered.
    if (outOfAttempts) return declareUnknown(record, move, `${err.name}: ${err.message}`, deps);
    throw retryLaterFor(`reconcile margin move ${move.id}`, err);
  }
  if (found) return resolveFound(record, move, found, outOfAttempts, deps);
  const sentAt = record.submittedAt ?? record.updatedAt;
  const minAge = deps.resubmitAfterMs ?? DEFAULT_RESUBMIT_AFTER_MS;
  const left = sentAt + minAge - deps.clock.now();
  if (left > 0)
    throw new RetryLater(
      `margin move ${move.id}: not in the exchange's history ${Math.round((minAge - left) / 1000)} s after it was sent; sent again only after ${minAge / 1000} s without a trace`,
      left,
    );
  return { record };
}

/** A history entry that is this move: a failed transfer moved nothing, a pending one waits, else DONE. */
async function resolveFound(
  record: IntentRecord,
  move: MarginMove,
  found: Entry,
  outOfAttempts: boolean,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  if (found.transfer?.status === 'failed')
    return reject(
      record,
      move,
      [`transfer ${found.transfer.id} failed at the exchange: nothing moved`],
      deps,
    );
  if (found.transfer?.status === 'pending') {
    const why = `transfer ${found.transfer.id} is still pending at the exchange`;
    if (outOfAttempts) return declareUnknown(record, move, why, deps);
    throw new RetryLater(`margin move ${move.id}: ${why}`, 1_000);
  }
  return done(record, move, found.transfer?.id, 'reconciled', deps);
}

async function done(
  record: IntentRecord,
  move: MarginMove,
  ref: string | undefined,
  kind: 'placed' | 'reconciled',
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  await save(record, { status: 'DONE', ...(ref ? { exchangeRef: ref } : {}) }, deps);
  const base = { time: deps.clock.now(), intentId: move.id, symbol: move.symbol, correlationId: move.id };
  if (move.kind === 'add_margin') {
    let liquidationPrice: number | undefined;
    try {
      const p = (await deps.exchange.fetchPositions()).find((x) => x.symbol === move.symbol);
      if (p && p.liquidationPrice > 0) liquidationPrice = p.liquidationPrice;
    } catch {
      // The message says what was added; the new liquidation price is a courtesy.
    }
    await publishSafely(deps.bus, {
      type: 'MarginAdded',
      ...base,
      amount: move.amount,
      reason: move.reason,
      ...(liquidationPrice ? { liquidationPrice } : {}),
    });
  } else
    await publishSafely(deps.bus, {
      type: 'FundsTransferred',
      ...base,
      from: move.from,
      to: move.to,
      amount: move.amount,
      reason: move.reason,
      transferId: ref ?? 'unknown',
    });
  return { kind: 'margin_moved', id: move.id, reconciled: kind === 'reconciled' };
}

function declareUnknown(
  record: IntentRecord,
  move: MarginMove,
  reason: string,
  deps: ExecutorDeps,
): Promise<never> {
  return markUnknown(
    record,
    reason,
    deps,
    {
      type: 'MarginMoveOutcomeUnknown',
      time: deps.clock.now(),
      intentId: move.id,
      symbol: move.symbol,
      move: describeMove(move),
      attempts: record.attempts,
    },
    `margin move ${move.id}`,
  );
}

/** An exchange read for a decision: a transient failure becomes RetryLater (with its retry-after). */
async function fresh<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ExchangeError && err.retryable) throw retryLaterFor('margin move', err);
    throw err;
  }
}
