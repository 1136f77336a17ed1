// For the quiet-tick tests: runs a strategy through the backtester and holds each tick's answer to
// the strategy's full decision, computed on a deep copy of the same state (the quiet answer moves the
// state on in place). Quiet ticks hand back the shared frozen empty lists (shared/strategies/feed.ts
// NONE); the full decision new ones — that is how the two kinds are told apart and counted.
import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import type { Dataset } from '../../../shared/market-data/dataset.ts';
import type { Strategy, StrategyInput, StrategyOutput } from '../../../shared/strategies/strategy.ts';

export interface QuietTally {
  quiet: number;
  acting: number;
  /** Intents and margin moves the full decision asked for, over all ticks. */
  intents: number;
  marginMoves: number;
  /** Quiet ticks with a position open. */
  quietHeld: number;
}

export function holdQuietToFull<P, S>(
  strategy: Strategy<P, S>,
  params: P,
  dataset: Dataset,
  tally: QuietTally,
  full: (input: StrategyInput<P, S>) => StrategyOutput<S>,
): void {
  const checked: Strategy<P, S> = {
    ...strategy,
    evaluate(input) {
      const copy = input.state === undefined ? undefined : structuredClone(input.state);
      const want = full({ ...input, state: copy });
      const out = strategy.evaluate(input);
      if (!Object.isFrozen(out.intents)) tally.acting++;
      else {
        tally.quiet++;
        if (input.account.position) tally.quietHeld++;
      }
      tally.intents += want.intents.length;
      tally.marginMoves += want.marginActions?.length ?? 0;
      // Compared field by field (the state's key order may differ; JSON and DynamoDB ignore it).
      const got = [out.intents, out.cancels, out.notes, out.marginActions, out.state];
      const expected = [want.intents, want.cancels, want.notes, want.marginActions, want.state];
      if (!isDeepStrictEqual(got, expected))
        expect(got, new Date(input.view.time).toISOString()).toStrictEqual(expected);
      return out;
    },
  };
  runBacktest({ strategy: checked, params, dataset, slippagePct: 0.01 });
}

export const newTally = (): QuietTally => ({ quiet: 0, acting: 0, intents: 0, marginMoves: 0, quietHeld: 0 });
