// Telegram commands that trade or control trading. They never call the exchange to trade: they build
// intents, pre-check them with the same risk engine as the strategies, and enqueue them for the
// executor; the fill or rejection arrives later as a notification.
import { type OrderIntent, OrderIntentSchema } from '../../domain/order.ts';
import { ceilToStep, floorToStep } from '../../domain/precision.ts';
import { checkIntent } from '../../domain/risk/check-intent.ts';
import { precheckBatch } from '../../domain/risk/precheck-batch.ts';
import { riskQuantity, sliceKindLabel } from '../../domain/slicing.ts';
import { ExchangeError } from '../../ports/exchange-errors.ts';
import { ConcurrentModification } from '../../ports/state-store.ts';
import { loadAccountSnapshot } from '../account-snapshot.ts';
import { getStrategyPause, setStrategyPause } from '../monitors/performance-monitor.ts';
import { stopTwaps } from '../monitors/slices-monitor.ts';
import { publishSafely } from '../publish.ts';
import { leverageArg, openOptions, percentArg, sideArg, symbolArg, tooMany, usdtArg } from './args.ts';
import { confirmation, haltWithRetry } from './confirmations.ts';
import { escapeHtml, price, usdt } from './format.ts';
import { halfMarginStop } from './manual-stop.ts';
import { closeOwnershipNote, defaultManualSymbol, manualEntryRefusal } from './manual-symbols.ts';
import { openTwap, openWithBracket } from './open-advanced.ts';
import { ArgumentError, defineCommand, type Reply, type TelegramDeps } from './registry.ts';
import { alreadyExecuted, updateIntentId } from './updates.ts';

async function enqueueChecked(
  deps: TelegramDeps,
  intents: OrderIntent[],
): Promise<{ queued: OrderIntent[]; rejected: string[]; unsent?: SendFailure }> {
  const [{ snapshot }, markets] = await Promise.all([loadAccountSnapshot(deps), deps.exchange.loadMarkets()]);
  const marks = new Map<string, number>();
  for (const i of intents)
    if (!marks.has(i.symbol)) marks.set(i.symbol, await deps.exchange.fetchMarkPrice(i.symbol));
  const batch = precheckBatch(intents, (intent) => {
    const rules = markets.futures[intent.symbol]!;
    // A TWAP slice is checked for itself and every slice still to come (the parent's full size).
    return checkIntent(riskQuantity(intent), snapshot, deps.limits, {
      markPrice: marks.get(intent.symbol)!,
      ...rules,
    });
  });
  const { sent, unsent } = await sendInOrder(deps, batch.accepted);
  return {
    queued: sent,
    rejected: batch.rejected
      .filter((r) => !r.intent.reduceOnly || r.intent.type === 'market')
      .flatMap((r) => r.reasons),
    ...(unsent ? { unsent } : {}),
  };
}

interface SendFailure {
  /** The first intent the queue refused; it and everything after it were not sent. */
  intent: OrderIntent;
  notSent: OrderIntent[];
  error: Error;
}

/**
 * Send in order and stop at the first refusal (an entry's stop is never sent without its entry): the
 * reply then says exactly what is queued and what is not, instead of a generic error.
 */
async function sendInOrder(
  deps: TelegramDeps,
  intents: OrderIntent[],
): Promise<{ sent: OrderIntent[]; unsent?: SendFailure }> {
  const sent: OrderIntent[] = [];
  for (const [i, intent] of intents.entries()) {
    try {
      await deps.queue.send({ kind: 'intent', intent });
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      return { sent, unsent: { intent, notSent: intents.slice(i), error } };
    }
    sent.push(intent);
  }
  return { sent };
}

function unsentLine(u: SendFailure): string {
  return `⚠️ NOT queued (the order queue refused it: ${escapeHtml(u.error.name)}): ${u.notSent.map((i) => `${i.type} <code>${i.id}</code>`).join(', ')}.`;
}

function closeIntent(
  p: {
    symbol: string;
    side: 'long' | 'short';
    quantity: number;
    leverage: number;
    marginMode: 'isolated' | 'cross';
  },
  quantity: number,
  id: string,
  at: number,
  reason: string,
) {
  return OrderIntentSchema.parse({
    id,
    strategy: 'telegram',
    symbol: p.symbol,
    market: 'futures',
    side: p.side === 'long' ? 'sell' : 'buy',
    type: 'market',
    quantity,
    reduceOnly: true,
    // Not applied to a reduce-only order; within the intent schema's cap whatever the position uses.
    leverage: Math.min(20, Math.max(1, p.leverage)),
    marginMode: p.marginMode,
    createdAt: at,
    reason,
  });
}

/**
 * The entry of a /futures_open reached the executor but its stop has no trace (the first delivery
 * died after queueing the entry): queue the stop now, under its own id (a duplicate of a stop still in
 * the queue is dropped by the queue and the executor), sized from the entry as recorded.
 */
async function completeMissingStop(deps: TelegramDeps, entryId: string, stopId: string, at: number) {
  const [entryRecord, stopRecord] = await Promise.all([
    deps.store.getIntent(entryId),
    deps.store.getIntent(stopId),
  ]);
  const entry = entryRecord?.intent;
  if (!entry || stopRecord || entryRecord.status === 'REJECTED') return '';
  const rules = (await deps.exchange.loadMarkets()).futures[entry.symbol];
  if (!rules) return '';
  const mark = await deps.exchange.fetchMarkPrice(entry.symbol);
  const dir = entry.side === 'buy' ? 1 : -1;
  const stop = OrderIntentSchema.parse({
    id: stopId,
    strategy: 'telegram',
    symbol: entry.symbol,
    market: 'futures',
    side: dir > 0 ? 'sell' : 'buy',
    type: 'stop_market',
    quantity: entry.quantity,
    stopPrice: halfMarginStop(mark, dir > 0 ? 'long' : 'short', entry.leverage, rules.tickSize),
    reduceOnly: true,
    leverage: entry.leverage,
    marginMode: entry.marginMode,
    createdAt: at,
    reason: 'protective stop',
  });
  const { queued, unsent } = await enqueueChecked(deps, [stop]);
  if (unsent) return `\n${unsentLine(unsent)}`;
  return queued.length > 0
    ? `\nIts protective stop had not been queued: queued now at ${price(stop.stopPrice!)} (<code>${stop.id}</code>).`
    : '';
}

export const futuresOpen = defineCommand({
  controlsAccount: true,
  name: 'futures_open',
  usage:
    '/futures_open long|short <usdt> [SYMBOL] [LEVERAGE] [sl=<price|%>] [tp=<price|%>[,<price|%>…]] [twap=<minutes>|iceberg=<visible usdt>]',
  description:
    'open or add to a position of <usdt> notional, with a protective stop; sl=/tp= set a bracket (stop and take-profits, one cancels the other)',
  args: (all, deps) => {
    const { positional: words, options } = openOptions(all);
    tooMany(words, 4);
    return {
      side: sideArg.parse(words[0]),
      notional: usdtArg.parse(words[1]),
      symbol: symbolArg(deps).parse(words[2] ?? defaultManualSymbol(deps)),
      leverage: words[3] !== undefined ? leverageArg(deps).parse(words[3]) : undefined,
      options,
    };
  },
  async run(ctx): Promise<Reply> {
    const { args, deps, at } = ctx;
    const refused = manualEntryRefusal(deps, args.symbol);
    if (refused) return { text: refused };
    const tools = { enqueueChecked, unsentLine };
    if (args.options.twapMinutes !== undefined || args.options.icebergUsdt !== undefined)
      return openTwap(ctx, tools);
    if (args.options.sl !== undefined || args.options.tp !== undefined) return openWithBracket(ctx, tools);
    const entryId = updateIntentId(ctx, args.symbol, 0);
    const stopId = updateIntentId(ctx, args.symbol, 1);
    // A redelivery whose first run reached the executor: report that run and send nothing new — except
    // the protective stop, when the first run died between queueing the entry and queueing its stop.
    const seen = await alreadyExecuted(deps.store, [entryId, stopId]);
    if (seen.length > 0) {
      const completed = await completeMissingStop(deps, entryId, stopId, at);
      return { text: `Already received — not sent again:\n${seen.join('\n')}${completed}` };
    }
    const markets = await deps.exchange.loadMarkets();
    const rules = markets.futures[args.symbol]!;
    const mark = await deps.exchange.fetchMarkPrice(args.symbol);
    const leverage =
      args.leverage ?? (await deps.store.getLeveragePreference(args.symbol)) ?? deps.config.DEFAULT_LEVERAGE;
    let quantity = floorToStep(args.notional / mark, rules.stepSize);
    let adjusted = '';
    if (quantity < rules.minQuantity || quantity * mark < rules.minNotional) {
      // Flooring to the step fell under the exchange minimum. The smallest valid order is used when it
      // is at most twice what was asked (and the reply says so); anything more is refused.
      const minimum = Math.max(rules.minQuantity, ceilToStep(rules.minNotional / mark, rules.stepSize));
      if (minimum * mark > 2 * args.notional) {
        return {
          text: `Too small: ${usdt(args.notional)} is under ${args.symbol}'s minimum order (${rules.minNotional} USDT, ${rules.minQuantity} contracts; now ${minimum} ≈ ${usdt(minimum * mark)}). Nothing was sent.`,
        };
      }
      quantity = minimum;
      adjusted = ` — raised to the exchange minimum (${rules.minNotional} USDT notional)`;
    }
    const dir = args.side === 'long' ? 1 : -1;
    // Protective stop where half the position's margin would be lost.
    const stopPrice = halfMarginStop(mark, args.side, leverage, rules.tickSize);
    const common = {
      strategy: 'telegram',
      symbol: args.symbol,
      market: 'futures',
      leverage,
      marginMode: deps.config.MARGIN_MODE,
      createdAt: at,
    } as const;
    const entry = OrderIntentSchema.parse({
      ...common,
      id: entryId,
      side: dir > 0 ? 'buy' : 'sell',
      type: 'market',
      quantity,
      reason: 'Telegram /futures_open',
    });
    const stop = OrderIntentSchema.parse({
      ...common,
      id: stopId,
      side: dir > 0 ? 'sell' : 'buy',
      type: 'stop_market',
      quantity,
      stopPrice,
      reduceOnly: true,
      reason: 'protective stop',
    });
    const { queued, rejected, unsent } = await enqueueChecked(deps, [entry, stop]);
    if (unsent?.intent.id === entry.id)
      return { text: `${unsentLine(unsent)} Nothing was sent; send the command again.` };
    if (!queued.some((i) => i.id === entry.id)) {
      return {
        text: `Rejected — nothing was sent:\n${rejected.map((r) => `• ${escapeHtml(r)}`).join('\n')}`,
      };
    }
    const stopNote = unsent
      ? `\n${unsentLine(unsent)} The entry IS queued without its protective stop: the position monitor places a stop for an unprotected position; check /futures_status.`
      : '';
    return {
      text: `Queued <code>${entry.id}</code>: ${args.side} ${quantity} ${args.symbol} (~${usdt(quantity * mark)}${adjusted}) at ${leverage}x, ${unsent ? 'stop NOT queued' : `stop at ${price(stopPrice)}`}. The fill arrives as a notification.${stopNote}`,
      intentIds: queued.map((i) => i.id),
    };
  },
});

export const futuresClose = defineCommand({
  controlsAccount: true,
  name: 'futures_close',
  usage: '/futures_close [SYMBOL|all] [PERCENT]',
  description: 'close a position (or all), fully or by a percentage',
  args: (words, deps) => {
    tooMany(words, 2);
    const target = (words[0] ?? 'all').toLowerCase() === 'all' ? 'all' : symbolArg(deps).parse(words[0]);
    return { target, percent: words[1] !== undefined ? percentArg.parse(words[1]) : 100 };
  },
  async run(ctx): Promise<Reply> {
    const { args, deps, at } = ctx;
    // A sliced entry still running would re-open what is closed: its remaining slices are stopped first.
    const twaps = await stopTwaps(
      deps.store,
      args.target === 'all' ? deps.config.SYMBOLS : [args.target],
      at,
      'stopped by /futures_close',
    );
    const twapNote = twaps
      .map((p) => `\n${sliceKindLabel(p)} <code>${p.parentId}</code> stopped: no more slices.`)
      .join('');
    const positions = (await deps.exchange.fetchPositions()).filter(
      (p) => args.target === 'all' || p.symbol === args.target,
    );
    if (positions.length === 0)
      return {
        text: `${args.target === 'all' ? 'No open positions.' : `No open position on ${args.target}.`}${twapNote}`,
      };
    const markets = await deps.exchange.loadMarkets();
    const intents: OrderIntent[] = [];
    const lines: string[] = [];
    for (const p of positions) {
      const step = markets.futures[p.symbol]?.stepSize ?? 0.001;
      const quantity =
        args.percent === 100 ? p.quantity : floorToStep((p.quantity * args.percent) / 100, step);
      if (quantity <= 0) {
        lines.push(
          `${p.symbol}: ${args.percent} % of ${p.quantity} is below one step (${step}); nothing sent`,
        );
        continue;
      }
      // One id per symbol of this update, whatever else is open: a redelivery closes nothing twice.
      const id = updateIntentId(ctx, p.symbol, 2);
      const seen = await alreadyExecuted(deps.store, [id]);
      if (seen.length > 0) {
        lines.push(`${p.symbol}: already received — not sent again ${seen[0]!.slice(2)}`);
        continue;
      }
      intents.push(closeIntent(p, quantity, id, at, `Telegram /futures_close ${args.percent} %`));
      lines.push(`${p.symbol}: close ${quantity} of ${p.quantity} (${p.side}) — <code>${id}</code>`);
    }
    const { sent, unsent } = await sendInOrder(deps, intents);
    const shown = unsent ? lines.filter((l) => !unsent.notSent.some((i) => l.includes(i.id))) : lines;
    return {
      text: `${sent.length > 0 ? 'Queued:' : 'Nothing queued:'}\n${[...shown, ...(unsent ? [`${unsentLine(unsent)} Send the command again for those.`] : [])].join('\n')}${closeOwnershipNote(
        deps,
        sent.map((i) => i.symbol),
      )}${twapNote}`,
      intentIds: sent.map((i) => i.id),
    };
  },
});

export const futuresLeverage = defineCommand({
  controlsAccount: true,
  name: 'futures_leverage',
  usage: '/futures_leverage <1-20> [SYMBOL]',
  description: 'leverage for new manual orders on a symbol',
  args: (words, deps) => {
    tooMany(words, 2);
    return {
      leverage: leverageArg(deps).parse(words[0]),
      symbol: symbolArg(deps).parse(words[1] ?? deps.config.SYMBOLS[0]),
    };
  },
  async run({ args, deps }): Promise<Reply> {
    const position = (await deps.exchange.fetchPositions()).find((p) => p.symbol === args.symbol);
    const brackets = (await deps.exchange.loadMarkets()).futures[args.symbol]!.brackets;
    const notional = position ? position.quantity * position.markPrice : 0;
    const tierMax = brackets.find((b) => notional < b.notionalCap)?.maxLeverage ?? 1;
    if (args.leverage > tierMax)
      throw new ArgumentError(`${args.symbol} allows at most ${tierMax}x at this position size`);
    await deps.store.setLeveragePreference(args.symbol, args.leverage);
    return {
      text: `Leverage for ${args.symbol} set to ${args.leverage}x for new orders (the executor applies it with the next order).`,
    };
  },
});

export const halt = defineCommand({
  controlsAccount: true,
  name: 'halt',
  usage: '/halt',
  description: 'stop all new exposure now (reduce-only orders still pass)',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps, chatId, at }): Promise<Reply> {
    const h = await deps.store.getHalt();
    if (h.halted)
      return { text: `Already halted since ${new Date(h.since).toISOString()}: ${escapeHtml(h.reason)}` };
    const reason = `halted from Telegram (chat ${chatId})`;
    try {
      const now = await haltWithRetry(deps.store, reason, at);
      if (now.reason !== reason)
        return { text: `Halted (at the same moment, by: ${escapeHtml(now.reason)}). /resume to lift.` };
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
      return {
        text: '⚠️ NOT halted: the halt flag kept changing under concurrent writes. Send /halt again.',
      };
    }
    if (deps.bus)
      await publishSafely(deps.bus, {
        type: 'Halted',
        time: at,
        reason: `halted from Telegram (chat ${chatId})`,
      });
    return {
      text: 'Halted: new exposure is rejected; reduce-only orders and stops still work. /resume to lift.',
    };
  },
});

export const resume = defineCommand({
  controlsAccount: true,
  name: 'resume',
  usage: '/resume',
  description: 'lift a halt (asks for confirmation)',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps, chatId, userId, at }): Promise<Reply> {
    const h = await deps.store.getHalt();
    if (!h.halted) return { text: 'Not halted.' };
    return confirmation(
      deps,
      'resume',
      { chatId, ...(userId !== undefined ? { userId } : {}) },
      at,
      `Resume trading? Halted since ${new Date(h.since).toISOString()}: ${escapeHtml(h.reason)}`,
    );
  },
});

export const strategyResume = defineCommand({
  controlsAccount: true,
  name: 'strategy_resume',
  usage: '/strategy_resume <strategy>',
  description: 'resume a strategy the performance monitor paused',
  args: (words, deps) => {
    tooMany(words, 1);
    const names = deps.config.strategies;
    const name = words[0];
    if (!name || !(names as readonly string[]).includes(name))
      throw new ArgumentError(`strategy must be one of the running strategies: ${names.join(', ')}`);
    return { strategy: name };
  },
  async run({ args, deps, chatId, at }): Promise<Reply> {
    const pause = await getStrategyPause(deps.store, args.strategy);
    if (!pause) return { text: `${escapeHtml(args.strategy)} is not paused.` };
    try {
      await setStrategyPause(deps.store, args.strategy, {
        paused: false,
        reason: `resumed from Telegram`,
        since: at,
      });
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
      return {
        text: `${escapeHtml(args.strategy)} NOT resumed: its pause kept changing (the performance monitor is writing it). Try again in a moment.`,
      };
    }
    if (deps.bus)
      await publishSafely(deps.bus, {
        type: 'StrategyResumed',
        time: at,
        strategy: args.strategy,
        by: `Telegram (chat ${chatId})`,
      });
    return {
      text: `${escapeHtml(args.strategy)} resumed: it may open positions again (it was paused: ${escapeHtml(pause.reason)}).`,
    };
  },
});

export const emergencyClose = defineCommand({
  controlsAccount: true,
  name: 'futures_emergency_close',
  usage: '/futures_emergency_close',
  description: 'halt and close every position at market (asks for confirmation)',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps, chatId, userId, at }): Promise<Reply> {
    // The count comes from the read model, which is stale exactly when monitors are down: the
    // confirmation is offered anyway, since close_all is resolved against the exchange itself.
    let what: string;
    try {
      what = `close ${(await deps.exchange.fetchPositions()).length} position(s) at market?`;
    } catch (err) {
      if (!(err instanceof ExchangeError)) throw err;
      what = `close every open position at market? The number of open positions is unknown (${escapeHtml(err.message)}); the executor closes whatever the exchange reports.`;
    }
    return confirmation(
      deps,
      'emergency_close',
      { chatId, ...(userId !== undefined ? { userId } : {}) },
      at,
      `⚠️ Emergency close: halt trading and ${what}`,
    );
  },
});
