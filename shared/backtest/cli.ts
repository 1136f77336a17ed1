// `npm run backtest`: one run (terminal table, --json, HTML report) or a parameter sweep.

import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname } from 'node:path';
import { MarketDataError } from '../market-data/csv.ts';
import { loadDataset } from '../market-data/dataset.ts';
import { type BacktestArgs, parseBacktestArgs, USAGE, UsageError } from './cli-args.ts';
import { runBacktest } from './engine.ts';
import { backtestBook, ownerBooksTable } from './owner-books.ts';
import { progressBar } from './progress.ts';
import { BACKTEST_STRATEGIES } from './registry.ts';
import { metricRows, renderReport } from './report-html.ts';
import { summarize } from './summary.ts';
import { formatSweep, runSweep } from './sweep.ts';
import { runWalkForward, WalkForwardError, type WalkForwardRun } from './walk-forward.ts';
import { formatWalkForward } from './walk-forward-report.ts';
import { formatPerf } from './worker-pool.ts';

/** Binance spot taker fee (0.1 %), as the simulator charges the hedge leg. */
const SPOT_TAKER_FEE = 0.001;

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function settingsOf(a: BacktestArgs, spotUsdt: number): Record<string, unknown> {
  return {
    takerFeePct: a.fee,
    makerFeePct: a['maker-fee'],
    slippagePct: a.slippage,
    initialEquity: a.equity,
    initialSpotUsdt: spotUsdt,
    timeframe: a.timeframe,
    markPrice: 'mark-price candles where shipped, else the last price (see dataNotes)',
  };
}

export async function main(argv: string[], io: Io): Promise<number> {
  let args: BacktestArgs;
  try {
    args = parseBacktestArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const strategy = BACKTEST_STRATEGIES[args.strategy]!;
  const parsed = strategy.paramsSchema.safeParse(args.paramsJson);
  if (!parsed.success) {
    io.err(
      `Invalid parameters for ${strategy.name}:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}\n`,
    );
    return 2;
  }
  let dataset: ReturnType<typeof loadDataset>;
  try {
    dataset = loadDataset(args.symbol, args.data);
  } catch (err) {
    io.err(`${err instanceof MarketDataError ? err.message : (err as Error).message}\n`);
    return 1;
  }
  const spotUsdt =
    args['spot-usdt'] !== undefined
      ? Number(args['spot-usdt'])
      : strategy.name === 'funding_arbitrage'
        ? args.equity
        : 0;
  if (!Number.isFinite(spotUsdt) || spotUsdt < 0) {
    io.err(`--spot-usdt must be a number ≥ 0 (got "${args['spot-usdt']}")\n`);
    return 2;
  }
  const common = {
    strategy,
    dataset,
    ...(args.from !== undefined ? { from: args.from } : {}),
    ...(args.to !== undefined ? { to: args.to } : {}),
    initialEquity: args.equity,
    initialSpotUsdt: spotUsdt,
    makerFee: args['maker-fee'] / 100,
    takerFee: args.fee / 100,
    slippagePct: args.slippage,
  };

  const workers = args.workers !== undefined ? Number(args.workers) : availableParallelism();
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    io.err(`--workers must be an integer from 1 to 64 (got "${args.workers}")\n`);
    return 2;
  }
  // The progress bar and the timings go to stderr on a terminal: stdout stays deterministic.
  const bar = (label: string) => (io.isTTY ? progressBar(label, io.err) : undefined);

  if (args.sweep.length > 0) {
    const { result, perf } = await runSweep({
      args,
      dataset,
      base: parsed.data,
      spotUsdt,
      workers,
      onProgress: bar('sweep'),
    });
    io.out(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatSweep(result));
    io.err(formatPerf(perf));
    return 0;
  }

  let wf: WalkForwardRun | undefined;
  if (args['walk-forward']) {
    try {
      wf = await runWalkForward({
        strategy: strategy.name,
        dataset,
        inSample: args['in-sample'],
        outOfSample: args['out-of-sample'],
        rank: args.rank,
        base: parsed.data,
        from: args.from,
        to: args.to,
        equity: args.equity,
        spotUsdt,
        makerFee: args['maker-fee'] / 100,
        takerFee: args.fee / 100,
        spotFee: SPOT_TAKER_FEE,
        slippagePct: args.slippage,
        workers,
        onProgress: bar(`walk-forward ${strategy.name} ${args.symbol}`),
      });
    } catch (err) {
      if (!(err instanceof WalkForwardError)) throw err;
      io.err(`${err.message}\n`);
      return 1;
    }
    io.err(formatPerf(wf.perf));
  }

  const result = runBacktest({
    ...common,
    params: parsed.data,
    ...(io.isTTY ? { onProgress: progressBar(`${strategy.name} ${args.symbol}`, io.err) } : {}),
  });
  const meta = {
    strategy: strategy.name,
    symbol: args.symbol,
    params: parsed.data,
    settings: settingsOf(args, spotUsdt),
  };
  let reportPath: string | undefined;
  if (!args['no-report']) {
    // With --walk-forward the report shows the stitched out-of-sample run, its windows and baselines.
    const shown = wf?.run ?? result;
    reportPath =
      args.report ??
      `reports/backtest-${strategy.name}-${args.symbol}${wf ? '-walk-forward' : ''}-${day(shown.from)}-${day(shown.to)}.html`;
    mkdirSync(dirname(reportPath), { recursive: true });
    const reportMeta = {
      ...meta,
      title: `${wf ? 'Walk-forward (out of sample)' : 'Backtest'}: ${strategy.name} on ${args.symbol}`,
      ...(wf ? { params: wf.report.windows.map((w) => ({ from: w.outOfSampleFrom, ...w.params })) } : {}),
      ...(wf
        ? {
            segments: wf.segments,
            baselines: wf.baselines.map(({ name, time, value }) => ({ name, time, value })),
          }
        : {}),
    };
    writeFileSync(reportPath, renderReport(shown, reportMeta));
  }
  const summary = {
    ...summarize(result, meta),
    ...(wf ? { walkForward: wf.report } : {}),
    ...(reportPath ? { report: reportPath } : {}),
  };
  if (args.json) {
    io.out(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  const rows = metricRows(result.metrics);
  const width = Math.max(...rows.map(([k]) => k.length));
  io.out(
    [
      `Backtest ${strategy.name} on ${args.symbol}: ${summary.from} → ${summary.to}`,
      ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
      `  ${'Rejected intents'.padEnd(width)}  ${result.rejections.length}`,
      'Data:',
      ...result.dataNotes.map((n) => `  ${n}`),
      // By strategy, as npm start shows it (one book here: the backtest runs one strategy).
      'By strategy:',
      ...(() => {
        const { books, accountChange } = backtestBook(strategy.name, result);
        return ownerBooksTable(books, accountChange).map((l) => `  ${l}`);
      })(),
      wf ? `\n${formatWalkForward(wf.report)}` : '',
      reportPath ? `Report: ${reportPath}` : '',
      '',
    ].join('\n'),
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `backtest failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
