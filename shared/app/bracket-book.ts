// The brackets being watched, one record per symbol: the executor adds one when a bracketed entry has
// filled (./executor/bracket-register.ts), the position monitor updates and drops them
// (./monitors/brackets-monitor.ts). Both write with a versioned put and re-read on a lost race, so
// neither overwrites the other's change.
import type { BracketTrack } from '../domain/bracket-plan.ts';
import { ConcurrentModification, type StateStore } from '../ports/state-store.ts';

const BOOK = 'brackets';
const ATTEMPTS = 5;

interface BookState {
  brackets: Record<string, BracketTrack>;
}

export async function bracketTracks(store: StateStore, symbol: string): Promise<BracketTrack[]> {
  const s = (await store.getStrategyState(BOOK, symbol))?.state as BookState | undefined;
  return Object.values(s?.brackets ?? {});
}

/** Change a symbol's brackets; `change` returns the new set, or undefined to write nothing. */
export async function changeBrackets(
  store: StateStore,
  symbol: string,
  at: number,
  change: (brackets: Record<string, BracketTrack>) => Record<string, BracketTrack> | undefined,
): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stored = await store.getStrategyState(BOOK, symbol);
    const next = change({ ...((stored?.state as BookState | undefined)?.brackets ?? {}) });
    if (next === undefined) return false;
    try {
      await store.putStrategyState({
        strategy: BOOK,
        symbol,
        state: { brackets: next } satisfies BookState,
        lastTick: Math.max(at, stored?.lastTick ?? 0),
        version: (stored?.version ?? 0) + 1,
      });
      return true;
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
    }
  }
  throw new ConcurrentModification(`brackets of ${symbol} kept changing`);
}
