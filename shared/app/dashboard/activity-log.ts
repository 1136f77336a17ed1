// The dashboard's "recent activity": the last domain events worth a trader's eye (orders placed,
// filled, rejected with reasons, cancelled, unknown outcomes, risk alerts, halts, failures), kept as a
// read-model view the notifier appends to — the events stay the source of truth; this is their tail.
// Last writer wins: two notifier instances appending at the same instant may drop one line of the
// display (never an order, an alert or a notification).
import { z } from 'zod';
import type { DomainEvent } from '../../domain/events.ts';
import type { StateStore } from '../../ports/state-store.ts';

export const ACTIVITY_VIEW = 'dashboard-activity';
export const ACTIVITY_KEEP = 60;

const KEPT = new Set<DomainEvent['type']>([
  'OrderPlaced',
  'OrderFilled',
  'OrderRejected',
  'OrderCancelled',
  'OrderOutcomeUnknown',
  'CancelFailed',
  'CloseAllIncomplete',
  'MarginMoveOutcomeUnknown',
  'RiskAlert',
  'StrategyPaused',
  'StrategyResumed',
  'Halted',
  'Resumed',
]);

/** Events that are failures needing a human: the "recent errors" list. */
export const ERROR_TYPES = new Set<string>([
  'OrderOutcomeUnknown',
  'CancelFailed',
  'CloseAllIncomplete',
  'MarginMoveOutcomeUnknown',
]);

const EntrySchema = z.object({ type: z.string(), time: z.number() }).passthrough();
export type ActivityEntry = z.infer<typeof EntrySchema>;
const ViewSchema = z.object({ entries: z.array(EntrySchema) });

export async function readActivity(store: StateStore): Promise<ActivityEntry[]> {
  const parsed = ViewSchema.safeParse(await store.getView(ACTIVITY_VIEW));
  return parsed.success ? parsed.data.entries : [];
}

/** Append one event (newest first, ACTIVITY_KEEP kept); a repeated delivery of it is not added twice. */
export async function recordActivity(store: StateStore, event: DomainEvent): Promise<void> {
  if (!KEPT.has(event.type)) return;
  const entries = await readActivity(store);
  const key = JSON.stringify(event);
  if (entries.some((e) => JSON.stringify(e) === key)) return;
  const next = [event as ActivityEntry, ...entries].sort((a, b) => b.time - a.time).slice(0, ACTIVITY_KEEP);
  await store.putView(ACTIVITY_VIEW, { entries: next });
}
