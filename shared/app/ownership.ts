// Ownership: which book — a strategy, or `manual` for the trader's Telegram trades — every order, fill,
// fee, funding payment and realised PnL belongs to. The ONE module the executor, the monitors, the
// reports and the commands ask (DESIGN §3).
//
// The rule is the assignment (shared/config/strategy-symbols.ts): each symbol has at most one strategy,
// and whatever happens on a symbol — the strategy's own orders, the stops the monitors place or move for
// its position, a /futures_close of it — belongs to that strategy's book; symbols no strategy trades are
// the trader's (`manual`). A manual /futures_open on a strategy's symbol is refused (see
// telegram/trade-commands.ts), so no position is ever shared and attribution is exact, never "latest
// entrant". The executor also records the owner per symbol with the time it took over, so entries the
// exchange reports later (realised PnL, funding) are booked to the owner of their time even after the
// trader reassigns a symbol.
import type { OrderIntent } from '../domain/order.ts';
import { type StrategyName, StrategyNameSchema } from '../domain/primitives.ts';
import { ConcurrentModification, type StateStore } from '../ports/state-store.ts';

export const MANUAL = 'manual';
export type Owner = StrategyName | typeof MANUAL;
/** strategy → symbols: Config['assignment'] (shared/config/strategy-symbols.ts). */
export type OwnerAssignment = Readonly<Partial<Record<StrategyName, readonly string[]>>>;

/** The strategy the assignment gives `symbol`, or `manual` when none trades it. */
export function ownerOfSymbol(assignment: OwnerAssignment, symbol: string): Owner {
  for (const [strategy, symbols] of Object.entries(assignment) as [StrategyName, readonly string[]][])
    if (symbols.includes(symbol)) return strategy;
  return MANUAL;
}

/** Whether `strategy` may trade `symbol` (a strategy tick elsewhere is refused). */
export function strategyOwns(assignment: OwnerAssignment, strategy: string, symbol: string): boolean {
  return ownerOfSymbol(assignment, symbol) === strategy;
}

/**
 * The book of an intent: the owner of its symbol. Without an assignment (a test wiring of the executor
 * alone), a strategy's intent is its own and anything else — a command, a monitor — is manual.
 */
export function ownerOfIntent(
  intent: Pick<OrderIntent, 'strategy' | 'symbol'>,
  assignment: OwnerAssignment | undefined,
): Owner {
  if (assignment) return ownerOfSymbol(assignment, intent.symbol);
  const s = StrategyNameSchema.safeParse(intent.strategy);
  return s.success ? s.data : MANUAL;
}

/** Owners of one symbol over time, oldest first; stored under the strategy-state key below. */
interface OwnerSince {
  strategy: string;
  since: number;
}
const OWNER_HISTORY = 'position-owner';
const HISTORY_LENGTH = 20;

/** The executor, on every futures order it places: `owner` trades `symbol` from `since` on. */
export async function recordOwner(
  store: StateStore,
  symbol: string,
  owner: Owner,
  since: number,
): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await store.getStrategyState(OWNER_HISTORY, symbol);
    const owners = ((stored?.state as { owners?: OwnerSince[] } | undefined)?.owners ?? []).slice(
      -(HISTORY_LENGTH - 1),
    );
    if (owners.at(-1)?.strategy === owner) return;
    try {
      await store.putStrategyState({
        strategy: OWNER_HISTORY,
        symbol,
        state: { owners: [...owners, { strategy: owner, since }] },
        lastTick: since,
        version: (stored?.version ?? 0) + 1,
      });
      return;
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
    }
  }
}

/**
 * Who owned `symbol` at each time, for entries the exchange reports after the fact (realised PnL,
 * funding): the recorded owner of that time, or the assignment's when nothing was recorded before it.
 */
export async function ownersOf(
  store: StateStore,
  symbol: string,
  assignment: OwnerAssignment,
): Promise<(time: number) => Owner> {
  const stored = await store.getStrategyState(OWNER_HISTORY, symbol);
  const owners = (stored?.state as { owners?: OwnerSince[] } | undefined)?.owners ?? [];
  const current = ownerOfSymbol(assignment, symbol);
  return (time) => {
    let found: string | undefined;
    for (const o of owners) if (o.since <= time) found = o.strategy;
    if (found === undefined) return current;
    return found === MANUAL ? MANUAL : (StrategyNameSchema.safeParse(found).data ?? current);
  };
}
