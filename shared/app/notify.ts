// The notifier's use case: domain events → Telegram messages. Alerts carry a cooldown per (kind, key)
// in the state store, so a storm is one message with a count of the rest; a critical alert that
// escalates goes out at once. Each chat chooses which kinds it gets (notification-levels.ts: routine
// placements and cancels are off by default); a critical message goes to every chat, whatever it chose.
import type { DomainEvent } from '../domain/events.ts';
import type { Clock } from '../ports/clock.ts';
import { ConcurrentModification, type StateStore } from '../ports/state-store.ts';
import { getStrategyPause } from './monitors/performance-monitor.ts';
import { defaultLevels, getLevels, kindOf, type NotificationKind } from './notification-levels.ts';
import { escapeHtml, price } from './telegram/format.ts';

export interface NotifyDeps {
  store: StateStore;
  clock: Clock;
  /** To every chat (used when `chats`/`sendTo` are not given: the default levels then apply). */
  send: (html: string) => Promise<void>;
  /** The allowed chats, each with its own levels (/notify), and how to send to one. */
  chats?: readonly number[];
  sendTo?: (chatId: number, html: string) => Promise<void>;
  cooldownMs?: number;
}

/**
 * Where a message goes: the chats whose levels take its kind — every chat for a critical one. Without
 * per-chat wiring, `send` with the default levels.
 */
async function recipients(
  m: Message,
  kind: NotificationKind | undefined,
  deps: NotifyDeps,
): Promise<((html: string) => Promise<void>) | undefined> {
  const wanted = async (levels: Record<string, boolean>) =>
    m.level >= 2 || kind === undefined || levels[kind];
  if (!deps.chats || !deps.sendTo) return (await wanted(defaultLevels())) ? deps.send : undefined;
  const chats: number[] = [];
  for (const chat of deps.chats) if (await wanted(await getLevels(deps.store, chat))) chats.push(chat);
  if (chats.length === 0) return undefined;
  const sendTo = deps.sendTo;
  return async (html) => {
    for (const chat of chats) await sendTo(chat, html);
  };
}

interface Message {
  key: string;
  /** 0 info, 1 warning, 2 critical; a higher level than the last one sent bypasses the cooldown. */
  level: number;
  text: string;
  cooldown: boolean;
}

export function describe(e: DomainEvent): Message | undefined {
  switch (e.type) {
    case 'OrderFilled':
      return {
        key: `fill#${e.intentId}`,
        level: 0,
        cooldown: false,
        text: `${fillHeading(e.orderType)} ${e.owner ? `${escapeHtml(e.owner)}: ` : ''}Filled ${e.side} ${e.quantity} ${escapeHtml(e.symbol)} @ ${price(e.price)} (fee ${e.fee.toFixed(4)} USDT) — <code>${e.intentId}</code>`,
      };
    case 'OrderPlaced':
      return {
        key: `placed#${e.intentId}`,
        level: 0,
        cooldown: false,
        text: `📌 ${e.owner ? `${escapeHtml(e.owner)}: ` : ''}Placed ${e.orderType} ${e.side} ${e.quantity} ${escapeHtml(e.symbol)} (${e.status}) — <code>${e.intentId}</code>`,
      };
    case 'OrderCancelled':
      return {
        key: `cancel#${e.intentId}`,
        level: 0,
        cooldown: false,
        text: `🗑 Cancelled ${escapeHtml(e.clientOrderId)} on ${escapeHtml(e.symbol)}`,
      };
    case 'OrderRejected':
      return {
        key: `rejected#${e.symbol ?? '-'}`,
        level: 1,
        cooldown: true,
        text: `⛔ Rejected <code>${e.intentId}</code>${e.symbol ? ` on ${escapeHtml(e.symbol)}` : ''}:\n${e.reasons.map((r) => `• ${escapeHtml(r)}`).join('\n')}`,
      };
    case 'OrderOutcomeUnknown':
      return {
        key: `unknown#${e.symbol}`,
        level: 2,
        cooldown: true,
        text: `🚨 Order outcome unknown after ${e.attempts} attempts: <code>${e.intentId}</code> on ${escapeHtml(e.symbol)}. It is in the dead-letter queue; check the exchange.`,
      };
    case 'CancelFailed':
      return {
        key: `cancel-failed#${e.symbol}`,
        level: 2,
        cooldown: true,
        text: `🚨 Cancel failed: ${escapeHtml(e.clientOrderId)} on ${escapeHtml(e.symbol)} (${e.market}) may still be live — ${escapeHtml(e.error)}. Check the exchange.`,
      };
    case 'CloseAllIncomplete':
      return {
        key: 'close-all-incomplete',
        level: 2,
        cooldown: true,
        text: `🚨 Emergency close incomplete (attempt ${e.attempt}): ${e.openPositions.length > 0 ? `still open: ${e.openPositions.map(escapeHtml).join(', ')}` : 'no position open'}${e.failedCancels.length > 0 ? `; entry orders not cancelled: ${e.failedCancels.map(escapeHtml).join(', ')}` : ''}. Retrying; check the exchange.`,
      };
    case 'MarginAdded':
      return {
        key: `margin#${e.intentId}`,
        level: 0,
        cooldown: false,
        text: `🛡 Added ${e.amount.toFixed(2)} USDT margin to ${escapeHtml(e.symbol)}${e.liquidationPrice ? ` — liquidation now ${price(e.liquidationPrice)}` : ''} (${escapeHtml(e.reason)}) — <code>${e.intentId}</code>`,
      };
    case 'FundsTransferred':
      return {
        key: `transfer#${e.intentId}`,
        level: 0,
        cooldown: false,
        text: `🔁 Moved ${e.amount.toFixed(2)} USDT ${e.from} → ${e.to} for ${escapeHtml(e.symbol)} (${escapeHtml(e.reason)}) — <code>${e.intentId}</code>`,
      };
    case 'MarginMoveOutcomeUnknown':
      return {
        key: `unknown#${e.symbol}`,
        level: 2,
        cooldown: true,
        text: `🚨 Margin move outcome unknown after ${e.attempts} attempts: ${escapeHtml(e.move)} — <code>${e.intentId}</code>. It is in the dead-letter queue and is never repeated by itself; check the position margin and transfer history on the exchange.`,
      };
    case 'RiskAlert':
      return {
        key: `risk#${e.kind}#${e.symbol ?? '-'}`,
        level: e.level === 'critical' ? 2 : 1,
        cooldown: true,
        text: `${e.level === 'critical' ? '🔴' : '🟠'} ${escapeHtml(e.message)}`,
      };
    case 'FundingSettled':
      // A summary, not a message per settlement: one per symbol per window, with the count of the rest.
      return {
        key: `funding#${e.symbol}`,
        level: 0,
        cooldown: true,
        text: `💸 Funding ${e.amount >= 0 ? 'received' : 'paid'} on ${escapeHtml(e.symbol)}: ${e.amount.toFixed(4)} USDT (today ${e.todayTotal.toFixed(4)} USDT)`,
      };
    case 'Halted':
      return { key: 'halt', level: 2, cooldown: true, text: `🛑 Trading halted: ${escapeHtml(e.reason)}` };
    case 'Resumed':
      return { key: 'halt', level: 0, cooldown: false, text: `▶️ Trading resumed: ${escapeHtml(e.reason)}` };
    case 'StrategyPaused':
      return {
        key: `strategy#${e.strategy}`,
        level: 2,
        cooldown: false,
        text: e.paused
          ? `⏸️ Strategy ${escapeHtml(e.strategy)} paused: ${escapeHtml(e.reason)}. Exits and stops still run; /strategy_resume ${escapeHtml(e.strategy)} resumes it.`
          : `⚠️ Strategy ${escapeHtml(e.strategy)} is degraded: ${escapeHtml(e.reason)} (auto-pause is off).`,
      };
    case 'StrategyResumed':
      return {
        key: `strategy#${e.strategy}`,
        level: 0,
        cooldown: false,
        text: `▶️ Strategy ${escapeHtml(e.strategy)} resumed by ${escapeHtml(e.by)}`,
      };
    case 'DailySummary':
      return { key: `daily#${e.day}`, level: 0, cooldown: false, text: dailyText(e) };
    case 'StrategyTicked':
    case 'PositionOpened':
    case 'PositionClosed':
      // Already told through the fill that caused them; these feed dashboards and the audit trail.
      return undefined;
  }
}

/**
 * A strategy's entries refused while it is paused, or while trading is halted, follow from a state the
 * trader was already told about (the pause or halt message): routine, not a new rejection to report.
 */
async function effectiveKind(e: DomainEvent, store: StateStore): Promise<NotificationKind | undefined> {
  if (e.type === 'OrderRejected' && e.owner !== undefined) {
    if ((await store.getHalt()).halted || (await getStrategyPause(store, e.owner))) return 'orders';
  }
  return kindOf(e);
}

export async function notify(
  event: DomainEvent,
  deps: NotifyDeps,
): Promise<'sent' | 'suppressed' | 'skipped' | 'muted'> {
  const m = describe(event);
  if (!m) return 'skipped';
  const send = await recipients(m, await effectiveKind(event, deps.store), deps);
  if (!send) return 'muted';
  if (!m.cooldown) {
    await send(m.text);
    return 'sent';
  }
  const now = deps.clock.now();
  const window = deps.cooldownMs ?? 5 * 60_000;
  for (let attempt = 0; attempt < 3; attempt++) {
    const rec = await deps.store.getAlertCooldown(m.key);
    const inWindow = rec !== undefined && now - rec.lastSentAt < window;
    try {
      if (inWindow && m.level <= rec.level) {
        await deps.store.putAlertCooldown(
          m.key,
          { ...rec, suppressed: rec.suppressed + 1, version: rec.version + 1 },
          now + window,
        );
        return 'suppressed';
      }
      const extra =
        rec && rec.suppressed > 0
          ? `\n(+${rec.suppressed} similar alert${rec.suppressed === 1 ? '' : 's'} since the last message)`
          : '';
      // Send first, then start the cooldown: a failed send (the event is retried) must not leave a
      // cooldown behind that suppresses the retry of a critical alert. Two instances racing may both
      // send once; a duplicate beats a lost Halted or OrderOutcomeUnknown.
      await send(m.text + extra);
      try {
        await deps.store.putAlertCooldown(
          m.key,
          { lastSentAt: now, suppressed: 0, level: m.level, version: (rec?.version ?? 0) + 1 },
          now + window,
        );
      } catch (err) {
        if (!(err instanceof ConcurrentModification)) throw err;
      }
      return 'sent';
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
    }
  }
  // Lost the race three times: another notifier instance is handling this storm.
  return 'suppressed';
}

/** A stop or take-profit that filled is that order triggering; anything else is a plain fill. */
function fillHeading(orderType: string | undefined): string {
  if (orderType?.startsWith('stop')) return '✅ Stop triggered —';
  if (orderType?.startsWith('take_profit')) return '✅ Take-profit triggered —';
  return '✅';
}

/** 2 decimals with thousands separators, as usdt() writes them, signed with a real minus. */
const amount = (x: number) =>
  Math.abs(x).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (x: number) => `${x >= 0 ? '+' : '−'}${amount(x)}`;

/** One message: equity and its change, the day's realised PnL, fees and funding, each owner's net, open positions. */
export function dailyText(e: Extract<DomainEvent, { type: 'DailySummary' }>): string {
  const change = e.equityEnd - e.equityStart;
  const changePct = e.equityStart > 0 ? (change / e.equityStart) * 100 : 0;
  const owners = e.owners.map((o) => `${escapeHtml(o.owner)} ${signed(o.realizedPnl - o.fees + o.funding)}`);
  const open = e.positions.map(
    (p) => `${escapeHtml(p.symbol)} ${p.side} ${p.quantity} (${signed(p.unrealizedPnl)})`,
  );
  return (
    `📊 Daily summary ${e.day}${e.late ? ' (late)' : ''}: equity ${amount(e.equityEnd)} ` +
    `(${signed(change)}, ${changePct >= 0 ? '+' : '−'}${Math.abs(changePct).toFixed(2)} %), ` +
    `realised ${signed(e.realizedPnl)}, fees ${signed(-e.fees)}, funding ${signed(e.funding)}` +
    (owners.length > 0 ? `; ${owners.join(', ')}` : '') +
    `; open: ${open.length > 0 ? open.join(', ') : 'none'}`
  );
}
