// The README's results: a walk-forward evaluation of every strategy on every shipped symbol over the
// whole span, recorded in readme-results.json beside this file and rendered into the README by
// `npm run docs`. Regenerating takes minutes (a sweep per window), so the test suite checks it in
// cheaper, sound parts (test/integration/readme-results.test.ts): the README block renders from the
// JSON; the JSON's data fingerprints equal the shipped data's; every out-of-sample run replays to the
// recorded figures from the recorded fitted sets; and sampled windows re-fit to the recorded sets.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '../market-data/dataset.ts';
import { STRATEGIES } from '../strategies/registry.ts';
import { runWalkForward, type WalkForwardOptions } from './walk-forward.ts';
import type { WalkForwardReport } from './walk-forward-report.ts';
import { parseSpan } from './walk-forward-windows.ts';

export const README_RESULTS_PATH = fileURLToPath(new URL('./readme-results.json', import.meta.url));

/** What the README's figures assume; the JSON records it and a test holds it equal to this. */
export const README_SETUP = {
  symbols: ['BTCUSDT', 'ETHUSDT'],
  strategies: Object.keys(STRATEGIES),
  inSample: '6m',
  outOfSample: '1m',
  rank: 'sharpe',
  equityUsdt: 10_000,
  /** funding_arbitrage gets a spot wallet of the same size for its hedge leg; the others none. */
  fundingArbitrageSpotUsdt: 10_000,
  makerFeePct: 0.02,
  takerFeePct: 0.05,
  spotFeePct: 0.1,
  slippagePct: 0.01,
} as const;

export interface DataFingerprint {
  from: string;
  to: string;
  bars: number;
  /** SHA-256 over every series of the dataset (typed-array bytes, in key order). */
  sha256: string;
}

export interface ReadmeResults {
  setup: typeof README_SETUP;
  data: Record<string, DataFingerprint>;
  runs: WalkForwardReport[];
}

export function datasetFingerprint(d: Dataset): DataFingerprint {
  const hash = createHash('sha256');
  const walk = (x: unknown) => {
    if (x instanceof Float64Array) hash.update(new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    else if (x && typeof x === 'object' && !ArrayBuffer.isView(x)) {
      for (const k of Object.keys(x).sort()) walk((x as Record<string, unknown>)[k]);
    }
  };
  walk({
    candles: d.candles,
    funding: d.funding,
    ...('spot' in d ? { spot: d.spot } : {}),
    ...('mark' in d ? { mark: d.mark } : {}),
  });
  const t = d.candles.time;
  return {
    from: new Date(t[0]!).toISOString(),
    to: new Date(t[t.length - 1]! + 3_600_000).toISOString(),
    bars: t.length,
    sha256: hash.digest('hex'),
  };
}

/** The walk-forward options of one README run (without workers and progress). */
export function readmeRunOptions(
  strategy: string,
  dataset: Dataset,
): Omit<WalkForwardOptions, 'workers' | 'onProgress'> {
  const s = README_SETUP;
  return {
    strategy,
    dataset,
    inSample: parseSpan(s.inSample)!,
    outOfSample: parseSpan(s.outOfSample)!,
    rank: s.rank,
    base: {},
    equity: s.equityUsdt,
    spotUsdt: strategy === 'funding_arbitrage' ? s.fundingArbitrageSpotUsdt : 0,
    makerFee: s.makerFeePct / 100,
    takerFee: s.takerFeePct / 100,
    spotFee: s.spotFeePct / 100,
    slippagePct: s.slippagePct,
  };
}

export async function generateReadmeResults(p: {
  load: (symbol: string) => Dataset;
  workers: number;
  onProgress?: (label: string) => ((done: number, total: number) => void) | undefined;
  onRun?: (r: WalkForwardReport, wallMs: number, candlesPerSecond: number) => void;
}): Promise<ReadmeResults> {
  const data: Record<string, DataFingerprint> = {};
  const runs: WalkForwardReport[] = [];
  for (const symbol of README_SETUP.symbols) {
    const dataset = p.load(symbol);
    data[symbol] = datasetFingerprint(dataset);
    for (const strategy of README_SETUP.strategies) {
      const started = performance.now();
      const wf = await runWalkForward({
        ...readmeRunOptions(strategy, dataset),
        workers: p.workers,
        onProgress: p.onProgress?.(`${strategy} ${symbol}`),
      });
      runs.push(wf.report);
      p.onRun?.(wf.report, performance.now() - started, wf.perf.candlesPerSecond);
    }
  }
  return { setup: README_SETUP, data, runs };
}

export class ReadmeResultsMissing extends Error {
  override readonly name = 'ReadmeResultsMissing';
}

export function readReadmeResults(path = README_RESULTS_PATH): ReadmeResults {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ReadmeResultsMissing(
      `${path} not found: run npm run docs (without --no-results) to compute it`,
    );
  }
  return JSON.parse(text) as ReadmeResults;
}
