// `npm run bench`: backtest throughput (candles per second) against a hand-written reference loop over
// the same typed arrays, in the same process. Reported as ratios; never asserted as time limits.
import { buyAndHold } from '../../shared/backtest/buy-and-hold.ts';
import { runBacktest } from '../../shared/backtest/engine.ts';
import { emptySeries } from '../../shared/domain/candles.ts';
import { fundingFee } from '../../shared/domain/futures-math.ts';
import { monthDataset } from '../support/month-data.ts';

const REPEAT = 40; // the shipped month, tiled: ~30k candles
const ds = monthDataset();
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

// ---- A real strategy: volatility_breakout, against a hand-written loop of the same rules. ----
import { volatilityBreakout } from '../../shared/strategies/volatility-breakout.ts';

const vbParams = volatilityBreakout.paramsSchema.parse({});

/**
 * Reference: the breakout rules written by hand as one loop with running sums — Bollinger(20, 2) on a
 * rolling window, bandwidth percentile over 120, volume average, Wilder ATR — entries, ATR stop and
 * target on the candle's range, time exit. No risk check, no order book, no funding.
 */
function referenceBreakout(): number {
  const { bbPeriod: P, squeezeLookback: L, atrPeriod: A } = vbParams;
  const bw = new Float64Array(N);
  let sum = 0;
  let sumSq = 0;
  let atrV = 0;
  let equity = 10_000;
  let qty = 0;
  let entry = 0;
  let stop = 0;
  let target = 0;
  let entered = 0;
  let volSum = 0;
  for (let i = 0; i < N; i++) {
    const c = tiled.close[i]!;
    sum += c;
    sumSq += c * c;
    if (i >= P) {
      const o = tiled.close[i - P]!;
      sum -= o;
      sumSq -= o * o;
    }
    const tr =
      i === 0
        ? tiled.high[i]! - tiled.low[i]!
        : Math.max(
            tiled.high[i]! - tiled.low[i]!,
            Math.abs(tiled.high[i]! - tiled.close[i - 1]!),
            Math.abs(tiled.low[i]! - tiled.close[i - 1]!),
          );
    atrV = i < A ? atrV + tr / A : atrV + (tr - atrV) / A;
    volSum += tiled.volume[i]! - (i >= vbParams.volumePeriod ? tiled.volume[i - vbParams.volumePeriod]! : 0);
    if (i < P - 1) continue;
    const mean = sum / P;
    const sd = Math.sqrt(Math.max(0, sumSq / P - mean * mean));
    bw[i] = (4 * sd) / mean;
    if (qty !== 0) {
      const hit = qty > 0 ? tiled.low[i]! <= stop : tiled.high[i]! >= stop;
      const won = qty > 0 ? tiled.high[i]! >= target : tiled.low[i]! <= target;
      if (hit || won || i - entered >= vbParams.maxBarsInTrade) {
        const exit = hit ? stop : won ? target : c;
        equity += qty * (exit - entry) - Math.abs(qty) * exit * 0.0005;
        qty = 0;
      }
      continue;
    }
    if (i < L + P) continue;
    let rank = 0;
    for (let j = i - L + 1; j <= i - 1; j++) if (bw[j]! <= bw[i - 1]!) rank++;
    const squeezed = (rank / L) * 100 <= vbParams.squeezePercentile;
    const volOk = tiled.volume[i]! >= vbParams.volumeMultiple * (volSum / vbParams.volumePeriod);
    const side = c > mean + 2 * sd ? 1 : c < mean - 2 * sd ? -1 : 0;
    if (squeezed && volOk && side !== 0 && i + 1 < N) {
      entry = tiled.open[i + 1]!;
      qty = (side * Math.floor(((equity * 0.1) / entry) * 1000)) / 1000;
      stop = entry - side * vbParams.stopAtr * atrV;
      target = entry + side * vbParams.targetAtr * atrV;
      entered = i;
      equity -= Math.abs(qty) * entry * 0.0005;
    }
  }
  return equity;
}

const refVb = measure('reference loop (breakout rules, running sums)', referenceBreakout, 20);
const btVb = measure(
  'backtester: volatility_breakout',
  () =>
    runBacktest({ strategy: volatilityBreakout, params: vbParams, dataset, slippagePct: 0.01 }).metrics
      .finalEquity,
  2,
);
process.stdout.write(
  `  ratio reference / backtester (real strategy): ${(refVb / btVb).toFixed(1)}×  (goal ≤ 4×)\n`,
);

// ---- Indicators: ours (single pass over Float64Array) against the trading-signals library. ----
import { ATR, BollingerBands, EMA, RSI } from 'trading-signals';
import { atr, bollinger, ema, rsi } from '../../shared/strategies/indicators.ts';

process.stdout.write(
  `Indicators over ${N.toLocaleString('en-US')} candles (EMA 21, ATR 14, RSI 14, Bollinger 20/2)\n`,
);
const ours = measure(
  'ours (Float64Array, one pass each)',
  () => {
    return (
      ema(tiled.close, 21)[N - 1]! +
      atr(tiled.high, tiled.low, tiled.close, 14)[N - 1]! +
      rsi(tiled.close, 14)[N - 1]! +
      bollinger(tiled.close, 20, 2).upper[N - 1]!
    );
  },
  10,
);
const lib = measure(
  'trading-signals (streaming objects)',
  () => {
    const e = new EMA(21);
    const a = new ATR(14);
    const r = new RSI(14);
    const b = new BollingerBands(20, 2);
    let s = 0;
    for (let i = 0; i < N; i++) {
      e.update(tiled.close[i]!, false);
      s += a.update({ high: tiled.high[i]!, low: tiled.low[i]!, close: tiled.close[i]! }, false) ?? 0;
      r.update(tiled.close[i]!, false);
      b.update(tiled.close[i]!, false);
    }
    return s;
  },
  2,
);
process.stdout.write(`  ratio ours / library: ${(ours / lib).toFixed(1)}× faster\n`);
