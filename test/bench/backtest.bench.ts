// `npm run bench`: backtest throughput (candles per second) against a hand-written reference loop over
// the same typed arrays, in the same process. Reported as ratios; never asserted as time limits.
import { buyAndHold } from '../../shared/backtest/buy-and-hold.ts';
import { runBacktest } from '../../shared/backtest/engine.ts';
import { emptySeries } from '../../shared/domain/candles.ts';
import { fundingFee } from '../../shared/domain/futures-math.ts';
import { loadDataset } from '../../shared/market-data/dataset.ts';

const REPEAT = 40; // the shipped month, tiled: ~30k candles
const ds = loadDataset('BTCUSDT');
const n0 = ds.candles.time.length;
const tiled = emptySeries(n0 * REPEAT);
for (let r = 0; r < REPEAT; r++) {
  // Each copy continues in time and in price level, so the series stays a valid, gap-free replay.
  const shift = r * n0 * 3_600_000;
  const scale = ds.candles.close[n0 - 1]! / ds.candles.open[0]!;
  const f = scale ** r;
  for (let i = 0; i < n0; i++) {
    const j = r * n0 + i;
    tiled.time[j] = ds.candles.time[i]! + shift;
    tiled.open[j] = ds.candles.open[i]! * f;
    tiled.high[j] = ds.candles.high[i]! * f;
    tiled.low[j] = ds.candles.low[i]! * f;
    tiled.close[j] = ds.candles.close[i]! * f;
    tiled.volume[j] = ds.candles.volume[i]!;
  }
}
const t0 = tiled.time[0]!;
const fundingTimes: number[] = [];
const fundingRates: number[] = [];
for (
  let t = Math.ceil(t0 / 28_800_000) * 28_800_000, i = 0;
  t <= tiled.time[tiled.time.length - 1]!;
  t += 28_800_000, i++
) {
  fundingTimes.push(t);
  fundingRates.push(ds.funding.rate[ds.funding.rate.length - 1 - (i % 90)]!);
}
const dataset = {
  ...ds,
  candles: tiled,
  funding: { time: Float64Array.from(fundingTimes), rate: Float64Array.from(fundingRates) },
};
const N = tiled.time.length;

/** Reference: buy-and-hold written by hand over the typed arrays — entry fee, funding, mark-to-market. */
function referenceBuyAndHold(): number {
  const qty = Math.floor(((10_000 * 0.25) / tiled.open[0]!) * 1000) / 1000;
  const entry = tiled.open[0]! * 1.0001;
  let wallet = 10_000 - qty * entry * 0.0005;
  let fc = 0;
  let last = 0;
  for (let k = 0; k < N; k++) {
    const t = tiled.time[k]!;
    while (fc < fundingTimes.length && fundingTimes[fc]! <= t) {
      if (fundingTimes[fc]! > t0)
        wallet += fundingFee({
          side: 'long',
          quantity: qty,
          markPrice: tiled.open[k]!,
          fundingRate: fundingRates[fc]!,
        });
      fc++;
    }
    last = wallet + qty * (tiled.close[k]! - entry);
  }
  return last;
}

function measure(label: string, fn: () => number, runs: number): number {
  fn(); // warm-up (JIT)
  const start = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < runs; i++) sink += fn();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cps = (N * runs) / seconds;
  if (!Number.isFinite(sink)) throw new Error('benchmark produced a non-finite result');
  process.stdout.write(
    `  ${label.padEnd(44)} ${Math.round(cps).toLocaleString('en-US').padStart(14)} candles/s\n`,
  );
  return cps;
}

process.stdout.write(
  `Backtest throughput on ${N.toLocaleString('en-US')} candles (real BTCUSDT month tiled ×${REPEAT})\n`,
);
const ref = measure('reference loop (buy-and-hold, typed arrays)', referenceBuyAndHold, 20);
const bt = measure(
  'backtester: buy_and_hold',
  () =>
    runBacktest({
      strategy: buyAndHold,
      params: buyAndHold.paramsSchema.parse({}),
      dataset,
      slippagePct: 0.01,
    }).metrics.finalEquity,
  3,
);
process.stdout.write(
  `  ratio reference / backtester (trivial strategy): ${(ref / bt).toFixed(1)}×  (goal ≤ 4×)\n`,
);
