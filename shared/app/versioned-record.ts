// One way to change a record two writers may both change (the fill watch list, the brackets book):
// read it, let `change` derive the new state, put it with the next version, and on a lost race read
// again — so neither writer overwrites the other's change.
import { ConcurrentModification, type StateStore } from '../ports/state-store.ts';

const ATTEMPTS = 5;

/**
 * Change the record (strategy, symbol); `change` returns the new state, or undefined to write nothing.
 * True when written; ConcurrentModification after ATTEMPTS lost races.
 */
export async function changeVersionedRecord<S>(
  store: StateStore,
  strategy: string,
  symbol: string,
  at: number,
  change: (state: S | undefined) => S | undefined,
): Promise<boolean> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stored = await store.getStrategyState(strategy, symbol);
    const next = change(stored?.state as S | undefined);
    if (next === undefined) return false;
    try {
      await store.putStrategyState({
        strategy,
        symbol,
        state: next,
        lastTick: Math.max(at, stored?.lastTick ?? 0),
        version: (stored?.version ?? 0) + 1,
      });
      return true;
    } catch (err) {
      if (!(err instanceof ConcurrentModification)) throw err;
    }
  }
  throw new ConcurrentModification(`${strategy} of ${symbol} kept changing`);
}
