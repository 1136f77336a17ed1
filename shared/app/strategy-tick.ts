// The strategy-tick use case: one strategy, one symbol, one scheduled instant. Loads the market view,
// the account and the strategy's state; runs the strategy; pre-checks its intents with the same risk
// engine the executor uses; enqueues the accepted ones (and its cancels); saves the new state.
// Idempotent per tick time: the instant is claimed first, so a repeated invocation enqueues nothing.

import { TIMEFRAME_MS, type Timeframe } from '../domain/candles.ts';
import { makeIntentId, type OrderStatus } from '../domain/order.ts';
import { checkIntent } from '../domain/risk/check-intent.ts';
import type { RiskLimits } from '../domain/risk/limits.ts';
import { precheckBatch } from '../domain/risk/precheck-batch.ts';
import type { Clock } from '../ports/clock.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { Exchange } from '../ports/exchange.ts';
import { OrderNotFound } from '../ports/exchange-errors.ts';
import type { OrderQueue } from '../ports/order-queue.ts';
import type { StateStore } from '../ports/state-store.ts';
import type { AccountView, MarketView, Strategy } from '../strategies/strategy.ts';
import { loadAccountSnapshot } from './account-snapshot.ts';
import { getStrategyPause } from './monitors/performance-monitor.ts';
import { publishSafely } from './publish.ts';

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
      rejected: { id: string; reasons: string[] }[];
      notes: string[];
    };

/** Intent ids a strategy remembers in its state: the only orders it can ask about. */
function idsIn(state: unknown): string[] {
  const out: string[] = [];
  const isId = (x: unknown): x is string => typeof x === 'string' && /^ac-[0-9a-f]{32}$/.test(x);
  // Ids appear as values (a stop's id) and as keys (a grid's orders by id).
  JSON.stringify(state ?? null, (k, v) => {
    if (isId(k)) out.push(k);
    if (isId(v)) out.push(v);
    return v;
  });
  return [...new Set(out)];
}

export async function strategyTick(req: TickRequest, deps: TickDeps): Promise<TickResult> {
  const { strategy, symbol, tickTime } = req;
  if (!(await deps.store.claimTick(strategy.name, symbol, tickTime))) {
    return { kind: 'skipped', reason: `tick ${new Date(tickTime).toISOString()} already ran` };
  }
  const stored = await deps.store.getStrategyState(strategy.name, symbol);
  const markets = await deps.exchange.loadMarkets();
  const futuresRules = markets.futures[symbol];
  const spotRules = markets.spot[symbol];
  if (!futuresRules || !spotRules) throw new Error(`unknown symbol ${symbol}`);

  // Market view: closed candles per timeframe, enough for the strategy's look-back.
  const lookbackHours = strategy.lookback(req.params) + 1;
  const candles: MarketView['candles'] = {};
  for (const tf of strategy.timeframes as Timeframe[]) {
    const bars = Math.ceil((lookbackHours * TIMEFRAME_MS['1h']) / TIMEFRAME_MS[tf]) + 2;
    candles[tf] = await deps.exchange.fetchCandles(symbol, tf, bars);
  }
  const [markPrice, spotPrice, funding] = await Promise.all([
    deps.exchange.fetchMarkPrice(symbol),
    deps.exchange.fetchSpotPrice(symbol),
    deps.exchange.fetchFundingRate(symbol),
  ]);
  const view: MarketView = {
    symbol,
    time: tickTime,
    markPrice,
    spotPrice,
    fundingRate: funding.fundingRate,
    nextFundingTime: funding.nextFundingTime,
    candles,
    futuresRules,
    spotRules,
  };

  // Account view, including the status of every order the strategy remembers.
  const { snapshot } = await loadAccountSnapshot(deps);
  const openOrders = await deps.exchange.fetchOpenOrders(symbol);
  const statuses = new Map<string, OrderStatus>();
  for (const o of openOrders) statuses.set(o.clientOrderId, o.status);
  for (const id of idsIn(stored?.state)) {
    if (statuses.has(id)) continue;
    try {
      statuses.set(id, (await deps.exchange.fetchOrderByClientId(symbol, id)).status);
    } catch (err) {
      if (!(err instanceof OrderNotFound)) throw err;
      const record = await deps.store.getIntent(id);
      if (record?.status === 'REJECTED') statuses.set(id, 'rejected');
    }
  }
  const base = symbol.replace(/USDT$/, '');
  const account: AccountView = {
    equity: snapshot.equity,
    availableBalance: snapshot.availableBalance,
    position: snapshot.positions.find((p) => p.symbol === symbol),
    positionCount: snapshot.positions.length,
    openOrders,
    spotBase: snapshot.spotBalances[base] ?? 0,
    spotUsdt: snapshot.spotBalances.USDT ?? 0,
    marginMode: snapshot.positions.find((p) => p.symbol === symbol)?.marginMode ?? 'isolated',
    orderStatus: (id) => statuses.get(id),
  };

  const out = strategy.evaluate({ view, account, params: req.params, state: stored?.state });

  // Cancels first, then the intents, each pre-checked — except a moved protective stop: its successor
  // (a reduce-only stop on the same side in this tick) goes first, and the old one is cancelled only
  // once the successor is placed (`onlyIfPlaced`), so the position is never without a stop.
  const successorOf = new Map<string, string>();
  for (const clientOrderId of out.cancels) {
    const old = openOrders.find((o) => o.clientOrderId === clientOrderId);
    if (old?.type !== 'stop_market' || !old.reduceOnly) continue;
    const taken = new Set(successorOf.values());
    const next = out.intents.find(
      (i) => i.type === 'stop_market' && i.reduceOnly && i.side === old.side && !taken.has(i.id),
    );
    if (next) successorOf.set(clientOrderId, next.id);
  }
  const cancels: string[] = [];
  let seq = 0;
  const cancel = async (clientOrderId: string, onlyIfPlaced?: string) => {
    const id = makeIntentId({ source: `${strategy.name}:cancel`, symbol, tickTime, sequence: seq++ });
    await deps.queue.send({
      kind: 'cancel',
      id,
      source: strategy.name,
      symbol,
      market: 'futures',
      clientOrderId,
      createdAt: tickTime,
      ...(onlyIfPlaced ? { onlyIfPlaced } : {}),
    });
    cancels.push(id);
  };
  for (const clientOrderId of out.cancels) if (!successorOf.has(clientOrderId)) await cancel(clientOrderId);
  // A strategy the performance monitor paused still exits and protects: only what reduces passes.
  const pause = await getStrategyPause(deps.store, strategy.name);
  const batch = precheckBatch(out.intents, (intent) => {
    const reduces = intent.market === 'futures' ? intent.reduceOnly : intent.side === 'sell';
    if (pause && !reduces)
      return { accepted: false, reasons: [`strategy ${strategy.name} is paused: ${pause.reason}`] };
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
  const rejected: { id: string; reasons: string[] }[] = [];
  for (const { intent, reasons } of batch.rejected) {
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
      symbol,
      reasons,
      correlationId: intent.id,
    });
    rejected.push({ id: intent.id, reasons });
  }
  const enqueued: string[] = [];
  for (const intent of batch.accepted) {
    await deps.queue.send({ kind: 'intent', intent });
    enqueued.push(intent.id);
  }
  // The moved stops' old orders: cancelled after their successors; kept if the successor was refused.
  for (const [clientOrderId, successor] of successorOf)
    if (enqueued.includes(successor)) await cancel(clientOrderId, successor);

  await deps.store.putStrategyState({
    strategy: strategy.name,
    symbol,
    state: out.state,
    lastTick: tickTime,
    version: (stored?.version ?? 0) + 1,
  });
  await publishSafely(deps.bus, {
    type: 'StrategyTicked',
    time: deps.clock.now(),
    strategy: strategy.name,
    symbol,
    enqueued: enqueued.length,
    rejected: rejected.length,
    notes: out.notes.slice(0, 20),
  });
  return { kind: 'ticked', enqueued, cancels, rejected, notes: out.notes };
}
