// The advanced forms of /futures_open: with a bracket (sl= / tp=: the entry carries its stop and
// take-profits, linked one-cancels-the-other by the position monitor) and sliced (twap=: the entry in N
// market slices over T minutes; iceberg=: visible slices, each after the previous filled — sent by the
// position monitor as they come due). The plain form and the
// queueing it shares with these live in ./trade-commands.ts, which hands its queueing in (`tools`).
import { BracketInvalid, bracketLegs } from '../../domain/bracket.ts';
import { type OrderIntent, OrderIntentSchema } from '../../domain/order.ts';
import { ceilToStep, floorToStep } from '../../domain/precision.ts';
import {
  requestQuantities,
  SlicingInvalid,
  type SlicingRequest,
  sliceId,
  sliceIntent,
  sliceKindLabel,
  type TwapPlan,
} from '../../domain/slicing.ts';
import { changeTwapPlans, startTwap } from '../monitors/slices-monitor.ts';
import type { OpenOptions } from './args.ts';
import { escapeHtml, price, usdt } from './format.ts';
import { halfMarginStop } from './manual-stop.ts';
import { describeBracket, openBracket } from './open-bracket.ts';
import type { CommandContext, Reply, TelegramDeps } from './registry.ts';
import { alreadyExecuted, updateIntentId } from './updates.ts';

export type OpenContext = CommandContext<{
  side: 'long' | 'short';
  notional: number;
  symbol: string;
  leverage: number | undefined;
  options: OpenOptions;
}>;

type Unsent = { intent: OrderIntent; notSent: OrderIntent[]; error: Error };
export interface EnqueueTools {
  /** Risk pre-check and send in order, stopping at the first send the queue refuses. */
  enqueueChecked(
    deps: TelegramDeps,
    intents: OrderIntent[],
  ): Promise<{ queued: OrderIntent[]; rejected: string[]; unsent?: Unsent }>;
  unsentLine(u: Unsent): string;
}

/**
 * /futures_open with sl= or tp=: the entry carries its bracket, and its legs (the stop and the
 * take-profits, ids derived from the entry's) are queued right behind it. The position monitor links them
 * one-cancels-the-other (shared/app/monitors/brackets-monitor.ts). A redelivery whose entry reached the
 * executor re-sends the legs of the entry as recorded: the ones already queued are dropped as duplicates.
 */
export async function openWithBracket(ctx: OpenContext, tools: EnqueueTools): Promise<Reply> {
  const { args, deps, at } = ctx;
  const { enqueueChecked, unsentLine } = tools;
  const entryId = updateIntentId(ctx, args.symbol, 0);
  const recorded = await deps.store.getIntent(entryId);
  if (recorded) {
    const seen = await alreadyExecuted(deps.store, [entryId]);
    const entry = recorded.intent;
    const rules = entry && (await deps.exchange.loadMarkets()).futures[entry.symbol];
    if (!entry || !rules || recorded.status === 'REJECTED')
      return { text: `Already received — not sent again:\n${seen.join('\n')}` };
    const { unsent } = await enqueueChecked(deps, bracketLegs(entry, rules.stepSize));
    return {
      text: `Already received — not sent again:\n${seen.join('\n')}\nIts bracket legs were sent again (the queue drops any already there).${unsent ? `\n${unsentLine(unsent)}` : ''}`,
    };
  }
  const rules = (await deps.exchange.loadMarkets()).futures[args.symbol]!;
  const mark = await deps.exchange.fetchMarkPrice(args.symbol);
  const leverage =
    args.leverage ?? (await deps.store.getLeveragePreference(args.symbol)) ?? deps.config.DEFAULT_LEVERAGE;
  const quantity = floorToStep(args.notional / mark, rules.stepSize);
  if (quantity < rules.minQuantity || quantity * mark < rules.minNotional)
    return {
      text: `Too small: ${usdt(args.notional)} is under ${args.symbol}'s minimum order (${rules.minNotional} USDT) for a bracketed entry. Nothing was sent.`,
    };
  const dir = args.side === 'long' ? 1 : -1;
  const bracket = openBracket({
    side: args.side,
    mark,
    options: args.options,
    // Without sl=: where half the position's margin would be lost, as the plain /futures_open does.
    defaultStopPrice: halfMarginStop(mark, args.side, leverage, rules.tickSize),
    tickSize: rules.tickSize,
  });
  if (typeof bracket === 'string') return { text: `Refused — nothing was sent: ${escapeHtml(bracket)}.` };
  const entry = OrderIntentSchema.parse({
    id: entryId,
    strategy: 'telegram',
    symbol: args.symbol,
    market: 'futures',
    side: dir > 0 ? 'buy' : 'sell',
    type: 'market',
    quantity,
    leverage,
    marginMode: deps.config.MARGIN_MODE,
    createdAt: at,
    reason: 'Telegram /futures_open',
    bracket,
  });
  let legs: OrderIntent[];
  try {
    legs = bracketLegs(entry, rules.stepSize);
  } catch (err) {
    if (err instanceof BracketInvalid)
      return { text: `Refused — nothing was sent: ${escapeHtml(err.message)}.` };
    throw err;
  }
  const { queued, rejected, unsent } = await enqueueChecked(deps, [entry, ...legs]);
  if (unsent?.intent.id === entry.id)
    return { text: `${unsentLine(unsent)} Nothing was sent; send the command again.` };
  if (!queued.some((i) => i.id === entry.id))
    return { text: `Rejected — nothing was sent:\n${rejected.map((r) => `• ${escapeHtml(r)}`).join('\n')}` };
  return {
    text: `Queued <code>${entry.id}</code>: ${args.side} ${quantity} ${args.symbol} (~${usdt(quantity * mark)}) at ${leverage}x with a bracket: ${describeBracket(bracket)}. The fill arrives as a notification.${unsent ? `\n${unsentLine(unsent)} The entry IS queued; the position monitor places a stop for an unprotected position.` : ''}`,
    intentIds: queued.map((i) => i.id),
  };
}

/**
 * /futures_open … twap=<minutes>: the entry in N equal market slices, the first now and one every
 * T/N minutes after (N = the minutes, fewer where a slice would fall under the exchange's minimum).
 * /futures_open … iceberg=<visible usdt>: market slices of the visible size, each sent in the position
 * monitor's slot after the previous one filled. Market, not a resting limit at the touch: Binance
 * USD-M has no iceberg quantity, and a resting limit may never fill (the parent stalls with a stop
 * sized for nothing) or need a chase loop; a market slice fills at once, so "filled" is the executor's
 * own outcome and the risk check sees the exposure it adds. The first slice carries a protective stop
 * that the position monitor grows as the slices fill. The plan is stored before the first slice is
 * sent, so the rest is never lost to a crash; the first slice is risk-checked as the whole parent
 * (refused: the plan is dropped and nothing is sent).
 */
export async function openTwap(ctx: OpenContext, tools: EnqueueTools): Promise<Reply> {
  const { args, deps, at } = ctx;
  const minutes = args.options.twapMinutes;
  const visibleUsdt = args.options.icebergUsdt;
  if (args.options.sl !== undefined || args.options.tp !== undefined)
    return {
      text: `${minutes !== undefined ? 'twap=' : 'iceberg='} with sl=/tp= is not supported yet: a sliced entry gets the plain protective stop. Nothing was sent.`,
    };
  if (minutes !== undefined && visibleUsdt !== undefined)
    return { text: 'twap= and iceberg= together: choose one. Nothing was sent.' };
  const parentId = updateIntentId(ctx, args.symbol, 0);
  const stopId = updateIntentId(ctx, args.symbol, 1);
  const seen = await alreadyExecuted(deps.store, [sliceId(parentId, 0), stopId]);
  if (seen.length > 0) return { text: `Already received — not sent again:\n${seen.join('\n')}` };
  const rules = (await deps.exchange.loadMarkets()).futures[args.symbol]!;
  const mark = await deps.exchange.fetchMarkPrice(args.symbol);
  const leverage =
    args.leverage ?? (await deps.store.getLeveragePreference(args.symbol)) ?? deps.config.DEFAULT_LEVERAGE;
  const quantity = floorToStep(args.notional / mark, rules.stepSize);
  const minSlice = Math.max(rules.minQuantity, ceilToStep(rules.minNotional / mark, rules.stepSize));
  const request: SlicingRequest =
    minutes !== undefined
      ? { kind: 'twap', slices: Math.min(minutes, 100), minutes }
      : { kind: 'iceberg', visibleQuantity: floorToStep(visibleUsdt! / mark, rules.stepSize) };
  let quantities: number[];
  try {
    quantities = requestQuantities(request, quantity, rules.stepSize, minSlice);
  } catch (err) {
    if (!(err instanceof SlicingInvalid)) throw err;
    return {
      text: `Too small to slice: ${usdt(args.notional)} in at least 2 slices — ${escapeHtml(err.message)} (${rules.minNotional} USDT). Nothing was sent.`,
    };
  }
  const dir = args.side === 'long' ? 1 : -1;
  const count = quantities.length;
  const plan: TwapPlan = {
    ...(request.kind === 'iceberg' ? { kind: 'iceberg' as const } : {}),
    parentId,
    symbol: args.symbol,
    strategy: 'telegram',
    side: dir > 0 ? 'buy' : 'sell',
    leverage,
    marginMode: deps.config.MARGIN_MODE,
    quantities,
    startAt: at,
    intervalMs: minutes !== undefined ? Math.round((minutes * 60_000) / count) : 0,
    sent: 0,
  };
  const first = sliceIntent(plan, 0, at);
  const stopPrice = halfMarginStop(mark, args.side, leverage, rules.tickSize);
  const stop = OrderIntentSchema.parse({
    id: stopId,
    strategy: 'telegram',
    symbol: args.symbol,
    market: 'futures',
    side: dir > 0 ? 'sell' : 'buy',
    type: 'stop_market',
    quantity: quantities[0],
    stopPrice,
    reduceOnly: true,
    leverage,
    marginMode: deps.config.MARGIN_MODE,
    createdAt: at,
    reason: `protective stop (grown with the ${sliceKindLabel(plan)} by the position monitor)`,
  });
  await startTwap(deps.store, plan, at);
  const { queued, rejected, unsent } = await tools.enqueueChecked(deps, [first, stop]);
  const placed = queued.some((i) => i.id === first.id);
  await changeTwapPlans(deps.store, args.symbol, at, (plans) => {
    const p = plans[parentId];
    if (!p) return undefined;
    if (!placed) delete plans[parentId];
    else plans[parentId] = { ...p, sent: Math.max(p.sent, 1) };
    return plans;
  });
  if (unsent?.intent.id === first.id)
    return { text: `${tools.unsentLine(unsent)} Nothing was sent; send the command again.` };
  if (!placed)
    return { text: `Rejected — nothing was sent:\n${rejected.map((r) => `• ${escapeHtml(r)}`).join('\n')}` };
  const pace =
    minutes !== undefined
      ? `over ${minutes} min (one every ${Math.round(plan.intervalMs / 1000)} s)`
      : 'visible (each after the previous one filled)';
  return {
    text: `Queued ${sliceKindLabel(plan)} <code>${parentId}</code>: ${args.side} ${quantity} ${args.symbol} (~${usdt(quantity * mark)}) at ${leverage}x in ${count} slices of ${quantities[0]} ${pace}; the first now, ${unsent ? 'stop NOT queued' : `stop at ${price(stopPrice)}, grown with the position`}. A halt or /futures_close stops the rest.${unsent ? `\n${tools.unsentLine(unsent)}` : ''}`,
    intentIds: queued.map((i) => i.id),
  };
}
