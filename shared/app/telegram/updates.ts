// Telegram re-sends an update when the webhook fails or answers slowly, so one command may arrive
// twice. Each command update is recorded under its own identity (chat, update_id, message date) before
// it runs: a redelivery of a finished command is answered "already received" with the status of what
// it enqueued, never run again. A redelivery of an unfinished one (the first delivery died mid-way, or
// is still running) runs again: everything a command enqueues has ids derived from the update, so the
// queue and the executor see the repeat as a duplicate, and the commands check the executor's records
// before they say "Queued".
import { makeIntentId } from '../../domain/order.ts';
import type { CommandReceipt, StateStore } from '../../ports/state-store.ts';
import { escapeHtml } from './format.ts';
import { type Command, type CommandContext, dispatch, parseCommandText, type Reply } from './registry.ts';

/** An id for the n-th thing a command enqueues on `symbol`: from the update, never the clock. */
export function updateIntentId(
  ctx: Pick<CommandContext<unknown>, 'chatId' | 'updateId' | 'sentAt'>,
  symbol: string,
  n: number,
): string {
  return makeIntentId({
    source: `telegram:${ctx.chatId}`,
    symbol,
    tickTime: ctx.sentAt ?? 0,
    sequence: ctx.updateId * 10 + n,
  });
}

/** What became of one enqueued id, as the executor recorded it. */
export async function intentStatus(store: StateStore, id: string): Promise<string> {
  const r = await store.getIntent(id);
  if (!r) return 'waiting in the queue (the executor has not taken it yet)';
  switch (r.status) {
    case 'RECEIVED':
    case 'IN_FLIGHT':
      return 'being executed';
    case 'DONE':
      return r.orderStatus ? `done (${r.orderStatus})` : 'done';
    case 'REJECTED':
      return `rejected: ${r.reasons.join('; ') || 'no reason given'}`;
    case 'UNKNOWN':
      return 'outcome unknown — check /futures_status and the alerts';
  }
}

/** The ids the executor has already seen, with their status lines; empty when none was seen. */
export async function alreadyExecuted(store: StateStore, ids: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const id of ids) {
    if (await store.getIntent(id)) lines.push(`• <code>${id}</code>: ${await intentStatus(store, id)}`);
  }
  return lines;
}

/** The reply to a command whose update was already handled. */
export async function duplicateReply(store: StateStore, r: CommandReceipt): Promise<Reply> {
  const head = `Already received (at ${new Date(r.receivedAt).toISOString()}): <code>${escapeHtml(r.text)}</code> — not run again.`;
  if (r.intentIds.length === 0) return { text: `${head} ${escapeHtml(r.note ?? 'It was answered then.')}` };
  const lines = await Promise.all(
    r.intentIds.map(async (id) => `• <code>${id}</code>: ${await intentStatus(store, id)}`),
  );
  return { text: `${head}\n${lines.join('\n')}` };
}

export interface CommandUpdate extends Omit<CommandContext<unknown>, 'args'> {
  sentAt: number;
}

/**
 * Run a command update once: record it, rate-limit new ones, dispatch, record what it enqueued.
 * Returns undefined for text that is not a command and for commands silenced by the rate limit.
 */
export async function handleCommandUpdate(
  commands: readonly Command<unknown>[],
  text: string,
  ctx: CommandUpdate,
  rateLimitPerMinute: number,
): Promise<Reply | undefined> {
  if (!parseCommandText(text)) return undefined;
  const { store } = ctx.deps;
  const fresh: CommandReceipt = {
    key: `${ctx.chatId}:${ctx.updateId}:${Math.floor(ctx.sentAt / 1000)}`,
    chatId: ctx.chatId,
    text: text.trim().slice(0, 200),
    status: 'RECEIVED',
    intentIds: [],
    receivedAt: ctx.at,
    version: 1,
  };
  let receipt = fresh;
  if (await store.createCommandReceipt(fresh)) {
    // Only a new update counts against the rate limit; a redelivery is not the trader's doing.
    const token = await store.takeCommandToken(
      ctx.chatId,
      Math.floor(ctx.at / 60_000) * 60_000,
      rateLimitPerMinute,
    );
    if (!token.allowed) {
      await finish(store, receipt, [], 'It was refused by the rate limit and not run.');
      // One notice per window, not one per command: the limit exists to stop a storm.
      return token.count === rateLimitPerMinute + 1
        ? { text: `Too many commands: at most ${rateLimitPerMinute} a minute. Try again shortly.` }
        : undefined;
    }
  } else {
    const stored = await store.getCommandReceipt(fresh.key);
    if (stored?.status === 'DONE') return duplicateReply(store, stored);
    receipt = stored ?? fresh;
  }
  const reply = await dispatch(commands, text, ctx);
  const ids = reply?.intentIds ?? [];
  await finish(
    store,
    receipt,
    ids,
    ids.length > 0 ? 'Queued.' : 'It was answered then; send the command again for a fresh answer.',
  );
  return reply;
}

async function finish(store: StateStore, r: CommandReceipt, intentIds: string[], note: string) {
  try {
    await store.updateCommandReceipt({ ...r, status: 'DONE', intentIds, note, version: r.version + 1 });
  } catch {
    // ConcurrentModification: a concurrent delivery of the same update finished first; its record
    // stands. Anything else: the record stays RECEIVED and a redelivery runs the command again, which
    // is harmless (update-derived ids) — the reply about what was done matters more than the record.
  }
}
