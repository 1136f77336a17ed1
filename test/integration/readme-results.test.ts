// The README's strategy results cannot drift from what the code produces on the shipped data.
// Regenerating them (a sweep per month per strategy per symbol) takes minutes, so this checks them in
// parts that together are sound: (1) the README block is exactly the rendering of the committed
// results JSON; (2) the JSON was computed with today's setup on today's shipped data (fingerprints);
// (3) every out-of-sample run, replayed from the recorded fitted sets, reproduces every recorded figure
// (any change to the engine, a strategy or the baselines shows here); (4) a sampled window per run —
// the last — re-fits to the recorded set and in-sample metrics (a change to the fitting shows here).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import {
  datasetFingerprint,
  README_RESULTS_PATH,
  README_SETUP,
  type ReadmeResults,
  readmeRunOptions,
  readReadmeResults,
} from '../../shared/backtest/readme-results.ts';
import { renderDescriptions, renderResultsTable } from '../../shared/backtest/results-table.ts';
import { fitWindows, replayWalkForward } from '../../shared/backtest/walk-forward.ts';
import { BacktestPool } from '../../shared/backtest/worker-pool.ts';
import { type Dataset, loadDataset } from '../../shared/market-data/dataset.ts';

const readme = readFileSync('README.md', 'utf8');
const results: ReadmeResults | undefined = existsSync(README_RESULTS_PATH) ? readReadmeResults() : undefined;
const datasets = new Map<string, Dataset>();
const data = (symbol: string) => {
  if (!datasets.has(symbol)) datasets.set(symbol, loadDataset(symbol));
  return datasets.get(symbol)!;
};
const runs = README_SETUP.symbols.flatMap((symbol) =>
  README_SETUP.strategies.map((s) => [s, symbol] as const),
);
const recorded = (strategy: string, symbol: string) => {
  const r = results?.runs.find((x) => x.strategy === strategy && x.symbol === symbol);
  if (!r) throw new Error(`${README_RESULTS_PATH} has no run of ${strategy} on ${symbol}: run npm run docs`);
  return r;
};

// Timeout: replays and re-fits on a loaded machine; not a performance bound.
describe('README walk-forward results', { timeout: 600_000 }, () => {
  it('are rendered from the committed results (shared/backtest/readme-results.json; npm run docs)', () => {
    expect(results, `${README_RESULTS_PATH} is missing: run npm run docs`).toBeDefined();
    expect(readme).toContain(renderResultsTable(results!));
  });

  it("were computed with today's setup on today's shipped data", () => {
    expect(results?.setup).toEqual(README_SETUP);
    for (const symbol of README_SETUP.symbols)
      expect(results?.data[symbol]).toEqual(datasetFingerprint(data(symbol)));
  });

  it.each(runs)('%s on %s: the out-of-sample run replays to every recorded figure', (strategy, symbol) => {
    const r = recorded(strategy, symbol);
    expect(replayWalkForward(readmeRunOptions(strategy, data(symbol)), r)).toEqual(r);
  });

  const pools = new Map<string, BacktestPool>();
  afterAll(async () => Promise.all([...pools.values()].map((p) => p.close())));

  it.each(runs)('%s on %s: the last window re-fits to the recorded set', async (strategy, symbol) => {
    const r = recorded(strategy, symbol);
    if (!pools.has(symbol)) pools.set(symbol, new BacktestPool(data(symbol), availableParallelism()));
    const w = r.windows.at(-1)!;
    const [fit] = await fitWindows(pools.get(symbol)!, readmeRunOptions(strategy, data(symbol)), [
      {
        isFrom: Date.parse(w.inSampleFrom),
        oosFrom: Date.parse(w.outOfSampleFrom),
        oosTo: Date.parse(w.outOfSampleTo),
      },
    ]);
    expect(fit!.params).toEqual(w.params);
    expect(fit!.metrics.bars).toBe(w.inSample.bars);
    expect(fit!.metrics.returnPct).toBeCloseTo(w.inSample.returnPct, 6);
  });

  it("carry each strategy's own description (the text /help shows)", () => {
    expect(readme).toContain(renderDescriptions());
  });
});

describe('README Telegram command reference', () => {
  it('is generated from the registry that parses the commands', async () => {
    const { renderCommandReference } = await import('../../shared/app/telegram/docs.ts');
    expect(readme).toContain(renderCommandReference());
  });
});

describe('README cost table', () => {
  it('is rendered from the cost model (infra/cost.ts; npm run docs)', async () => {
    const { renderCostTable } = await import('../../infra/cost/readme-table.ts');
    expect(readme).toContain(await renderCostTable());
  });
});
