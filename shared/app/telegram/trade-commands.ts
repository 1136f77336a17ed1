// Telegram commands that trade or control trading. They never call the exchange to trade: they build
// intents, pre-check them with the same risk engine as the strategies, and enqueue them for the
// executor; the fill or rejection arrives later as a notification.
import { randomBytes } from 'node:crypto';
import { makeIntentId, type OrderIntent, OrderIntentSchema } from '../../domain/order.ts';
import { ceilToStep, floorToStep, roundToTick } from '../../domain/precision.ts';
import { checkIntent } from '../../domain/risk/check-intent.ts';
import { precheckBatch } from '../../domain/risk/precheck-batch.ts';
import { loadAccountSnapshot } from '../account-snapshot.ts';
import { getStrategyPause, setStrategyPause } from '../monitors/performance-monitor.ts';
import { publishSafely } from '../publish.ts';
import { leverageArg, percentArg, sideArg, symbolArg, tooMany, usdtArg } from './args.ts';
import { escapeHtml, price, usdt } from './format.ts';
import { ArgumentError, defineCommand, type Reply, type TelegramDeps } from './registry.ts';

const CONFIRM_TTL_MS = 60_000;

async function enqueueChecked(
  deps: TelegramDeps,
  intents: OrderIntent[],
): Promise<{ queued: OrderIntent[]; rejected: string[] }> {
  const [{ snapshot }, markets] = await Promise.all([loadAccountSnapshot(deps), deps.exchange.loadMarkets()]);
  const marks = new Map<string, number>();
  for (const i of intents)
    if (!marks.has(i.symbol)) marks.set(i.symbol, await deps.exchange.fetchMarkPrice(i.symbol));
  const batch = precheckBatch(intents, (intent) => {
    const rules = markets.futures[intent.symbol]!;
    return checkIntent(intent, snapshot, deps.limits, { markPrice: marks.get(intent.symbol)!, ...rules });
  });
  for (const intent of batch.accepted) await deps.queue.send({ kind: 'intent', intent });
  return {
    queued: batch.accepted,
    rejected: batch.rejected
      .filter((r) => !r.intent.reduceOnly || r.intent.type === 'market')
      .flatMap((r) => r.reasons),
  };
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
    leverage: Math.min(125, Math.max(1, p.leverage)),
    marginMode: p.marginMode,
    createdAt: at,
    reason,
  });
}

export const futuresOpen = defineCommand({
  name: 'futures_open',
  usage: '/futures_open long|short <usdt> [SYMBOL] [LEVERAGE]',
  description: 'open or add to a position of <usdt> notional, with a protective stop',
  args: (words, deps) => {
    tooMany(words, 4);
    return {
      side: sideArg.parse(words[0]),
      notional: usdtArg.parse(words[1]),
      symbol: symbolArg(deps).parse(words[2] ?? deps.config.SYMBOLS[0]),
      leverage: words[3] !== undefined ? leverageArg(deps).parse(words[3]) : undefined,
    };
  },
  async run({ args, deps, updateId, at }): Promise<Reply> {
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
    const stopPrice = roundToTick(mark * (1 - (dir * 0.5) / leverage), rules.tickSize);
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
      id: makeIntentId({ source: 'telegram', symbol: args.symbol, tickTime: at, sequence: updateId * 10 }),
      side: dir > 0 ? 'buy' : 'sell',
      type: 'market',
      quantity,
      reason: 'Telegram /futures_open',
    });
    const stop = OrderIntentSchema.parse({
      ...common,
      id: makeIntentId({
        source: 'telegram',
        symbol: args.symbol,
        tickTime: at,
        sequence: updateId * 10 + 1,
      }),
      side: dir > 0 ? 'sell' : 'buy',
      type: 'stop_market',
      quantity,
      stopPrice,
      reduceOnly: true,
      reason: 'protective stop',
    });
    const { queued, rejected } = await enqueueChecked(deps, [entry, stop]);
    if (!queued.some((i) => i.id === entry.id)) {
      return {
        text: `Rejected — nothing was sent:\n${rejected.map((r) => `• ${escapeHtml(r)}`).join('\n')}`,
      };
    }
    return {
      text: `Queued <code>${entry.id}</code>: ${args.side} ${quantity} ${args.symbol} (~${usdt(quantity * mark)}${adjusted}) at ${leverage}x, stop at ${price(stopPrice)}. The fill arrives as a notification.`,
    };
  },
});

export const futuresClose = defineCommand({
  name: 'futures_close',
  usage: '/futures_close [SYMBOL|all] [PERCENT]',
  description: 'close a position (or all), fully or by a percentage',
  args: (words, deps) => {
    tooMany(words, 2);
    const target = (words[0] ?? 'all').toLowerCase() === 'all' ? 'all' : symbolArg(deps).parse(words[0]);
    return { target, percent: words[1] !== undefined ? percentArg.parse(words[1]) : 100 };
  },
  async run({ args, deps, updateId, at }): Promise<Reply> {
    const positions = (await deps.exchange.fetchPositions()).filter(
      (p) => args.target === 'all' || p.symbol === args.target,
    );
    if (positions.length === 0)
      return { text: args.target === 'all' ? 'No open positions.' : `No open position on ${args.target}.` };
    const markets = await deps.exchange.loadMarkets();
    const intents: OrderIntent[] = [];
    const lines: string[] = [];
    positions.forEach((p, i) => {
      const step = markets.futures[p.symbol]?.stepSize ?? 0.001;
      const quantity =
        args.percent === 100 ? p.quantity : floorToStep((p.quantity * args.percent) / 100, step);
      if (quantity <= 0) {
        lines.push(
          `${p.symbol}: ${args.percent} % of ${p.quantity} is below one step (${step}); nothing sent`,
        );
        return;
      }
      const id = makeIntentId({
        source: 'telegram',
        symbol: p.symbol,
        tickTime: at,
        sequence: updateId * 10 + i,
      });
      intents.push(closeIntent(p, quantity, id, at, `Telegram /futures_close ${args.percent} %`));
      lines.push(`${p.symbol}: close ${quantity} of ${p.quantity} (${p.side}) — <code>${id}</code>`);
    });
    for (const intent of intents) await deps.queue.send({ kind: 'intent', intent });
    return { text: `Queued:\n${lines.join('\n')}` };
  },
});

export const futuresLeverage = defineCommand({
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
    await deps.store.setHalt(true, `halted from Telegram (chat ${chatId})`, at, h.version);
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

async function confirmation(
  deps: TelegramDeps,
  action: 'emergency_close' | 'resume',
  chatId: number,
  at: number,
  question: string,
): Promise<Reply> {
  const nonce = randomBytes(16).toString('hex');
  await deps.store.createConfirmation({ nonce, action, chatId, expiresAt: at + CONFIRM_TTL_MS, used: false });
  return {
    text: `${question}\nThe buttons expire in 60 s.`,
    buttons: [
      [
        ['Confirm', `confirm:${nonce}`],
        ['Cancel', `cancel:${nonce}`],
      ],
    ],
  };
}

export const resume = defineCommand({
  name: 'resume',
  usage: '/resume',
  description: 'lift a halt (asks for confirmation)',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps, chatId, at }): Promise<Reply> {
    const h = await deps.store.getHalt();
    if (!h.halted) return { text: 'Not halted.' };
    return confirmation(
      deps,
      'resume',
      chatId,
      at,
      `Resume trading? Halted since ${new Date(h.since).toISOString()}: ${escapeHtml(h.reason)}`,
    );
  },
});

export const strategyResume = defineCommand({
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
    await setStrategyPause(deps.store, args.strategy, {
      paused: false,
      reason: `resumed from Telegram`,
      since: at,
    });
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
  name: 'futures_emergency_close',
  usage: '/futures_emergency_close',
  description: 'halt and close every position at market (asks for confirmation)',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps, chatId, at }): Promise<Reply> {
    const n = (await deps.exchange.fetchPositions()).length;
    return confirmation(
      deps,
      'emergency_close',
      chatId,
      at,
      `⚠️ Emergency close: halt trading and close ${n} position(s) at market?`,
    );
  },
});

/** A pressed Confirm/Cancel button: single use, 60 s, only in the chat that asked. */
export async function onConfirmation(
  data: string,
  chatId: number,
  at: number,
  deps: TelegramDeps,
): Promise<Reply> {
  const m = /^(confirm|cancel):([0-9a-f]{32})$/.exec(data);
  if (!m) return { text: 'Unknown button.' };
  const r = await deps.store.consumeConfirmation(m[2]!, at);
  if (r.status !== 'ok') {
    return {
      text:
        r.status === 'expired'
          ? 'This confirmation expired; send the command again.'
          : 'This button was already used.',
    };
  }
  const c = r.confirmation;
  if (c.chatId !== chatId) return { text: 'This confirmation belongs to another chat.' };
  if (m[1] === 'cancel') return { text: 'Cancelled; nothing changed.' };
  if (c.action === 'resume') {
    const h = await deps.store.getHalt();
    if (h.halted) {
      await deps.store.setHalt(false, `resumed from Telegram (chat ${chatId})`, at, h.version);
      if (deps.bus)
        await publishSafely(deps.bus, {
          type: 'Resumed',
          time: at,
          reason: `resumed from Telegram (chat ${chatId})`,
        });
    }
    return { text: 'Resumed: new orders are accepted again.' };
  }
  // Emergency close: the halt first (the executor then rejects every opening order at once, so the
  // close is not stuck behind a backlog of opens), then one close-all request: the executor closes
  // every position the exchange reports when it runs, with a reduce-only market order each.
  const h = await deps.store.getHalt();
  if (!h.halted)
    await deps.store.setHalt(true, `emergency close from Telegram (chat ${chatId})`, at, h.version);
  const positions = await deps.exchange.fetchPositions().catch(() => undefined);
  await deps.queue.send({
    kind: 'close_all',
    id: makeIntentId({ source: 'telegram-emergency', symbol: 'ALL', tickTime: at, sequence: chatId }),
    source: 'telegram',
    reason: 'emergency close',
    createdAt: at,
  });
  return {
    text: `Halted. Closing every open position at market${positions ? ` (${positions.map((p) => p.symbol).join(', ') || 'none open a moment ago'})` : ''}.`,
  };
}
