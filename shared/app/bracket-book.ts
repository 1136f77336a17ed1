// The brackets being watched, one record per symbol: the executor adds one when a bracketed entry has
// filled (./executor/bracket-register.ts), the position monitor updates and drops them
// (./monitors/brackets-monitor.ts). Both write with a versioned put and re-read on a lost race, so
// neither overwrites the other's change.
import type { BracketTrack } from '../domain/bracket-plan.ts';
import type { StateStore } from '../ports/state-store.ts';
import { changeVersionedRecord } from './versioned-record.ts';

const BOOK = 'brackets';

interface BookState {
  brackets: Record<string, BracketTrack>;
}

export async function bracketTracks(store: StateStore, symbol: string): Promise<BracketTrack[]> {
  const s = (await store.getStrategyState(BOOK, symbol))?.state as BookState | undefined;
  return Object.values(s?.brackets ?? {});
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
    return next && { brackets: next };
  });
}
