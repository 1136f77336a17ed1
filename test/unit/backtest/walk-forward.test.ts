// Walk-forward on the shipped BTCUSDT data (September 2026, 7-day windows so it runs in seconds).
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest } from '../../../shared/backtest/engine.ts';
import { README_SETUP } from '../../../shared/backtest/readme-results.ts';
import { RESULTS_BEGIN, RESULTS_END, renderResultsTable } from '../../../shared/backtest/results-table.ts';
import { scheduledStrategy } from '../../../shared/backtest/scheduled-strategy.ts';
import { shareDataset } from '../../../shared/backtest/shared-dataset.ts';
import { runTask, type SweepTask } from '../../../shared/backtest/sweep-worker.ts';
import {
  rankValue,
  replayWalkForward,
  runWalkForward,
  type WalkForwardOptions,
} from '../../../shared/backtest/walk-forward.ts';
import { BacktestPool } from '../../../shared/backtest/worker-pool.ts';
import { loadDataset } from '../../../shared/market-data/dataset.ts';
import { STRATEGIES } from '../../../shared/strategies/registry.ts';
import { SEARCH_SPACES, searchCombinations } from '../../../shared/strategies/search-space.ts';

const dataset = loadDataset('BTCUSDT');
const FROM = Date.UTC(2026, 8, 1);
const TO = Date.UTC(2026, 8, 30);
const costs = { equity: 10_000, spotUsdt: 0, makerFee: 0.0002, takerFee: 0.0005, slippagePct: 0.01 };

describe('shareDataset', () => {
  it('copies every Float64Array into shared memory once, values unchanged, original untouched', () => {
    const s = shareDataset(dataset);
    expect(s.candles.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(s.funding.rate.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(s.candles.close)).toEqual(Array.from(dataset.candles.close));
    expect(dataset.candles.close.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(shareDataset(s).candles.close).toBe(s.candles.close);
  });
});

// Timeouts: worker start-up and sweeps on a loaded machine; not performance bounds.
describe('BacktestPool', { timeout: 300_000 }, () => {
  const tasks: SweepTask[] = searchCombinations(SEARCH_SPACES.grid!).map((c, index) => ({
    ...costs,
    index,
    strategy: 'grid',
    params: c,
    from: Date.UTC(2026, 8, 10),
    to: Date.UTC(2026, 8, 20),
  }));
  const pools: BacktestPool[] = [];
  afterAll(async () => Promise.all(pools.map((p) => p.close())));

  it('returns, in task order and whatever the worker count, exactly what one in-process run gives', async () => {
    const one = new BacktestPool(dataset, 1);
    const two = new BacktestPool(dataset, 2);
    pools.push(one, two);
    const a = await one.run(tasks);
    const b = await two.run(tasks);
    const local = tasks.map((t, i) => runTask(dataset, { ...t, index: i }));
    expect(b).toEqual(a);
    expect(a).toEqual(local);
    // Its cost measure: candles simulated summed over the tasks.
    expect(two.stats.candles).toBe(local.reduce((n, r) => n + r.metrics.bars, 0));
  });
});

describe('runWalkForward (grid, 7-day windows)', { timeout: 300_000 }, () => {
  const options: WalkForwardOptions = {
    ...costs,
    strategy: 'grid',
    dataset,
    inSample: { count: 7, unit: 'd' },
    outOfSample: { count: 7, unit: 'd' },
    rank: 'sharpe',
    base: {},
    from: FROM,
    to: TO,
    spotFee: 0.001,
    workers: 2,
  };
  const two = runWalkForward(options);
  const one = runWalkForward({ ...options, workers: 1 });

  it('is deterministic: the same report with one worker or two', async () => {
    expect(JSON.stringify((await one).report)).toBe(JSON.stringify((await two).report));
  });

  it('picks, in each window, the set with the best in-sample rank among all declared combinations', async () => {
    const { report } = await two;
    expect(report.windows.length).toBeGreaterThanOrEqual(2);
    const combos = searchCombinations(SEARCH_SPACES.grid!);
    for (const w of report.windows) {
      const values = combos.map((params, index) =>
        rankValue(
          runTask(dataset, {
            ...costs,
            index,
            strategy: 'grid',
            params,
            from: Date.parse(w.inSampleFrom),
            to: Date.parse(w.outOfSampleFrom),
          }).metrics,
          'sharpe',
        ),
      );
      const best = values.indexOf(Math.max(...values));
      expect(w.params).toEqual(combos[best]);
    }
  });

  it('trades the out-of-sample windows as one run with those sets; window returns compound to the whole', async () => {
    const { report, run } = await two;
    const schedule = report.windows.map((w) => ({
      from: Date.parse(w.outOfSampleFrom),
      params: STRATEGIES.grid!.paramsSchema.parse(w.params),
    }));
    const direct = runBacktest({
      strategy: scheduledStrategy(STRATEGIES.grid!, schedule),
      params: schedule,
      dataset,
      from: schedule[0]!.from,
      to: Date.parse(report.windows.at(-1)!.outOfSampleTo),
      initialEquity: costs.equity,
      slippagePct: costs.slippagePct,
    });
    expect(run.metrics).toEqual(direct.metrics);
    const compounded = report.windows.reduce((acc, w) => acc * (1 + w.outOfSample.returnPct / 100), 1);
    expect((compounded - 1) * 100).toBeCloseTo(report.outOfSample.metrics.returnPct, 5);
    expect(report.outOfSample.from).toBe(report.windows[0]!.outOfSampleFrom);
  });

  it('carries an unlevered buy-and-hold baseline over the same bars, and no carry baseline for grid', async () => {
    const { run, baselines, report } = await two;
    expect(baselines).toHaveLength(1);
    expect(Array.from(baselines[0]!.time)).toEqual(Array.from(run.equity.time));
    expect(report.baselines[0]!.name).toMatch(/buy and hold/);
    expect(report.perYear.map((y) => y.year)).toEqual(['2026']);
  });

  it('replays from its recorded windows to the identical report (the README drift check)', async () => {
    const { report } = await two;
    const recorded = JSON.parse(JSON.stringify(report));
    const { workers: _, ...rest } = options;
    expect(replayWalkForward(rest, recorded)).toEqual(recorded);
    // …and a recorded figure that the code does not produce is caught.
    recorded.windows[0].params.levels += 2;
    expect(replayWalkForward(rest, recorded)).not.toEqual(recorded);
  });

  it('renders into the README block: a row per run, one per baseline, a per-year table', async () => {
    const { report } = await two;
    const block = renderResultsTable({ setup: README_SETUP, data: {}, runs: [report] });
    expect(block.startsWith(RESULTS_BEGIN) && block.endsWith(RESULTS_END)).toBe(true);
    const m = report.outOfSample.metrics;
    expect(block).toContain(`| \`grid\` | BTCUSDT | ${report.outOfSample.from.slice(0, 10)} → `);
    expect(block).toContain(` ${m.trades} | `);
    expect(block).toContain('| ↳ buy and hold (1x spot) | BTCUSDT | same span |');
    expect(block).toContain('**BTCUSDT**, per year');
    expect(block).toMatch(/\| 2026 \| [+−]\d+\.\d % \([+−]\d+\.\d %\) \| [+−]\d+\.\d % \|/);
    const readme = `intro\n${RESULTS_BEGIN}\nold\n${RESULTS_END}\nrest`;
    const { replaceBlock } = await import('../../../shared/config/markdown-block.ts');
    expect(replaceBlock(readme, RESULTS_BEGIN, RESULTS_END, block)).toBe(`intro\n${block}\nrest`);
  });
});
