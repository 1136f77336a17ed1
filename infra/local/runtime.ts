// The embedded runtime behind `npm start`: the product's Lambda handlers, wired as in AWS, against
// embedded parts — dynalite (the real DynamoDB API, same table definition as the stack), the in-process
// FIFO queue with SQS semantics, the in-process event bus, a scheduler driven by infra/schedules.ts, and
// the simulated exchange replaying the shipped real market data on an accelerated clock.
import { join } from 'node:path';
import { DynamoStateStore } from '../../shared/adapters/aws/dynamodb/state-store.ts';
import { MemoryEventBus } from '../../shared/adapters/memory/event-bus.ts';
import { MemoryOrderQueue } from '../../shared/adapters/memory/order-queue.ts';
import { MemoryStateStore } from '../../shared/adapters/memory/state-store.ts';
import { SimulatedExchange } from '../../shared/adapters/sim/sim-exchange.ts';
import { Simulator } from '../../shared/adapters/sim/simulator.ts';
import { simTotalEquity } from '../../shared/adapters/sim/snapshot.ts';
import { ownerOfSymbol } from '../../shared/app/ownership.ts';
import type { TickDeps } from '../../shared/app/strategy-tick.ts';
import type { BacktestResult } from '../../shared/backtest/engine.ts';
import { computeMetrics, tradesFromFills } from '../../shared/backtest/metrics.ts';
import { type OwnerBook, simOwnerBooks } from '../../shared/backtest/owner-books.ts';
import type { Config } from '../../shared/config/env.ts';
import { strategySymbolPairs } from '../../shared/config/strategy-symbols.ts';
import { sliceSeries } from '../../shared/domain/candles.ts';
import { riskLimitsFrom } from '../../shared/domain/risk/limits.ts';
import { commonSpan, loadDataset } from '../../shared/market-data/dataset.ts';
import type { Exchange } from '../../shared/ports/exchange.ts';
import type { OrderQueue } from '../../shared/ports/order-queue.ts';
import type { StateStore } from '../../shared/ports/state-store.ts';
import { STRATEGIES } from '../../shared/strategies/registry.ts';
import { SCHEDULES } from '../schedules.ts';
import type { BotMessage } from './bot-api.ts';
import { runtimeDashboard } from './dashboard.ts';
import { startDynalite } from './dynalite.ts';
import { JournaledQueue } from './journaled-queue.ts';
import { persistingExchange } from './persisting-exchange.ts';
import { botMessageLine, type RunTotals, resumeSavedRun, type SavedRun, writeSavedRun } from './saved-run.ts';
import { localHandlers, localTelegram } from './wiring.ts';

export interface LocalRuntimeOptions {
  config: Config;
  /** First simulated instant (ms); default: the earliest the enabled strategies' look-back allows. */
  from?: number;
  /** Simulated hours to run; default: to the end of the data. */
  hours?: number;
  dataDir?: string;
  /** 'dynalite' (default, the real DynamoDB API) or 'memory' (fast tests). */
  store?: 'dynalite' | 'memory';
  initialEquity?: number;
  initialSpotUsdt?: number;
  slippagePct?: number;
  /** The local Telegram endpoint (webhook on 127.0.0.1 + Bot API stand-in); default on. */
  telegram?: false | { infoFile?: string | false; onMessage?: (m: BotMessage) => void };
  /**
   * Keep everything on disk here (`npm start -- --persist`: .local/state): dynalite's data, the
   * queue's journal, and the simulated exchange (saved whenever it accepts or cancels an order, as an
   * exchange outside this process would keep it). A restart continues the run and reconciles.
   */
  persistDir?: string;
  /** Tests: wrap the exchange the handlers see (fault injection). */
  wrapExchange?: (e: Exchange) => Exchange;
  /** The web dashboard on 127.0.0.1 (infra/local/dashboard.ts); off unless given. */
  dashboard?: { infoFile?: string | false; secret?: string };
}

const HOUR = 3_600_000;

export async function startLocalRuntime(o: LocalRuntimeOptions) {
  const { config } = o;
  // One time grid for every symbol: cut to the span all of them cover (the notes say so).
  const span = commonSpan(config.SYMBOLS.map((symbol) => loadDataset(symbol, o.dataDir)));
  const data: Record<string, ReturnType<typeof loadDataset>> = {};
  for (const d of span.datasets) data[d.symbol] = d;
  const first = data[config.SYMBOLS[0]!]!;
  const lookback = Math.max(
    ...config.strategies.map((s) => STRATEGIES[s].lookback(STRATEGIES[s].paramsSchema.parse({}))),
  );
  let start = lookback;
  if (o.from !== undefined) {
    const t = first.candles.time;
    let i = 0;
    while (i < t.length && t[i]! < o.from) i++;
    start = Math.max(start, i);
  }
  if (start >= first.candles.time.length)
    throw new Error('not enough data after the strategies’ look-back for the chosen start');
  let end =
    o.hours !== undefined ? Math.min(first.candles.time.length, start + o.hours) : first.candles.time.length;

  const sim = new Simulator({
    data: Object.fromEntries(
      Object.entries(data).map(([s, d]) => [
        s,
        {
          candles: d.candles,
          funding: d.funding,
          ...(d.mark ? { mark: d.mark } : {}),
          ...(d.spot ? { spot: d.spot } : {}),
        },
      ]),
    ),
    ...(span.note ? { notes: [span.note] } : {}),
    initialWalletUsdt: o.initialEquity ?? 10_000,
    initialSpot: {
      USDT: o.initialSpotUsdt ?? (config.strategies.includes('funding_arbitrage') ? 10_000 : 0),
    },
    slippagePct: o.slippagePct ?? 0.01,
    defaultLeverage: config.DEFAULT_LEVERAGE,
    defaultMarginMode: config.MARGIN_MODE,
    startIndex: start,
  });
  const clock = { now: () => sim.now() };

  const runFile = o.persistDir ? join(o.persistDir, 'run.json') : undefined;
  const { saved, transcript } = resumeSavedRun(o.persistDir, Object.keys(data), sim);
  // Whole-run figures: carried over from the saved run, so a resumed summary counts every process.
  const totals: RunTotals = saved?.totals ?? { events: {} };

  let stopDb: () => Promise<void> = async () => {};
  let store: StateStore;
  if (o.persistDir && o.store === 'memory') throw new Error('persistDir needs the dynalite store');
  if ((o.store ?? 'dynalite') === 'dynalite') {
    const db = await startDynalite(
      'autocoin-local',
      o.persistDir ? { path: join(o.persistDir, 'dynalite') } : {},
    );
    store = new DynamoStateStore(db.tableName, db.client);
    stopDb = db.stop;
  } else {
    store = new MemoryStateStore();
  }

  const bus = new MemoryEventBus();
  bus.subscribe((e) => {
    totals.events[e.type] = (totals.events[e.type] ?? 0) + 1;
  });
  const memoryQueue = new MemoryOrderQueue({ clock, maxReceiveCount: 5, defaultVisibilityTimeoutS: 30 });
  const journal = o.persistDir
    ? new JournaledQueue(memoryQueue, join(o.persistDir, 'queue.jsonl'))
    : undefined;
  const queue: OrderQueue = journal ?? memoryQueue;
  let recovered = 0;
  try {
    recovered = (await journal?.recover()) ?? 0;
  } catch (err) {
    await stopDb();
    throw err;
  }

  let exchange: Exchange = new SimulatedExchange(sim);
  if (runFile) exchange = persistingExchange(exchange, () => save());
  if (o.wrapExchange) exchange = o.wrapExchange(exchange);
  const deps: TickDeps = {
    store,
    exchange,
    queue,
    bus,
    clock,
    limits: riskLimitsFrom(config),
  };
  const { tick, monitors, drain, metrics, context } = localHandlers({ ...deps, bus }, config);
  // The replay clock moves an hour per step and the monitors run once per step: a view is at most an
  // hour old.
  const dashboard = o.dashboard
    ? await runtimeDashboard({ ...deps, bus }, config, {
        ...o.dashboard,
        maxAgeMs: { account: 2 * HOUR, funding: 3 * HOUR },
        deadLetterDepth: () => memoryQueue.deadLetters.length,
      })
    : undefined;
  const tg = o.telegram;
  const telegram = await localTelegram(
    { ...deps, bus },
    config,
    { account: 2 * HOUR, funding: 3 * HOUR },
    tg === false
      ? false
      : {
          ...tg,
          onMessage: (m) => {
            transcript.add(botMessageLine(m));
            tg?.onMessage?.(m);
          },
        },
    dashboard ? async (who) => dashboard.newLink(who) : undefined,
  );
  const equity: { time: number[]; value: number[] } = saved?.equity ?? { time: [], value: [] };
  let exposedBars = saved?.exposedBars ?? 0;
  const initialTotal = saved?.initialTotal ?? simTotalEquity(sim);
  if (saved) {
    // Continued: the report covers the whole run; `hours` counts from where it stopped.
    start = saved.start;
    end =
      o.hours !== undefined
        ? Math.min(first.candles.time.length, sim.index + o.hours)
        : first.candles.time.length;
  }
  function save(): void {
    if (!runFile) return;
    const run: SavedRun = {
      symbols: Object.keys(data),
      start,
      end,
      initialTotal,
      exposedBars,
      equity,
      sim: sim.saveState(),
      totals,
    };
    writeSavedRun(runFile, run);
  }
  /**
   * One simulated hour: every entry of the schedule table fires its handler — strategy ticks per
   * (strategy, symbol) of the assignment; monitors once (the replay clock is accelerated: one iteration stands
   * for the hour's loops) — then the executor drains the queue and the market moves.
   */
  async function step(): Promise<void> {
    const time = new Date(clock.now()).toISOString();
    for (const entry of SCHEDULES) {
      if (entry.fn === 'strategy-tick') {
        if (!config.ENABLE_FUTURES) continue;
        for (const { strategy, symbol } of strategySymbolPairs(config.assignment))
          await tick({ strategy, symbol, time }, context);
      } else {
        await monitors[entry.fn]({ time, once: true }, context);
      }
      // As in AWS, the executor works through the queue within seconds — before the next scheduled
      // function looks at the exchange.
      await drain();
    }
    const t = clock.now();
    sim.advance();
    if (sim.ledger.positions.size > 0) exposedBars++;
    equity.time.push(t);
    equity.value.push(simTotalEquity(sim));
    save();
  }

  return {
    sim,
    deps,
    bus,
    queue,
    metrics,
    equity,
    totalHours: end - start,
    /**
     * Replay to the end (or until `shouldStop`). `realMsPerHour` paces it: each simulated hour then
     * takes that long in real time (3,600,000 = real time), and the Telegram endpoint answers meanwhile.
     */
    async run(
      onProgress?: (done: number, total: number) => void,
      shouldStop?: () => boolean,
      realMsPerHour = 0,
    ): Promise<number> {
      let done = 0;
      while (sim.index < end && !sim.finished && !shouldStop?.()) {
        const began = Date.now();
        await step();
        done++;
        onProgress?.(done, end - start);
        while (Date.now() - began < realMsPerHour && !shouldStop?.()) {
          await new Promise((r) => setTimeout(r, Math.min(200, realMsPerHour - (Date.now() - began))));
        }
      }
      await drain();
      return done;
    },
    /** The run as a backtest-shaped result: same metrics and the same HTML report as the backtester. */
    result(): BacktestResult {
      const trades = tradesFromFills(sim.ledger.fills, { time: clock.now(), lastPrice: (s) => sim.price(s) });
      const value = Float64Array.from(equity.value);
      const metrics = computeMetrics({
        equity: value,
        initialEquity: initialTotal,
        trades,
        fees: sim.ledger.feesPaid,
        fundingPnl: sim.ledger.fundingPnl,
        liquidations: sim.ledger.liquidations.length,
        exposedBars,
        barsPerYear: 365 * 24,
      });
      const c = first.candles;
      return {
        metrics,
        trades,
        fills: sim.ledger.fills,
        liquidations: sim.ledger.liquidations,
        rejections: [],
        equity: { time: Float64Array.from(equity.time), value },
        candles: sliceSeries(c, start, Math.min(c.time.length, start + equity.time.length)),
        from: c.time[start]!,
        to: (equity.time.at(-1) ?? c.time[start]!) + HOUR,
        dataNotes: sim.dataNotes(),
      };
    },
    /** Per-strategy books (and `manual`): each owner's share of the account's change since the start. */
    books(): { books: OwnerBook[]; accountChange: number } {
      const books = simOwnerBooks(sim, (s) => ownerOfSymbol(config.assignment, s));
      return { books, accountChange: simTotalEquity(sim) - initialTotal };
    },
    telegram,
    dashboard,
    /**
     * Figures of the whole run, every process of a --persist run included: hours replayed, domain
     * events by type, bot messages (and their transcript).
     */
    totals: () => ({
      hours: equity.time.length,
      events: { ...totals.events },
      telegramMessages: transcript.lines.length,
      transcript: [...transcript.lines],
    }),
    /**
     * Continued from `persistDir`: the saved run, how many queued messages were recovered, and how many
     * partial records a kill left at the end of the queue journal or the transcript (dropped).
     */
    resumed:
      saved !== undefined
        ? {
            at: sim.now(),
            recovered,
            ...(journal?.droppedPartial ? { droppedPartialRecords: journal.droppedPartial } : {}),
            ...(transcript.droppedPartial ? { droppedTranscriptRecords: transcript.droppedPartial } : {}),
          }
        : undefined,
    /** Deliver what is queued to the executor now. */
    drain,
    /** The process dies: nothing more is written (tests of the restart path). */
    async kill(): Promise<void> {
      await dashboard?.stop();
      await telegram?.stop();
      await stopDb();
    },
    async stop(): Promise<void> {
      save();
      await dashboard?.stop();
      await telegram?.stop();
      await stopDb();
    },
  };
}
