// A bracketed entry that filled starts being watched (../monitors/brackets-monitor.ts links its legs
// one-cancels-the-other). Called before the entry's intent is marked DONE, so a crash in between is
// redelivered, reconciled and registers then; registering twice changes nothing.
import { newBracketTrack } from '../../domain/bracket-plan.ts';
import type { FuturesOrder, OrderIntent } from '../../domain/order.ts';
import { changeBrackets } from '../bracket-book.ts';
import type { ExecutorDeps } from './deps.ts';

export async function registerBracket(
  intent: OrderIntent,
  order: FuturesOrder,
  deps: Pick<ExecutorDeps, 'store' | 'clock'>,
): Promise<void> {
  const now = deps.clock.now();
  const track = newBracketTrack(intent, order.filledQuantity, now);
  if (!track) return;
  await changeBrackets(deps.store, intent.symbol, now, (all) =>
    all[intent.id] ? undefined : { ...all, [intent.id]: track },
  );
}
