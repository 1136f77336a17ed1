// Confirm/Cancel buttons (emergency close, resume) and the halt writes behind them. A button belongs to
// the chat — and the user — that asked: a press from anyone else consumes nothing and does nothing.
// Each press is consumed once, by its callback query id, so Telegram redelivering the same press is
// recognised (and completes what a crashed first delivery left undone) while a second press is refused.
import { randomBytes } from 'node:crypto';
import { makeIntentId } from '../../domain/order.ts';
import { ConcurrentModification, type HaltRecord, type StateStore } from '../../ports/state-store.ts';
import { publishSafely } from '../publish.ts';
import { escapeHtml } from './format.ts';
import type { Reply, TelegramDeps } from './registry.ts';
import { intentStatus } from './updates.ts';

const CONFIRM_TTL_MS = 60_000;
/** Halt writes lost to a concurrent writer are retried this many times, re-reading the version. */
const HALT_ATTEMPTS = 5;
/** A close_all the queue refused is sent again this many times in all. */
const SEND_ATTEMPTS = 3;

export async function confirmation(
  deps: TelegramDeps,
  action: 'emergency_close' | 'resume',
  asker: { chatId: number; userId?: number },
  at: number,
  question: string,
): Promise<Reply> {
  const nonce = randomBytes(16).toString('hex');
  await deps.store.createConfirmation({
    nonce,
    action,
    chatId: asker.chatId,
    ...(asker.userId !== undefined ? { userId: asker.userId } : {}),
    expiresAt: at + CONFIRM_TTL_MS,
    used: false,
  });
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

/**
 * Set the halt flag, re-reading its version after each write lost to a concurrent writer (the risk
 * engine, another chat): halting is always safe, so a race is retried, not reported. Already halted:
 * nothing to write.
 */
export async function haltWithRetry(store: StateStore, reason: string, at: number): Promise<HaltRecord> {
  for (let attempt = 1; ; attempt++) {
    const h = await store.getHalt();
    if (h.halted) return h;
    try {
      return await store.setHalt(true, reason, at, h.version);
    } catch (err) {
      if (!(err instanceof ConcurrentModification) || attempt >= HALT_ATTEMPTS) throw err;
    }
  }
}

/** The id of the close_all a press queues: from the button and the press, never the clock. */
export function closeAllId(nonce: string, pressId: string): string {
  return makeIntentId({
    source: 'telegram-emergency',
    symbol: `${nonce}:${pressId}`,
    tickTime: 0,
    sequence: 0,
  });
}

export interface Press {
  chatId: number;
  userId: number;
  /** The callback query id: the same on a redelivery of this press, new for every other press. */
  pressId: string;
}

/** A pressed Confirm/Cancel button: single use, 60 s, only by the chat and user that asked. */
export async function onConfirmation(
  data: string,
  press: Press,
  at: number,
  deps: TelegramDeps,
): Promise<Reply> {
  const m = /^(confirm|cancel):([0-9a-f]{32})$/.exec(data);
  if (!m) return { text: 'Unknown button.' };
  const nonce = m[2]!;
  const r = await deps.store.pressConfirmation(nonce, at, press);
  if (r.status === 'foreign')
    return { text: 'This confirmation belongs to another chat or user; nothing changed.' };
  if (r.status !== 'ok') {
    return {
      text:
        r.status === 'expired'
          ? 'This confirmation expired; send the command again.'
          : 'This button was already used.',
    };
  }
  const c = r.confirmation;
  const again = r.repeat ? 'Already received: ' : '';
  if (m[1] === 'cancel') return { text: `${again}Cancelled; nothing changed.` };
  if (c.action === 'resume') {
    if (r.repeat) {
      const h = await deps.store.getHalt();
      return { text: `${again}resume was confirmed. Trading is ${h.halted ? 'halted' : 'active'} now.` };
    }
    return resumeNow(deps, press.chatId, at);
  }
  return emergencyClose(deps, nonce, press, at, r.repeat);
}

async function resumeNow(deps: TelegramDeps, chatId: number, at: number): Promise<Reply> {
  const h = await deps.store.getHalt();
  if (!h.halted) return { text: 'Not halted: nothing to resume.' };
  try {
    await deps.store.setHalt(false, `resumed from Telegram (chat ${chatId})`, at, h.version);
  } catch (err) {
    // Someone halted (again) meanwhile: lifting a halt the trader has not seen is not safe.
    if (!(err instanceof ConcurrentModification)) throw err;
    const now = await deps.store.getHalt();
    return {
      text: `Not resumed: the halt changed at the same moment (${now.halted ? `halted: ${escapeHtml(now.reason)}` : 'not halted'}). Send /resume again to see it.`,
    };
  }
  if (deps.bus)
    await publishSafely(deps.bus, {
      type: 'Resumed',
      time: at,
      reason: `resumed from Telegram (chat ${chatId})`,
    });
  return { text: 'Resumed: new orders are accepted again.' };
}

/**
 * Emergency close: the halt first (the executor then rejects every opening order at once, so the
 * close is not stuck behind a backlog of opens), then one close_all request that the executor resolves
 * against the exchange. close_all is queued whatever happened to the halt write.
 */
async function emergencyClose(
  deps: TelegramDeps,
  nonce: string,
  press: Press,
  at: number,
  repeat: boolean,
): Promise<Reply> {
  const id = closeAllId(nonce, press.pressId);
  if (repeat && (await deps.store.getIntent(id)))
    return {
      text: `Already received: emergency close confirmed. Close-all <code>${id}</code>: ${await intentStatus(deps.store, id)}.`,
    };
  const reason = `emergency close from Telegram (chat ${press.chatId})`;
  let haltError: Error | undefined;
  try {
    const before = await deps.store.getHalt();
    await haltWithRetry(deps.store, reason, at);
    if (!before.halted && deps.bus) await publishSafely(deps.bus, { type: 'Halted', time: at, reason });
  } catch (err) {
    haltError = err instanceof Error ? err : new Error(String(err));
  }
  let sendError: Error | undefined;
  for (let attempt = 1; attempt <= SEND_ATTEMPTS; attempt++) {
    try {
      await deps.queue.send({
        kind: 'close_all',
        id,
        source: 'telegram',
        reason: 'emergency close',
        createdAt: at,
      });
      sendError = undefined;
      break;
    } catch (err) {
      sendError = err instanceof Error ? err : new Error(String(err));
    }
  }
  const haltLine = haltError
    ? `⚠️ Could not set the halt flag (${haltError.name}): new exposure is NOT blocked — send /halt.`
    : 'Halted.';
  if (sendError)
    return {
      text: `⚠️ Emergency close NOT queued: the order queue refused it (${escapeHtml(sendError.name)}). ${haltLine} Send /futures_emergency_close again now, or close the positions on Binance.`,
    };
  const positions = await deps.exchange.fetchPositions().catch(() => undefined);
  const which = positions
    ? ` (${positions.map((p) => p.symbol).join(', ') || 'none open a moment ago'})`
    : ' (the exchange decides which: the account view is unavailable)';
  const prefix = repeat ? 'Already received: emergency close confirmed. ' : '';
  return {
    text: haltError
      ? `${haltLine}\nClose-all <code>${id}</code> was queued anyway: closing every open position at market${which}.`
      : `${prefix}Halted. Closing every open position at market${which}.`,
    intentIds: [id],
  };
}
