// Notification kinds and each chat's levels: the ONE table of what the bot says unasked, read by the
// notifier (what to send to whom) and by /notify (what a trader can turn on or off). A critical message
// (level 2: liquidation close, margin critical, halts, orders of unknown outcome) always goes out at
// once, whatever the chat chose: no setting can drop or delay an alert.
import { z } from 'zod';
import type { DomainEvent } from '../domain/events.ts';
import { ConcurrentModification, type StateStore } from '../ports/state-store.ts';

export const NOTIFICATION_KINDS = {
  fills: { on: true, doc: 'fills of entries and exits (stops and take-profits included)' },
  orders: {
    on: false,
    doc: 'routine placements, cancels and re-arms of resting orders (grid levels, moved stops)',
  },
  rejections: { on: true, doc: 'orders the risk engine or the exchange refused' },
  alerts: { on: true, doc: 'liquidation distance, margin ratio and monitor alerts (critical ones always)' },
  funding: { on: false, doc: 'each funding settlement (the daily total is in /pnl and /futures_status)' },
  strategies: { on: true, doc: 'a strategy paused or resumed' },
  halts: { on: true, doc: 'trading halted or resumed (a halt always)' },
  daily: { on: true, doc: 'one summary of the day just ended, shortly after midnight UTC' },
} as const;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_NAMES = Object.keys(NOTIFICATION_KINDS) as NotificationKind[];

/** Which kind an event is; undefined for events that are never a message. */
export function kindOf(e: DomainEvent): NotificationKind | undefined {
  switch (e.type) {
    case 'OrderFilled':
      return 'fills';
    case 'OrderPlaced':
    case 'OrderCancelled':
      return 'orders';
    case 'OrderRejected':
      return 'rejections';
    case 'RiskAlert':
    case 'OrderOutcomeUnknown':
    case 'CancelFailed':
    case 'CloseAllIncomplete':
      return 'alerts';
    case 'FundingSettled':
      return 'funding';
    case 'StrategyPaused':
    case 'StrategyResumed':
      return 'strategies';
    case 'Halted':
    case 'Resumed':
      return 'halts';
    case 'DailySummary':
      return 'daily';
    case 'StrategyTicked':
    case 'PositionOpened':
    case 'PositionClosed':
      return undefined;
  }
}

export type NotificationLevels = Record<NotificationKind, boolean>;

export function defaultLevels(): NotificationLevels {
  return Object.fromEntries(
    NOTIFICATION_KIND_NAMES.map((k) => [k, NOTIFICATION_KINDS[k].on]),
  ) as NotificationLevels;
}

const StoredLevelsSchema = z.record(z.string(), z.boolean());
/** Stored as a strategy-state item, as the pause and performance records are. */
const LEVELS_ITEM = 'notify-levels';

/** A chat's levels: the defaults with its own choices over them. */
export async function getLevels(store: StateStore, chatId: number): Promise<NotificationLevels> {
  const stored = StoredLevelsSchema.safeParse(
    (await store.getStrategyState(LEVELS_ITEM, String(chatId)))?.state,
  );
  const levels = defaultLevels();
  if (stored.success)
    for (const k of NOTIFICATION_KIND_NAMES) if (stored.data[k] !== undefined) levels[k] = stored.data[k];
  return levels;
}

/** Turn one kind on or off for a chat (persisted); returns the chat's levels after the change. */
export async function setLevel(
  store: StateStore,
  chatId: number,
  kind: NotificationKind,
  on: boolean,
  at: number,
): Promise<NotificationLevels> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await store.getStrategyState(LEVELS_ITEM, String(chatId));
    const own = StoredLevelsSchema.safeParse(stored?.state);
    try {
      await store.putStrategyState({
        strategy: LEVELS_ITEM,
        symbol: String(chatId),
        state: { ...(own.success ? own.data : {}), [kind]: on },
        lastTick: at,
        version: (stored?.version ?? 0) + 1,
      });
      return getLevels(store, chatId);
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
    }
  }
  throw new ConcurrentModification(`notification levels of chat ${chatId} kept changing`);
}
