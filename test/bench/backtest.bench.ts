// `npm run bench` (part 1): backtest throughput on years of real BTCUSDT 1h candles — per strategy,
// candles/s through the full engine (strategy, risk check, simulated exchange with fees, funding, stops,
// liquidation) against a hand-written typed-array loop of the same rules (./hand-loops.ts) in the same
// process, and their ratio. Ratios are the figure to read: absolute rates move with the machine's load.
// Runs from an esbuild bundle (./run.ts), as the Lambda code ships; `--json` prints the same as JSON.
import { cpus, loadavg } from 'node:os';
import { buyAndHold } from '../../shared/backtest/buy-and-hold.ts';
import { runBacktest } from '../../shared/backtest/engine.ts';
import { STRATEGIES } from '../../shared/strategies/registry.ts';
import type { Strategy } from '../../shared/strategies/strategy.ts';
import { multiYearDataset } from './data.ts';
import { handBreakout, handBuyAndHold, handGrid, handSwitch } from './hand-loops.ts';
import { intentCeiling, intentFloor } from './intent-floor.ts';
import { engineTrips, grademarkInput, grademarkTrips, handSmaCross, smaCross } from './sma-cross.ts';

const json = process.argv.includes('--json');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dataset = multiYearDataset();
const c = dataset.candles;
const N = c.time.length;

interface Spread {
  median: number;
  min: number;
  max: number;
}

/**
 * Warm-up runs before the timed ones: V8 keeps optimising a backtest over its first few runs (measured
 * here: the fifth run of a fresh process 2–4× the first), and the figure wanted is the steady state a
 * sweep or walk-forward runs at.
 */
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);

/** Candles/s over `runs` timed runs after WARMUP untimed ones (JIT): median and spread. */
function rate(fn: () => number, runs: number): Spread {
  let sink = 0;
  for (let w = 0; w < WARMUP; w++) sink += fn();
  const rates: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    const candles = fn();
    rates.push(candles / (Number(process.hrtime.bigint() - t0) / 1e9));
    sink += candles;
  }
  if (!Number.isFinite(sink)) throw new Error('benchmark produced a non-finite result');
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates[rates.length - 1]! };
}

/** The peer backtester's row: grademark on the same rule, its trades checked against the engine's. */
interface Peer {
  name: string;
  candlesPerSecond: Spread;
  trades: number;
  agreesWithEngine: boolean;
}

interface Case {
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: strategies of different parameter types.
  strategy: Strategy<any, any>;
  // biome-ignore lint/suspicious/noExplicitAny: each hand loop takes its strategy's parameters.
  hand?: (p: any) => number;
  slippagePct?: number;
}
const cases: Case[] = [
  { name: 'buy_and_hold', strategy: buyAndHold, hand: () => handBuyAndHold(c, dataset.funding, 0) },
  { name: 'grid', strategy: STRATEGIES.grid, hand: (p) => handGrid(c, p) },
  { name: 'long_short_switch', strategy: STRATEGIES.long_short_switch, hand: (p) => handSwitch(c, p) },
  { name: 'volatility_breakout', strategy: STRATEGIES.volatility_breakout, hand: (p) => handBreakout(c, p) },
  { name: 'funding_arbitrage', strategy: STRATEGIES.funding_arbitrage },
  // The rule grademark runs too: no slippage, so both fill at the open.
  { name: 'sma_cross', strategy: smaCross, hand: (p) => handSmaCross(c, p), slippagePct: 0 },
];

/** grademark on the sma_cross rule: its rate, and whether its trades equal the engine's, one by one. */
function peer(): Peer {
  const params = smaCross.paramsSchema.parse({});
  const engine = engineTrips(runBacktest({ strategy: smaCross, params, dataset, slippagePct: 0 }).fills);
  // Its input built once, outside the timing (as our dataset is loaded once).
  const input = grademarkInput(c, params);
  let trips = grademarkTrips(input, params);
  const candlesPerSecond = rate(() => {
    trips = grademarkTrips(input, params);
    return N;
  }, RUNS);
  return {
    name: 'grademark 0.3.0',
    candlesPerSecond,
    trades: trips.length,
    agreesWithEngine: trips.length > 0 && JSON.stringify(trips) === JSON.stringify(engine),
  };
}

/**
 * A strategy's order events over the run — intents it emitted, cancels it asked for, fills — counted in
 * one untimed run through a wrapper that only counts what evaluate returns. An engine's cost grows with
 * these as much as with candles: the figure that says why two strategies' candles/s differ.
 */
// biome-ignore lint/suspicious/noExplicitAny: strategies of different parameter types.
function orderEvents(strategy: Strategy<any, any>, params: unknown, slippagePct: number) {
  let intents = 0;
  let cancels = 0;
  const counted = {
    ...strategy,
    evaluate(input: Parameters<typeof strategy.evaluate>[0]) {
      const out = strategy.evaluate(input);
      intents += out.intents.length;
      cancels += out.cancels.length;
      return out;
    },
  };
  const r = runBacktest({ strategy: counted, params, dataset, slippagePct });
  return { intents, cancels, fills: r.fills.length, total: intents + cancels + r.fills.length };
}

const rows = cases.map(({ name, strategy, hand, slippagePct = 0.01 }) => {
  const params = strategy.paramsSchema.parse({});
  const events = orderEvents(strategy, params, slippagePct);
  let candles = 0;
  const engine = rate(() => {
    const r = runBacktest({ strategy, params, dataset, slippagePct });
    candles = r.equity.time.length;
    return candles;
  }, RUNS);
  const handRate = hand
    ? rate(() => {
        if (!Number.isFinite(hand(params))) throw new Error(`${name}: hand loop not finite`);
        return N;
      }, RUNS * 4)
    : undefined;
  return {
    strategy: name,
    candles,
    orderEvents: events,
    engineCandlesPerSecond: engine,
    handLoopCandlesPerSecond: handRate,
    ratioHandToEngine: handRate ? handRate.median / engine.median : undefined,
  };
});
const grademark = peer();
if (!grademark.agreesWithEngine) throw new Error('grademark and the engine disagree on the sma_cross trades');

// Per strategy: the ceiling its intents alone put on the engine (./intent-floor.ts), and the ns per
// candle that 4× of its hand loop leaves for everything.
const floor = intentFloor();
const ceilings = rows.map((r) => {
  const perCandle = r.orderEvents.intents / r.candles;
  const h = r.handLoopCandlesPerSecond;
  return {
    strategy: r.strategy,
    intentsPerCandle: perCandle,
    intentCeilingCandlesPerSecond: perCandle > 0 ? intentCeiling(floor, perCandle) : undefined,
    intentNsPerCandle: perCandle * (floor.intentIdNs + floor.bookEntryNs),
    nsPerCandleAt4xHand: h ? (4 * 1e9) / h.median : undefined,
  };
});

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  node: process.version,
  loadAverage1m: loadavg()[0],
};
const from = new Date(c.time[0]!).toISOString().slice(0, 10);
const to = new Date(c.time[N - 1]!).toISOString().slice(0, 10);

if (json) {
  process.stdout.write(
    `${JSON.stringify({ data: { symbol: dataset.symbol, from, to, candles: N }, runs: RUNS, warmupRuns: WARMUP, machine, rows, peer: grademark, intentFloor: { ...floor, ceilings } }, null, 2)}\n`,
  );
} else {
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  process.stdout.write(
    `Backtest throughput: ${dataset.symbol} 1h ${from} → ${to} (${N.toLocaleString('en-US')} candles), ${RUNS} timed runs each after ${WARMUP} warm-up runs (median, [min–max])\n` +
      `machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, load ${(machine.loadAverage1m ?? 0).toFixed(1)}\n\n`,
  );
  process.stdout.write(
    `${'strategy'.padEnd(22)}${'engine candles/s'.padStart(34)}${'hand loop candles/s'.padStart(38)}${'hand/engine'.padStart(13)}${'order events'.padStart(15)}\n`,
  );
  for (const r of rows) {
    const e = r.engineCandlesPerSecond;
    const h = r.handLoopCandlesPerSecond;
    process.stdout.write(
      `${r.strategy.padEnd(22)}${`${fmt(e.median)} [${fmt(e.min)}–${fmt(e.max)}]`.padStart(34)}${(h ? `${fmt(h.median)} [${fmt(h.min)}–${fmt(h.max)}]` : '—').padStart(38)}${(r.ratioHandToEngine ? `${r.ratioHandToEngine.toFixed(1)}×` : '—').padStart(13)}${fmt(r.orderEvents.total).padStart(15)}\n`,
    );
  }
  const g = grademark.candlesPerSecond;
  process.stdout.write(
    `${'sma_cross in grademark'.padEnd(22)}${`${fmt(g.median)} [${fmt(g.min)}–${fmt(g.max)}]`.padStart(34)}   ${grademark.trades} trades, each equal to the engine's (entry and exit candle and price)\n`,
  );
  process.stdout.write(
    `\nwhat every intent pays first: its id (makeIntentId, SHA-256) ${floor.intentIdNs.toFixed(0)} ns + its entry in the book of every order ${floor.bookEntryNs.toFixed(0)} ns\n`,
  );
  for (const k of ceilings) {
    const ceiling =
      k.intentsPerCandle >= 0.01 && k.intentCeilingCandlesPerSecond !== undefined
        ? `, a ceiling of ${fmt(k.intentCeilingCandlesPerSecond)} candles/s`
        : '';
    const budget =
      k.nsPerCandleAt4xHand !== undefined
        ? `; 4× its hand loop leaves ${k.nsPerCandleAt4xHand.toFixed(0)} ns per candle for everything`
        : '';
    process.stdout.write(
      `  ${k.strategy.padEnd(20)} ${k.intentsPerCandle.toFixed(3)} intents/candle: ${k.intentNsPerCandle.toFixed(0)} ns per candle${ceiling}${budget}\n`,
    );
  }
  process.stdout.write(
    '\norder events: intents + cancels + fills over the run (the engine pays per event as well as per candle)\n' +
      'goal: ≥ 5,000,000 candles/s through the engine (floor 2,000,000), hand/engine ≤ 4×\n',
  );
}
