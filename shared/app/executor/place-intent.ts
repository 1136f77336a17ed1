// Placing one order intent: (redelivery of an IN_FLIGHT intent: reconcile by clientOrderId first) →
// halt → fresh account view → final risk check → leverage, only for an order that passed every check
// and adds exposure → mark IN_FLIGHT → create with clientOrderId = intent id → settle → record → publish.
import type { FuturesOrder, OrderIntent } from '../../domain/order.ts';
import type { FuturesPosition } from '../../domain/position.ts';
import { checkIntent } from '../../domain/risk/check-intent.ts';
import { riskQuantity } from '../../domain/slicing.ts';
import { type Markets, orderRequestFor } from '../../ports/exchange.ts';
import { DuplicateClientOrderId, ExchangeError, RateLimited } from '../../ports/exchange-errors.ts';
import type { IntentRecord } from '../../ports/state-store.ts';
import { loadAccountSnapshot, loadPositionsSnapshot } from '../account-snapshot.ts';
import { twapStopped } from '../monitors/slices-monitor.ts';
import { ownerOfIntent, recordOwner } from '../ownership.ts';
import { registerBracket } from './bracket-register.ts';
import {
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_RESUBMIT_AFTER_MS,
  type ExecutionOutcome,
  type ExecutorDeps,
} from './deps.ts';
import { describeError, RetryLater, retryLaterFor } from './errors.ts';
import { declareUnknown, finish, reject, save, signedQuantity } from './records.ts';
import { reconcile, settleMarketOrder, TERMINAL_STATUSES } from './settle.ts';

let marketsCache: { exchange: ExecutorDeps['exchange']; markets: Markets } | undefined;
async function marketsOf(exchange: ExecutorDeps['exchange']): Promise<Markets> {
  if (marketsCache?.exchange !== exchange) marketsCache = { exchange, markets: await exchange.loadMarkets() };
  return marketsCache.markets;
}

export async function placeIntent(
  stored: IntentRecord,
  intent: OrderIntent,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  let record = stored;
  if (record.status === 'IN_FLIGHT') {
    const resolved = await resolveInFlight(record, intent, deps);
    if ('kind' in resolved) return resolved;
    record = resolved.record; // never reached the exchange: place it, through every check again
  }

  // A bracket leg whose entry was refused has no position of its own: reduce-only, it would act on
  // whatever the symbol holds, and no bracket is registered to cancel it (only a filled entry is).
  if (intent.bracketOf !== undefined) {
    const parent = await deps.store.getIntent(intent.bracketOf);
    if (parent?.status === 'REJECTED')
      return reject(record, intent, [`its bracket's entry ${intent.bracketOf} was refused`], deps);
  }

  // A slice of a TWAP stopped meanwhile (/futures_close, a halt): a close handled before it (its group
  // goes first) must not be undone by it.
  if (intent.slice !== undefined) {
    const stopped = await twapStopped(deps.store, intent.symbol, intent.slice.parentId);
    if (stopped !== undefined) return reject(record, intent, [`its TWAP was stopped: ${stopped}`], deps);
  }

  // A strategy's sliced entry (intent.sliced) is modelled in the backtester only; live, placing it would
  // send the whole size at once. Live slicing is /futures_open twap= / iceberg= (../monitors/slices-monitor.ts).
  if (intent.sliced)
    return reject(
      record,
      intent,
      [
        'sliced entries from a strategy run in the backtester only: live, use /futures_open twap= or iceberg=',
      ],
      deps,
    );

  // Halted: an order that is not reduce-only — spot sells included — is rejected at once, without a
  // round trip to the exchange, so an emergency close is not stuck behind a backlog of opens.
  if (!intent.reduceOnly) {
    const halt = await deps.store.getHalt();
    if (halt.halted)
      return reject(
        record,
        intent,
        [`trading is halted (${halt.reason}): only reduce-only orders pass`],
        deps,
      );
  }

  // Final risk check on fresh state. A reduce-only order is checked against positions alone: nothing
  // about valuing the account (balances, spot prices) may stand between a position and its stop.
  const snapshot = await fresh(() =>
    intent.reduceOnly ? loadPositionsSnapshot(deps) : loadAccountSnapshot(deps).then((s) => s.snapshot),
  );
  const markets = await fresh(() => marketsOf(deps.exchange));
  const rules = intent.market === 'futures' ? markets.futures[intent.symbol] : markets.spot[intent.symbol];
  if (!rules) return reject(record, intent, [`unknown symbol ${intent.symbol} on ${intent.market}`], deps);
  const markPrice = await fresh(() =>
    intent.market === 'futures'
      ? deps.exchange.fetchMarkPrice(intent.symbol)
      : deps.exchange.fetchSpotPrice(intent.symbol),
  );
  // A TWAP slice is checked for itself and every slice still to come (the parent's full size).
  const decision = checkIntent(riskQuantity(intent), snapshot, deps.limits, {
    markPrice,
    tickSize: rules.tickSize,
    stepSize: rules.stepSize,
    minQuantity: rules.minQuantity,
    minNotional: rules.minNotional,
    brackets: markets.futures[intent.symbol]?.brackets ?? [],
  });
  if (!decision.accepted) return reject(record, intent, decision.reasons, deps);

  const prior = snapshot.positions.find((p) => p.symbol === intent.symbol);
  const leverageSet = await applyLeverage(intent, prior, deps);
  if (leverageSet !== true) return reject(record, intent, leverageSet, deps);

  record = await save(
    record,
    {
      status: 'IN_FLIGHT',
      attempts: Math.max(record.attempts, 1),
      submittedAt: deps.clock.now(),
      positionBefore: signedQuantity(prior),
    },
    deps,
  );
  let order: FuturesOrder;
  try {
    order = await deps.exchange.createOrder(orderRequestFor(intent));
  } catch (err) {
    if (err instanceof DuplicateClientOrderId) {
      const found = await reconcile(intent, deps);
      if (found) return complete(record, intent, found, 'reconciled', deps);
      throw new RetryLater(`intent ${intent.id}: exchange reports a duplicate but cannot find it yet`, 1_000);
    }
    if (err instanceof RateLimited) {
      // Refused before the exchange acted on it (HTTP 429/418, -1003, -1015): nothing was created.
      await save(record, { status: 'RECEIVED', submittedAt: undefined }, deps);
      throw retryLaterFor(`intent ${intent.id}`, err);
    }
    if (err instanceof ExchangeError && !err.retryable) {
      await restoreLeverage(intent, prior, deps);
      return reject(record, intent, [`${err.name}: ${err.message}`], deps);
    }
    // A timeout or 5xx: the outcome is unknown, the record stays IN_FLIGHT and the redelivery asks.
    if (err instanceof ExchangeError) throw retryLaterFor(`intent ${intent.id}`, err);
    throw err;
  }
  return complete(record, intent, order, 'placed', deps);
}

/**
 * An IN_FLIGHT intent: a previous delivery may have reached the exchange. Ask it before anything else.
 * Found: finish from what it reports. Not found: Binance refuses a repeated clientOrderId only among
 * OPEN orders and its lookup can lag a create, so a miss soon after a timeout does not prove the order
 * was never placed (a filled market order created again would fill twice). The intent is sent again
 * only when the lookup still misses `resubmitAfterMs` after the create was sent, and never when the
 * exchange acknowledged it.
 */
async function resolveInFlight(
  stored: IntentRecord,
  intent: OrderIntent,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome | { record: IntentRecord }> {
  const sentAt = stored.submittedAt ?? stored.updatedAt;
  const record = await save(stored, { attempts: stored.attempts + 1 }, deps);
  const outOfAttempts = record.attempts >= (deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  let found: FuturesOrder | undefined;
  try {
    found = await reconcile(intent, deps);
  } catch (err) {
    if (err instanceof RetryLater && outOfAttempts) return declareUnknown(record, intent, err.message, deps);
    throw err;
  }
  if (found) return complete(record, intent, found, 'reconciled', deps);
  if (record.orderStatus !== undefined) {
    const why = `acknowledged by the exchange (${record.orderStatus}) but not found by its lookup`;
    if (outOfAttempts) return declareUnknown(record, intent, why, deps);
    throw new RetryLater(`intent ${intent.id}: ${why}; it is never created again`, 1_000);
  }
  // A protective stop or take-profit (reduce-only, conditional) is sent again at once: a duplicate is
  // harmless (reduce-only, the first to trigger leaves the other nothing to reduce, and the monitor
  // removes the spare), while waiting leaves the position bare — and holds its protective group.
  const protective =
    intent.reduceOnly && (intent.type === 'stop_market' || intent.type === 'take_profit_market');
  const minAge = protective ? 0 : (deps.resubmitAfterMs ?? DEFAULT_RESUBMIT_AFTER_MS);
  const left = sentAt + minAge - deps.clock.now();
  if (left > 0)
    throw new RetryLater(
      `intent ${intent.id}: not found on the exchange ${Math.round((minAge - left) / 1000)} s after it was sent; sent again only after ${minAge / 1000} s without a trace`,
      left,
    );
  return { record };
}

/**
 * The order as the exchange holds it, then DONE. A market order it only acknowledged (NEW, nothing
 * executed) is fetched until final; still open after the bounded fetches, the intent stays IN_FLIGHT
 * (marked acknowledged, so it is never created again) and the redelivery reconciles it.
 */
async function complete(
  stored: IntentRecord,
  intent: OrderIntent,
  acknowledged: FuturesOrder,
  kind: 'placed' | 'reconciled',
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  let record = stored;
  let order = acknowledged;
  if (intent.market === 'futures' && !intent.reduceOnly)
    await recordOwner(deps.store, intent.symbol, ownerOfIntent(intent, deps.assignment), deps.clock.now());
  // An entry: the guardian watches at its fast cadence from now, not from its next minute (issue 17).
  if (!intent.reduceOnly) await deps.wakeGuardian?.(deps.clock.now());
  if (intent.type === 'market' && !TERMINAL_STATUSES.has(order.status)) {
    if (record.orderStatus === undefined) record = await save(record, { orderStatus: order.status }, deps);
    const final = await settleMarketOrder(intent, order, deps);
    if (!final)
      throw new RetryLater(
        `intent ${intent.id}: market order acknowledged (${order.status}) but not reported final yet`,
        1_000,
      );
    order = final;
  }
  await registerBracket(intent, order, deps);
  return finish(record, intent, order, kind, deps);
}

/**
 * Margin mode and leverage apply to the exposure an order opens or adds, so they are set only for such
 * an order, and only once it passed every check. An order on the opposite side no larger than the
 * position only reduces it: changing the leverage then would only move the remaining position's margin
 * and liquidation price. Returns true, or the reasons the exchange refused.
 */
async function applyLeverage(
  intent: OrderIntent,
  prior: FuturesPosition | undefined,
  deps: ExecutorDeps,
): Promise<true | string[]> {
  if (intent.market !== 'futures' || intent.reduceOnly) return true;
  const reduces =
    prior !== undefined &&
    (prior.side === 'long') !== (intent.side === 'buy') &&
    intent.quantity <= prior.quantity;
  if (reduces) return true;
  try {
    if (!prior) await deps.exchange.setMarginMode(intent.symbol, intent.marginMode);
    await deps.exchange.setLeverage(intent.symbol, intent.leverage);
    return true;
  } catch (err) {
    if (err instanceof ExchangeError && !err.retryable) return [`${err.name}: ${err.message}`];
    if (err instanceof ExchangeError) throw retryLaterFor(`intent ${intent.id}: leverage`, err);
    throw err;
  }
}

/** The exchange refused the order: give a held position back the leverage it had (best effort). */
async function restoreLeverage(
  intent: OrderIntent,
  prior: FuturesPosition | undefined,
  deps: ExecutorDeps,
): Promise<void> {
  if (intent.market !== 'futures' || intent.reduceOnly || !prior || prior.leverage === intent.leverage)
    return;
  try {
    await deps.exchange.setLeverage(intent.symbol, prior.leverage);
  } catch (err) {
    console.warn(`could not restore ${intent.symbol} leverage to ${prior.leverage}x: ${describeError(err)}`);
  }
}

/** An exchange read for a decision: a transient failure becomes RetryLater (with its retry-after). */
async function fresh<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ExchangeError && err.retryable) throw retryLaterFor('account view', err);
    throw err;
  }
}
