// A bracketed entry that filled starts being watched (../monitors/brackets-monitor.ts links its legs
// one-cancels-the-other). Called before the entry's intent is marked DONE, so a crash in between is
// redelivered, reconciled and registers then; registering twice changes nothing.
import { bracketLegId } from '../../domain/bracket.ts';
import type { BracketTrack } from '../../domain/bracket-plan.ts';
import type { FuturesOrder, OrderIntent } from '../../domain/order.ts';
import { changeBrackets } from '../bracket-book.ts';
import type { ExecutorDeps } from './deps.ts';

export async function registerBracket(
  intent: OrderIntent,
  order: FuturesOrder,
  deps: Pick<ExecutorDeps, 'store' | 'clock'>,
): Promise<void> {
  const b = intent.bracket;
  if (!b || !(order.filledQuantity > 0)) return;
  const now = deps.clock.now();
  const track: BracketTrack = {
    parentId: intent.id,
    symbol: intent.symbol,
    strategy: intent.strategy,
    side: intent.side === 'buy' ? 'long' : 'short',
    quantity: order.filledQuantity,
    legIds: [
      bracketLegId(intent.id, 'stop:0'),
      ...b.takeProfits.map((_, i) => bracketLegId(intent.id, `tp:${i}`)),
    ],
    stopIds: [],
    resizes: 0,
    breakEvenAfterFirst: b.breakEvenAfterFirst,
    registeredAt: now,
  };
  await changeBrackets(deps.store, intent.symbol, now, (all) =>
    all[intent.id] ? undefined : { ...all, [intent.id]: track },
  );
}
