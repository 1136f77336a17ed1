// The strategy-tick use case: one strategy, one symbol, one scheduled instant. Loads the market view,
// the account and the strategy's state; runs the strategy; pre-checks its intents with the same risk
// engine the executor uses; then records the new state TOGETHER with everything the tick will send
// (its outbox), and only then sends it and clears the outbox.
// Safe to re-run after a crash or a Lambda timeout at any point: before the record nothing was sent and
// the tick decides afresh; after it, a re-run sends exactly the recorded messages (deterministic ids:
// a message already sent is a duplicate the queue and the executor drop). A repeated invocation of a
// finished tick sends nothing. An outbox a crash left behind is sent by the next invocation at the
// latest, which then stands aside for one interval (the strategy decides again once those orders are
// on the exchange).

import { makeIntentId, type OrderIntent } from '../domain/order.ts';
import { checkIntent } from '../domain/risk/check-intent.ts';
import type { RiskLimits } from '../domain/risk/limits.ts';
import { precheckMarginActions, type RefusedMarginMove } from '../domain/risk/margin-precheck.ts';
import { precheckBatch } from '../domain/risk/precheck-batch.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { Exchange } from '../ports/exchange.ts';
import type { OrderQueue, QueueMessage } from '../ports/order-queue.ts';
import {
  ConcurrentModification,
  type StateStore,
  type StrategyStateRecord,
  type TickOutbox,
} from '../ports/state-store.ts';
import type { Strategy } from '../strategies/strategy.ts';
import { loadAccountSnapshot } from './account-snapshot.ts';
import { getStrategyPause } from './monitors/performance-monitor.ts';
import { ownerOfIntent } from './ownership.ts';
import { publishSafely } from './publish.ts';
import { tickGate } from './strategy-tick-gate.ts';
import { loadAccountView, loadMarketView, NoSpotMarket } from './strategy-tick-view.ts';

export interface TickDeps {
  store: StateStore;
  exchange: Exchange;
  queue: OrderQueue;
  bus: EventBus;
  clock: Clock;
  limits: RiskLimits;
}

export interface TickRequest {
  // biome-ignore lint/suspicious/noExplicitAny: strategies of any parameter type.
  strategy: Strategy<any, any>;
  params: unknown;
  symbol: string;
  /** The scheduled instant (ms), already aligned to the strategy's interval. */
  tickTime: number;
}

export type TickResult =
  | { kind: 'skipped'; reason: string }
  | {
      kind: 'ticked';
      enqueued: string[];
      cancels: string[];
      /** Margin moves sent (add margin, wallet transfers), in order. */
      marginMoves: string[];
      rejected: { id: string; reasons: string[] }[];
      notes: string[];
    };

const iso = (t: number) => new Date(t).toISOString();

export async function strategyTick(req: TickRequest, deps: TickDeps): Promise<TickResult> {
  const { strategy, symbol, tickTime } = req;
  const stored = await deps.store.getStrategyState(strategy.name, symbol);
  if (stored?.outbox) return resume(stored, stored.outbox, req, deps);
  if (stored && stored.lastTick >= tickTime)
    return { kind: 'skipped', reason: `tick ${iso(tickTime)} already ran` };

  const view = await loadMarketView(req, deps.exchange).catch((err: unknown) => {
    if (err instanceof NoSpotMarket) return err;
    throw err;
  });
  // A configuration the market cannot serve: refused with its reason each tick, nothing sent or stored.
  if (view instanceof NoSpotMarket) return { kind: 'skipped', reason: view.message };
  const { futuresRules, spotRules, markPrice, spotPrice } = view;
  const { snapshot } = await loadAccountSnapshot(deps);
  const account = await loadAccountView(symbol, snapshot, stored?.state, deps);
  const out = strategy.evaluate({ view, account, params: req.params, state: stored?.state });

  // Cancels first, then the intents, each pre-checked — except a moved protective stop: its successor
  // (a reduce-only stop on the same side in this tick) goes first, and the old one is cancelled only
  // once the successor is placed (`onlyIfPlaced`), so the position is never without a stop.
  const successorOf = new Map<string, string>();
  for (const clientOrderId of out.cancels) {
    const old = account.openOrders.find((o) => o.clientOrderId === clientOrderId);
    if (old?.type !== 'stop_market' || !old.reduceOnly) continue;
    const taken = new Set(successorOf.values());
    const next = out.intents.find(
      (i) => i.type === 'stop_market' && i.reduceOnly && i.side === old.side && !taken.has(i.id),
    );
    if (next) successorOf.set(clientOrderId, next.id);
  }
  let seq = 0;
  const cancel = (clientOrderId: string, onlyIfPlaced?: string): QueueMessage => ({
    kind: 'cancel',
    id: makeIntentId({ source: `${strategy.name}:cancel`, symbol, tickTime, sequence: seq++ }),
    source: strategy.name,
    symbol,
    market: 'futures',
    clientOrderId,
    createdAt: tickTime,
    ...(onlyIfPlaced ? { onlyIfPlaced } : {}),
  });
  const messages: QueueMessage[] = [];
  for (const clientOrderId of out.cancels)
    if (!successorOf.has(clientOrderId)) messages.push(cancel(clientOrderId));

  // Margin moves after the cancels and before the intents (the contract's order), each pre-checked
  // against what the wallets hold (shared/domain/risk/margin-precheck.ts). They travel in the symbol's
  // margin group, ahead of ordinary traffic, and never behind a failing entry.
  const moves = precheckMarginActions(out.marginActions ?? [], {
    strategy: strategy.name,
    symbol,
    tickTime,
    halted: snapshot.halted,
    position: account.position,
    futuresAvailable: snapshot.availableBalance,
    spotUsdt: snapshot.spotBalances.USDT ?? 0,
  });
  messages.push(...moves.accepted);

  // The tick's own rules (spot ownership, halt, pause), then the risk engine the executor also runs.
  const gate = tickGate({
    strategy: strategy.name,
    baseAsset: symbol.replace(/USDT$/, ''),
    spotHolding: strategy.spotHolding?.(out.state) ?? 0,
    halted: snapshot.halted,
    pause: await getStrategyPause(deps.store, strategy.name),
    position: account.position,
    intents: out.intents,
  });
  const batch = precheckBatch(out.intents, (intent) => {
    const refused = gate(intent);
    if (refused) return refused;
    const rules = intent.market === 'futures' ? futuresRules : spotRules;
    return checkIntent(intent, snapshot, deps.limits, {
      markPrice: intent.market === 'futures' ? markPrice : spotPrice,
      tickSize: rules.tickSize,
      stepSize: rules.stepSize,
      minQuantity: rules.minQuantity,
      minNotional: rules.minNotional,
      brackets: futuresRules.brackets,
    });
  });
  for (const intent of batch.accepted) messages.push({ kind: 'intent', intent });
  // The moved stops' old orders: cancelled after their successors; kept if the successor was refused.
  const accepted = new Set(batch.accepted.map((i) => i.id));
  for (const [clientOrderId, successor] of successorOf)
    if (accepted.has(successor)) messages.push(cancel(clientOrderId, successor));

  // The decision is recorded before anything leaves: from here a crash is repaired by re-sending it.
  const outbox: TickOutbox = {
    tickTime,
    messages,
    rejected: batch.rejected,
    refusedMoves: moves.refused,
    notes: out.notes,
  };
  const record: StrategyStateRecord = {
    strategy: strategy.name,
    symbol,
    state: out.state,
    lastTick: tickTime,
    version: (stored?.version ?? 0) + 1,
    outbox,
  };
  try {
    await deps.store.putStrategyState(record);
  } catch (err) {
    if (!(err instanceof ConcurrentModification)) throw err;
    // Another invocation of this tick recorded its decision first: finish that one, never a second.
    const winner = await deps.store.getStrategyState(strategy.name, symbol);
    if (winner?.outbox) return resume(winner, winner.outbox, req, deps);
    return { kind: 'skipped', reason: `tick ${iso(tickTime)} ran concurrently` };
  }
  return deliver(record, outbox, strategy.name, deps);
}

/** An invocation that finds an outbox: a tick that crashed, timed out or raced part-way through sending. */
async function resume(
  stored: StrategyStateRecord,
  outbox: TickOutbox,
  req: TickRequest,
  deps: TickDeps,
): Promise<TickResult> {
  const result = await deliver(stored, outbox, req.strategy.name, deps);
  if (outbox.tickTime === req.tickTime) return result;
  if (outbox.tickTime > req.tickTime)
    return { kind: 'skipped', reason: `tick ${iso(req.tickTime)} already ran` };
  return {
    kind: 'skipped',
    reason: `sent the orders tick ${iso(outbox.tickTime)} left unsent; the strategy decides again next tick, once they are placed`,
  };
}

/** Sends a recorded outbox (again: every message has a deterministic id) and clears it. */
async function deliver(
  record: StrategyStateRecord,
  outbox: TickOutbox,
  strategy: string,
  deps: TickDeps,
): Promise<TickResult> {
  const { symbol } = record;
  for (const { intent, reasons } of outbox.rejected) await recordRejection(intent, reasons, deps);
  for (const refused of outbox.refusedMoves) await recordMoveRefusal(refused, deps);
  for (const message of outbox.messages) await deps.queue.send(message);
  const { outbox: _sent, ...rest } = record;
  try {
    await deps.store.putStrategyState({ ...rest, version: record.version + 1 });
  } catch (err) {
    if (!(err instanceof ConcurrentModification)) throw err;
    // Cleared by a concurrent invocation that sent the same messages: nothing left to do.
    const now = await deps.store.getStrategyState(strategy, symbol);
    if (now?.outbox?.tickTime === outbox.tickTime) throw err;
  }
  const enqueued = outbox.messages.flatMap((m) => (m.kind === 'intent' ? [m.intent.id] : []));
  const cancels = outbox.messages.flatMap((m) => (m.kind === 'cancel' ? [m.id] : []));
  const marginMoves = outbox.messages.flatMap((m) =>
    m.kind === 'add_margin' || m.kind === 'transfer' ? [m.id] : [],
  );
  const rejected = [
    ...outbox.rejected.map(({ intent, reasons }) => ({ id: intent.id, reasons })),
    ...outbox.refusedMoves.map(({ id, reasons }) => ({ id, reasons })),
  ];
  await publishSafely(deps.bus, {
    type: 'StrategyTicked',
    time: deps.clock.now(),
    strategy,
    symbol,
    enqueued: enqueued.length,
    rejected: rejected.length,
    notes: outbox.notes.slice(0, 20),
  });
  return { kind: 'ticked', enqueued, cancels, marginMoves, rejected, notes: outbox.notes };
}

/** A refused intent is recorded (once: the create is conditional) and reported. */
async function recordRejection(intent: OrderIntent, reasons: string[], deps: TickDeps): Promise<void> {
  const now = deps.clock.now();
  await deps.store.createIntent({
    id: intent.id,
    kind: 'intent',
    status: 'REJECTED',
    intent,
    reasons,
    attempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  await publishSafely(deps.bus, {
    type: 'OrderRejected',
    time: now,
    intentId: intent.id,
    owner: ownerOfIntent(intent, undefined),
    symbol: intent.symbol,
    reasons,
    correlationId: intent.id,
  });
}

/** A refused margin action is recorded (once: the create is conditional) and reported, like an intent. */
async function recordMoveRefusal(refused: RefusedMarginMove, deps: TickDeps): Promise<void> {
  const now = deps.clock.now();
  await deps.store.createIntent({
    id: refused.id,
    kind: refused.kind,
    status: 'REJECTED',
    raw: refused.asked,
    reasons: refused.reasons,
    attempts: 0,
    version: 1,
    createdAt: now,
    updatedAt: now,
  });
  await publishSafely(deps.bus, {
    type: 'OrderRejected',
    time: now,
    intentId: refused.id,
    symbol: refused.symbol,
    reasons: refused.reasons,
    correlationId: refused.id,
  });
}
