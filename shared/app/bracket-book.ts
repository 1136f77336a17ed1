// The advanced orders being watched, one record per symbol (one read per position-monitor slot): the
// brackets — the executor adds one when a bracketed entry has filled (./executor/bracket-register.ts),
// the position monitor updates and drops them (./monitors/brackets-monitor.ts) — and the TWAP plans
// (./monitors/slices-monitor.ts). Every writer uses a versioned put and re-reads on a lost race, so
// none overwrites another's change, and each changes only its own half.
import type { BracketTrack } from '../domain/bracket-plan.ts';
import type { TwapPlan } from '../domain/slicing.ts';
import type { StateStore } from '../ports/state-store.ts';
import { changeVersionedRecord } from './versioned-record.ts';

const BOOK = 'advanced-orders';

interface BookState {
  brackets?: Record<string, BracketTrack>;
  plans?: Record<string, TwapPlan>;
}

export interface AdvancedOrders {
  brackets: BracketTrack[];
  plans: TwapPlan[];
}

export async function advancedOrders(store: StateStore, symbol: string): Promise<AdvancedOrders> {
  const s = (await store.getStrategyState(BOOK, symbol))?.state as BookState | undefined;
  return { brackets: Object.values(s?.brackets ?? {}), plans: Object.values(s?.plans ?? {}) };
}

export async function bracketTracks(store: StateStore, symbol: string): Promise<BracketTrack[]> {
  return (await advancedOrders(store, symbol)).brackets;
}

export async function twapPlans(store: StateStore, symbol: string): Promise<TwapPlan[]> {
  return (await advancedOrders(store, symbol)).plans;
}

/** Change a symbol's brackets; `change` returns the new set, or undefined to write nothing. */
export function changeBrackets(
  store: StateStore,
  symbol: string,
  at: number,
  change: (brackets: Record<string, BracketTrack>) => Record<string, BracketTrack> | undefined,
): Promise<boolean> {
  return changeVersionedRecord<BookState>(store, BOOK, symbol, at, (s) => {
    const next = change({ ...(s?.brackets ?? {}) });
    return next && { ...s, brackets: next };
  });
}

/** Change a symbol's TWAP plans; `change` returns the new set, or undefined to write nothing. */
export function changeTwapPlans(
  store: StateStore,
  symbol: string,
  at: number,
  change: (plans: Record<string, TwapPlan>) => Record<string, TwapPlan> | undefined,
): Promise<boolean> {
  return changeVersionedRecord<BookState>(store, BOOK, symbol, at, (s) => {
    const next = change({ ...(s?.plans ?? {}) });
    return next && { ...s, plans: next };
  });
}
