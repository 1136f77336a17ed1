// The executor's use case: the only code that writes to the exchange. Per queue message:
// conditional-create the intent record → (redelivery of an IN_FLIGHT intent: reconcile by
// clientOrderId first) → fresh account snapshot → final risk check → mark IN_FLIGHT → submit with
// clientOrderId = intent id → record the order → mark DONE → publish an event.
// A create is never retried blindly; bad input is recorded and acknowledged, never retried forever.

import { createHash } from 'node:crypto';
import { type FuturesOrder, makeIntentId, type OrderIntent, OrderIntentSchema } from '../domain/order.ts';
import type { FuturesPosition } from '../domain/position.ts';
import { checkIntent } from '../domain/risk/check-intent.ts';
import type { RiskLimits } from '../domain/risk/limits.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventBus } from '../ports/event-bus.ts';
import { type Exchange, type Markets, orderRequestFor } from '../ports/exchange.ts';
import {
  DuplicateClientOrderId,
  ExchangeError,
  OrderNotFound,
  RateLimited,
} from '../ports/exchange-errors.ts';
import { type QueueMessage, QueueMessageSchema } from '../ports/order-queue.ts';
import { ConcurrentModification, type IntentRecord, type StateStore } from '../ports/state-store.ts';
import { loadAccountSnapshot } from './account-snapshot.ts';
import { recordPositionOwner } from './monitors/performance-monitor.ts';
import { publishSafely } from './publish.ts';

export interface ExecutorDeps {
  store: StateStore;
  exchange: Exchange;
  bus: EventBus;
  clock: Clock;
  limits: RiskLimits;
  /** Deliveries after which an unresolved IN_FLIGHT intent is declared UNKNOWN (it then dead-letters). */
  maxAttempts?: number;
}

export type ExecutionOutcome =
  | { kind: 'placed' | 'reconciled'; id: string; order: FuturesOrder }
  | { kind: 'rejected'; id: string; reasons: string[] }
  | { kind: 'duplicate'; id: string; status: string }
  | { kind: 'cancelled'; id: string }
  | { kind: 'closed_all'; id: string; closed: string[] };

/** A transient failure: leave the message on the queue; its redelivery reconciles. */
export class RetryLater extends Error {
  override readonly name = 'RetryLater';
  constructor(
    message: string,
    /** How long the exchange asked us to wait (a rate limit's retry-after), when it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A RetryLater for an exchange error, carrying a rate limit's retry-after. */
function retryLaterFor(what: string, err: ExchangeError): RetryLater {
  return new RetryLater(
    `${what}: ${err.name}: ${err.message}`,
    err instanceof RateLimited ? err.retryAfterMs : undefined,
  );
}

/** The outcome is unknown after every allowed attempt: the message must dead-letter and alarm. */
export class OrderOutcomeUnknown extends Error {
  override readonly name = 'OrderOutcomeUnknown';
}

let marketsCache: { exchange: Exchange; markets: Markets } | undefined;
async function marketsOf(exchange: Exchange): Promise<Markets> {
  if (marketsCache?.exchange !== exchange) marketsCache = { exchange, markets: await exchange.loadMarkets() };
  return marketsCache.markets;
}

export async function executeMessage(body: string, deps: ExecutorDeps): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  let message: QueueMessage;
  try {
    message = QueueMessageSchema.parse(JSON.parse(body));
  } catch (err) {
    return rejectMalformed(body, err, deps);
  }
  const id = message.kind === 'intent' ? message.intent.id : message.id;
  const fresh: IntentRecord = {
    id,
    kind: message.kind,
    status: 'RECEIVED',
    ...(message.kind === 'intent' ? { intent: message.intent } : {}),
    reasons: [],
    attempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  let record = fresh;
  if (!(await deps.store.createIntent(fresh))) {
    const stored = await deps.store.getIntent(id);
    if (!stored) throw new RetryLater(`intent ${id} exists but cannot be read yet`);
    if (stored.status === 'DONE' || stored.status === 'REJECTED') {
      return { kind: 'duplicate', id, status: stored.status };
    }
    if (stored.status === 'UNKNOWN') {
      // Keep failing so the queue's redrive moves the message to the dead-letter queue (and alarms).
      throw new OrderOutcomeUnknown(
        `intent ${id}: outcome unknown; needs a human (see the dead-letter queue)`,
      );
    }
    record = stored;
  }

  if (message.kind === 'cancel') return cancel(message, record, deps);
  if (message.kind === 'close_all') return closeAll(message, record, deps);
  const intent = message.intent;

  if (record.status === 'IN_FLIGHT') {
    // A previous delivery may have reached the exchange: ask it before anything else.
    record = await save(record, { attempts: record.attempts + 1 }, deps);
    let found: FuturesOrder | undefined;
    try {
      found = await reconcile(intent, deps);
    } catch (err) {
      if (err instanceof RetryLater && record.attempts >= (deps.maxAttempts ?? 5)) {
        await save(
          record,
          {
            status: 'UNKNOWN',
            reasons: [`outcome unknown after ${record.attempts} attempts: ${err.message}`],
          },
          deps,
        );
        await publishSafely(deps.bus, {
          type: 'OrderOutcomeUnknown',
          time: deps.clock.now(),
          intentId: id,
          symbol: intent.symbol,
          attempts: record.attempts,
        });
        throw new OrderOutcomeUnknown(`intent ${id}: outcome unknown after ${record.attempts} attempts`);
      }
      throw err;
    }
    if (found) return finish(record, intent, found, 'reconciled', deps);
    // Not on the exchange: the earlier attempt never reached it, so placing it now is safe.
  }

  // Halted: an order that is not reduce-only is rejected at once, without a round trip to the
  // exchange, so an emergency close is not stuck behind a backlog of opens.
  if (!intent.reduceOnly && !(intent.market === 'spot' && intent.side === 'sell')) {
    const halt = await deps.store.getHalt();
    if (halt.halted)
      return reject(
        record,
        intent,
        [`trading is halted (${halt.reason}): only reduce-only orders pass`],
        deps,
      );
  }

  // Final risk check on fresh state.
  const { snapshot } = await loadAccountSnapshot(deps);
  const markets = await marketsOf(deps.exchange);
  const rules = intent.market === 'futures' ? markets.futures[intent.symbol] : markets.spot[intent.symbol];
  if (!rules) return reject(record, intent, [`unknown symbol ${intent.symbol} on ${intent.market}`], deps);
  const markPrice =
    intent.market === 'futures'
      ? await deps.exchange.fetchMarkPrice(intent.symbol)
      : await deps.exchange.fetchSpotPrice(intent.symbol);
  const decision = checkIntent(intent, snapshot, deps.limits, {
    markPrice,
    tickSize: rules.tickSize,
    stepSize: rules.stepSize,
    minQuantity: rules.minQuantity,
    minNotional: rules.minNotional,
    brackets: markets.futures[intent.symbol]?.brackets ?? [],
  });
  if (!decision.accepted) return reject(record, intent, decision.reasons, deps);

  record = await save(record, { status: 'IN_FLIGHT', attempts: Math.max(record.attempts, 1) }, deps);
  try {
    if (intent.market === 'futures' && !intent.reduceOnly) {
      if (!snapshot.positions.some((p) => p.symbol === intent.symbol))
        await deps.exchange.setMarginMode(intent.symbol, intent.marginMode);
      await deps.exchange.setLeverage(intent.symbol, intent.leverage);
    }
    const order = await deps.exchange.createOrder(orderRequestFor(intent));
    if (intent.market === 'futures' && !intent.reduceOnly)
      await recordPositionOwner(deps.store, intent.symbol, intent.strategy, deps.clock.now());
    const prior = snapshot.positions.find((p) => p.symbol === intent.symbol);
    await publishPositionEvents(intent, order, prior, deps);
    return finish(record, intent, order, 'placed', deps);
  } catch (err) {
    if (err instanceof DuplicateClientOrderId) {
      const found = await reconcile(intent, deps);
      if (found) return finish(record, intent, found, 'reconciled', deps);
      throw new RetryLater(`intent ${intent.id}: exchange reports a duplicate but cannot find it yet`);
    }
    if (err instanceof ExchangeError && !err.retryable)
      return reject(record, intent, [`${err.name}: ${err.message}`], deps);
    if (err instanceof ExchangeError) throw retryLaterFor(`intent ${intent.id}`, err);
    throw err;
  }
}

/** PositionOpened / PositionClosed from what the fill did to the position held before it. */
async function publishPositionEvents(
  intent: OrderIntent,
  order: FuturesOrder,
  prior: FuturesPosition | undefined,
  deps: ExecutorDeps,
): Promise<void> {
  if (intent.market !== 'futures' || order.filledQuantity <= 0) return;
  const time = deps.clock.now();
  const price = order.averagePrice ?? 0;
  const buying = intent.side === 'buy';
  const closing = prior !== undefined && (prior.side === 'long') !== buying;
  if (closing && order.filledQuantity >= prior.quantity - 1e-12) {
    await publishSafely(deps.bus, {
      type: 'PositionClosed',
      time,
      symbol: intent.symbol,
      side: prior.side,
      quantity: prior.quantity,
      price,
      correlationId: intent.id,
    });
  }
  const opened =
    !intent.reduceOnly && (prior === undefined || (closing && order.filledQuantity > prior.quantity + 1e-12));
  if (opened) {
    const quantity = prior && closing ? order.filledQuantity - prior.quantity : order.filledQuantity;
    await publishSafely(deps.bus, {
      type: 'PositionOpened',
      time,
      symbol: intent.symbol,
      side: buying ? 'long' : 'short',
      quantity,
      price,
      correlationId: intent.id,
    });
  }
}

async function reconcile(intent: OrderIntent, deps: ExecutorDeps): Promise<FuturesOrder | undefined> {
  try {
    return await deps.exchange.fetchOrderByClientId(intent.symbol, intent.id, intent.market);
  } catch (err) {
    if (err instanceof OrderNotFound) return undefined;
    if (err instanceof ExchangeError) throw retryLaterFor(`reconcile ${intent.id}`, err);
    throw err;
  }
}

async function save(
  record: IntentRecord,
  patch: Partial<IntentRecord>,
  deps: ExecutorDeps,
): Promise<IntentRecord> {
  const next = { ...record, ...patch, version: record.version + 1, updatedAt: deps.clock.now() };
  try {
    await deps.store.updateIntent(next);
  } catch (err) {
    if (err instanceof ConcurrentModification) throw new RetryLater(err.message);
    throw err;
  }
  return next;
}

async function finish(
  record: IntentRecord,
  intent: OrderIntent,
  order: FuturesOrder,
  kind: 'placed' | 'reconciled',
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  const now = deps.clock.now();
  await deps.store.putOrder({ ...order, intentId: intent.id, recordedAt: now });
  await save(record, { status: 'DONE', orderStatus: order.status }, deps);
  await publishSafely(
    deps.bus,
    order.status === 'filled'
      ? {
          type: 'OrderFilled',
          time: now,
          intentId: intent.id,
          symbol: intent.symbol,
          side: order.side,
          quantity: order.filledQuantity,
          price: order.averagePrice ?? 0,
          fee: order.fee,
          correlationId: intent.id,
        }
      : {
          type: 'OrderPlaced',
          time: now,
          intentId: intent.id,
          symbol: intent.symbol,
          status: order.status,
          side: order.side,
          orderType: order.type,
          quantity: order.quantity,
          correlationId: intent.id,
        },
  );
  return { kind, id: intent.id, order };
}

async function reject(
  record: IntentRecord,
  intent: OrderIntent,
  reasons: string[],
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  await save(record, { status: 'REJECTED', reasons }, deps);
  await publishSafely(deps.bus, {
    type: 'OrderRejected',
    time: deps.clock.now(),
    intentId: intent.id,
    symbol: intent.symbol,
    reasons,
    correlationId: intent.id,
  });
  return { kind: 'rejected', id: intent.id, reasons };
}

async function rejectMalformed(body: string, err: unknown, deps: ExecutorDeps): Promise<ExecutionOutcome> {
  const id = `malformed-${createHash('sha256').update(body).digest('hex').slice(0, 24)}`;
  const reasons = [`malformed message: ${err instanceof Error ? err.message.slice(0, 500) : String(err)}`];
  const now = deps.clock.now();
  await deps.store.createIntent({
    id,
    kind: 'malformed',
    status: 'REJECTED',
    raw: body.slice(0, 2_000),
    reasons,
    attempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  await publishSafely(deps.bus, { type: 'OrderRejected', time: now, intentId: id, reasons });
  return { kind: 'rejected', id, reasons };
}

/**
 * Close every open position with a reduce-only market order, from the positions the exchange reports
 * now. Each close is an intent of its own (deterministic id per symbol), so a redelivery after a
 * failure places only what is still missing.
 */
async function closeAll(
  message: Extract<QueueMessage, { kind: 'close_all' }>,
  record: IntentRecord,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  let positions: FuturesPosition[];
  try {
    positions = await deps.exchange.fetchPositions();
  } catch (err) {
    if (err instanceof ExchangeError) throw retryLaterFor('close all', err);
    throw err;
  }
  const closed: string[] = [];
  for (const p of positions) {
    const intent = OrderIntentSchema.parse({
      id: makeIntentId({
        source: `${message.id}:close`,
        symbol: p.symbol,
        tickTime: message.createdAt,
        sequence: 0,
      }),
      strategy: message.source,
      symbol: p.symbol,
      market: 'futures',
      side: p.side === 'long' ? 'sell' : 'buy',
      type: 'market',
      quantity: p.quantity,
      reduceOnly: true,
      leverage: Math.min(125, Math.max(1, p.leverage)),
      marginMode: p.marginMode,
      createdAt: message.createdAt,
      reason: message.reason,
    });
    const outcome = await executeMessage(JSON.stringify({ kind: 'intent', intent }), deps);
    if (outcome.kind === 'placed' || outcome.kind === 'reconciled' || outcome.kind === 'duplicate')
      closed.push(p.symbol);
  }
  await save(record, { status: 'DONE', reasons: [`closed: ${closed.join(', ') || 'nothing open'}`] }, deps);
  return { kind: 'closed_all', id: message.id, closed };
}

async function cancel(
  message: Extract<QueueMessage, { kind: 'cancel' }>,
  record: IntentRecord,
  deps: ExecutorDeps,
): Promise<ExecutionOutcome> {
  if (message.onlyIfPlaced !== undefined) {
    const successor = await deps.store.getIntent(message.onlyIfPlaced);
    if (successor?.status !== 'DONE') {
      const reasons = [
        `kept ${message.clientOrderId}: its replacement ${message.onlyIfPlaced} was not placed (${successor?.status ?? 'unknown'})`,
      ];
      await save(record, { status: 'REJECTED', reasons }, deps);
      return { kind: 'rejected', id: message.id, reasons };
    }
  }
  try {
    await deps.exchange.cancelOrder(message.symbol, message.clientOrderId, message.market);
  } catch (err) {
    if (err instanceof ExchangeError && err.retryable)
      throw new RetryLater(`cancel ${message.clientOrderId}: ${err.message}`);
    // Not found or no longer open: the order is gone either way, which is what was asked.
    if (!(err instanceof ExchangeError)) throw err;
  }
  await save(record, { status: 'DONE' }, deps);
  await publishSafely(deps.bus, {
    type: 'OrderCancelled',
    time: deps.clock.now(),
    intentId: message.id,
    symbol: message.symbol,
    clientOrderId: message.clientOrderId,
  });
  return { kind: 'cancelled', id: message.id };
}
