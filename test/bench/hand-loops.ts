// Hand-written references for `npm run bench`: each strategy's rules as one loop over the typed arrays,
// running sums, no objects — the ceiling the engine is measured against. They trade on the candle's
// range with fees (and, for buy-and-hold, funding) but without the risk check, order book, liquidation
// or intra-candle order; they are speed references, not a second backtester. Each returns final equity.
import type { CandleSeries } from '../../shared/domain/candles.ts';
import { fundingFee } from '../../shared/domain/futures-math.ts';
import type { FundingSeries } from '../../shared/market-data/csv.ts';
import type { GridParams } from '../../shared/strategies/grid.ts';
import type { LongShortSwitchParams } from '../../shared/strategies/long-short-switch.ts';
import type { VolatilityBreakoutParams } from '../../shared/strategies/volatility-breakout.ts';

const TAKER = 0.0005;
const MAKER = 0.0002;

/** Buy 25 % of equity at the first open, hold; funding settled at each funding time. */
export function handBuyAndHold(c: CandleSeries, funding: FundingSeries, from: number): number {
  const n = c.time.length;
  const qty = Math.floor(((10_000 * 0.25) / c.open[from]!) * 1000) / 1000;
  const entry = c.open[from]! * 1.0001;
  let wallet = 10_000 - qty * entry * TAKER;
  let fc = 0;
  let last = 0;
  const t0 = c.time[from]!;
  for (let k = from; k < n; k++) {
    const t = c.time[k]!;
    while (fc < funding.time.length && funding.time[fc]! <= t) {
      if (funding.time[fc]! > t0)
        wallet += fundingFee({
          side: 'long',
          quantity: qty,
          markPrice: c.open[k]!,
          fundingRate: funding.rate[fc]!,
        });
      fc++;
    }
    last = wallet + qty * (c.close[k]! - entry);
  }
  return last;
}

/** Bollinger squeeze (rank over the look-back), close outside the band on volume; ATR stop, target, time exit. */
export function handBreakout(c: CandleSeries, p: VolatilityBreakoutParams): number {
  const N = c.time.length;
  const { bbPeriod: P, squeezeLookback: L, atrPeriod: A } = p;
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
  let lastSqueeze = -1e9;
  for (let i = 0; i < N; i++) {
    const cl = c.close[i]!;
    sum += cl;
    sumSq += cl * cl;
    if (i >= P) {
      const o = c.close[i - P]!;
      sum -= o;
      sumSq -= o * o;
    }
    const tr =
      i === 0
        ? c.high[i]! - c.low[i]!
        : Math.max(
            c.high[i]! - c.low[i]!,
            Math.abs(c.high[i]! - c.close[i - 1]!),
            Math.abs(c.low[i]! - c.close[i - 1]!),
          );
    atrV = i < A ? atrV + tr / A : atrV + (tr - atrV) / A;
    const volBefore = volSum / p.volumePeriod;
    volSum += c.volume[i]! - (i >= p.volumePeriod ? c.volume[i - p.volumePeriod]! : 0);
    if (i < P - 1) continue;
    const mean = sum / P;
    const sd = Math.sqrt(Math.max(0, sumSq / P - mean * mean));
    bw[i] = (2 * p.bbStdDev * sd) / mean;
    const squeezedBefore = i - lastSqueeze <= p.squeezeWithinBars;
    if (i >= L + P) {
      let rank = 0;
      for (let j = i - L + 1; j <= i; j++) if (bw[j]! <= bw[i]!) rank++;
      if ((rank / L) * 100 <= p.squeezePercentile) lastSqueeze = i;
    }
    if (qty !== 0) {
      const hit = qty > 0 ? c.low[i]! <= stop : c.high[i]! >= stop;
      const won = qty > 0 ? c.high[i]! >= target : c.low[i]! <= target;
      if (hit || won || i - entered >= p.maxBarsInTrade) {
        const exit = hit ? stop : won ? target : cl;
        equity += qty * (exit - entry) - Math.abs(qty) * exit * TAKER;
        qty = 0;
      }
      continue;
    }
    const side = cl > mean + p.bbStdDev * sd ? 1 : cl < mean - p.bbStdDev * sd ? -1 : 0;
    if (squeezedBefore && c.volume[i]! >= p.volumeMultiple * volBefore && side !== 0 && i + 1 < N) {
      entry = c.open[i + 1]!;
      qty = (side * Math.floor(((equity * p.positionPct) / 100 / entry) * 1000)) / 1000;
      stop = entry - side * p.stopAtr * atrV;
      target = entry + side * p.targetAtr * atrV;
      entered = i;
      equity -= Math.abs(qty) * entry * TAKER;
    }
  }
  return equity;
}

/** Fast/slow EMA on 1h and on 4h closes agree, confirmed N bars, RSI and volume filters; trailing stop. */
export function handSwitch(c: CandleSeries, p: LongShortSwitchParams): number {
  const N = c.time.length;
  const kf = 2 / (p.fastEma + 1);
  const ks = 2 / (p.slowEma + 1);
  let f1 = c.close[0]!;
  let s1 = f1;
  let f4 = f1;
  let s4 = f1;
  let gain = 0;
  let loss = 0;
  let volSum = 0;
  let signal = 0;
  let held = 0;
  let equity = 10_000;
  let qty = 0;
  let entry = 0;
  let extreme = 0;
  for (let i = 1; i < N; i++) {
    const cl = c.close[i]!;
    f1 = cl * kf + f1 * (1 - kf);
    s1 = cl * ks + s1 * (1 - ks);
    if (c.time[i]! % 14_400_000 === 10_800_000) {
      f4 = cl * kf + f4 * (1 - kf);
      s4 = cl * ks + s4 * (1 - ks);
    }
    const d = cl - c.close[i - 1]!;
    gain += (Math.max(d, 0) - gain) / p.rsiPeriod;
    loss += (Math.max(-d, 0) - loss) / p.rsiPeriod;
    const volBefore = volSum / p.volumePeriod;
    volSum += c.volume[i]! - (i >= p.volumePeriod ? c.volume[i - p.volumePeriod]! : 0);
    const trend = f1 > s1 && f4 > s4 ? 1 : f1 < s1 && f4 < s4 ? -1 : 0;
    held = trend === signal ? held + 1 : 1;
    signal = trend;
    const want = held >= p.confirmBars ? trend : 0;
    if (qty !== 0) {
      const dir = qty > 0 ? 1 : -1;
      extreme = dir > 0 ? Math.max(extreme, c.high[i]!) : Math.min(extreme, c.low[i]!);
      const stop = extreme * (1 - (dir * p.trailingStopPct) / 100);
      const hit = dir > 0 ? c.low[i]! <= stop : c.high[i]! >= stop;
      if (hit || (want !== 0 && want !== dir)) {
        const exit = hit ? stop : cl;
        equity += qty * (exit - entry) - Math.abs(qty) * exit * TAKER;
        qty = 0;
      }
    }
    if (qty === 0 && want !== 0 && i > 4 * 3 * p.slowEma) {
      const rsi = loss === 0 ? 100 : 100 - 100 / (gain / loss + 1);
      const momentum = want > 0 ? rsi > p.rsiThreshold : rsi < 100 - p.rsiThreshold;
      if (momentum && c.volume[i]! >= p.volumeMultiple * volBefore) {
        entry = cl;
        extreme = cl;
        qty = (want * Math.floor(((equity * p.positionPct) / 100 / entry) * 1000)) / 1000;
        equity -= Math.abs(qty) * entry * TAKER;
      }
    }
  }
  return equity;
}

/** ATR grid of `levels` around the price; a level traded through fills and re-arms; re-centre outside. */
export function handGrid(c: CandleSeries, p: GridParams): number {
  const N = c.time.length;
  const half = p.levels / 2;
  const levelPx = new Float64Array(p.levels);
  const levelSide = new Int8Array(p.levels); // +1 buy, −1 sell, 0 empty
  let atrV = 0;
  let atrNormSum = 0;
  let equity = 10_000;
  let inventory = 0;
  let cost = 0;
  let lower = 0;
  let upper = 0;
  let spacing = 0;
  let qty = 0;
  let laid = false;
  const warm = p.normPeriod + p.atrPeriod;
  for (let i = 1; i < N; i++) {
    const cl = c.close[i]!;
    const tr = Math.max(
      c.high[i]! - c.low[i]!,
      Math.abs(c.high[i]! - c.close[i - 1]!),
      Math.abs(c.low[i]! - c.close[i - 1]!),
    );
    atrV = i <= p.atrPeriod ? atrV + tr / p.atrPeriod : atrV + (tr - atrV) / p.atrPeriod;
    atrNormSum += atrV - (i > p.normPeriod ? atrNormSum / p.normPeriod : 0);
    if (i < warm) continue;
    if (laid) {
      for (let l = 0; l < p.levels; l++) {
        const s = levelSide[l]!;
        if (s === 0) continue;
        const px = levelPx[l]!;
        if (s > 0 ? c.low[i]! < px : c.high[i]! > px) {
          inventory += s * qty;
          cost += s * qty * px + qty * px * MAKER;
          levelSide[l] = -s as -1 | 1;
          levelPx[l] = px + s * spacing;
        }
      }
    }
    if (!laid || cl > upper || cl < lower) {
      equity += inventory * cl - cost - Math.abs(inventory) * cl * TAKER;
      inventory = 0;
      cost = 0;
      const h = p.atrMultiple * atrV;
      spacing = (2 * h) / p.levels;
      lower = cl - h;
      upper = cl + h;
      const size = Math.min(1.5, Math.max(0.5, atrNormSum / p.normPeriod / atrV));
      qty = Math.floor(((((equity * p.positionPct) / p.levels / 100) * size) / cl) * 1000) / 1000;
      for (let j = 0; j < half; j++) {
        levelPx[j] = cl - (j + 1) * spacing;
        levelSide[j] = 1;
        levelPx[half + j] = cl + (j + 1) * spacing;
        levelSide[half + j] = -1;
      }
      laid = true;
    }
  }
  return equity + inventory * c.close[N - 1]! - cost;
}
