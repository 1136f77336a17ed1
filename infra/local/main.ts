// `npm start`: paper trading on the embedded runtime — every handler wired as in AWS, against
// dynalite, an in-process SQS-semantics queue, the simulated exchange replaying real Binance data, and
// a local Telegram endpoint (`npm run tg` in another terminal). No network, no cloud account.
// Options: --from <date> --days <n> --speed <x> --realtime --no-report.

import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ownerBooksTable } from '../../shared/backtest/owner-books.ts';
import { progressBar } from '../../shared/backtest/progress.ts';
import { metricRows, renderReport } from '../../shared/backtest/report-html.ts';
import { loadConfigOrExit } from '../../shared/config/exit-on-error.ts';
import { loadStrategyParamsOrExit } from '../../shared/config/strategy-config.ts';
import { describeAssignment } from '../../shared/config/strategy-symbols.ts';
import { SCHEDULES } from '../schedules.ts';
import { CorruptLocalState } from './corrupt-state.ts';
import { startLiveRuntime } from './live.ts';
import { startLocalRuntime } from './runtime.ts';
import { botMessageLine } from './saved-run.ts';
import { plainText } from './telegram.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const config = loadConfigOrExit();
const params = loadStrategyParamsOrExit(config.STRATEGY_CONFIG_FILE);

const USAGE =
  'Usage: npm start -- [--from 2026-09-10] [--days 7] [--speed 3600 | --realtime] [--no-report]\n' +
  '  --speed x    replay x simulated seconds per real second (default: as fast as it runs)\n' +
  '  --realtime   the same as --speed 1: one simulated hour per real hour\n' +
  '  --exchange binance-testnet  the same wiring on Binance demo trading (BINANCE_API_KEY and\n' +
  '               BINANCE_API_SECRET of a demo account; network needed), on the wall clock until Ctrl-C\n' +
  '  --persist    keep state in .local/state (dynalite, queue journal, the simulated exchange): Ctrl-C\n' +
  '               or a crash, then the same command continues and reconciles (rm -rf .local/state to start over)\n' +
  '  --serve      keep the web dashboard (and the bot) up after the replay, until Ctrl-C\n' +
  'While it runs, talk to the bot from another terminal: npm run tg -- "/futures_status"\n';

let args: {
  from?: string;
  days?: string;
  speed?: string;
  realtime?: boolean;
  persist?: boolean;
  serve?: boolean;
  exchange?: string;
  'no-report'?: boolean;
  help?: boolean;
};
try {
  args = parseArgs({
    args: process.argv.slice(2),
    options: {
      from: { type: 'string' },
      days: { type: 'string' },
      speed: { type: 'string' },
      realtime: { type: 'boolean' },
      persist: { type: 'boolean' },
      serve: { type: 'boolean' },
      exchange: { type: 'string' },
      'no-report': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
/**
 * The stretch `npm start` replays unless --from or --days say otherwise: recent, inside every shipped
 * series (spot and mark end 2026-05-17), short enough to finish in well under two minutes, and one in
 * which the default configuration (funding_arbitrage on BTCUSDT) goes through a whole hedge.
 */
const DEFAULT_STRETCH = {
  from: '2025-09-26',
  days: 21,
  why:
    'BTCUSDT funding near 0.01 % per 8 h (11 % a year) from 1 October, so funding_arbitrage hedges after its 3-day warm-up; ' +
    'the hedge holds through the 10 October crash (BTC −18 % in hours, 123,740 → 101,516) and exits when funding turns negative after it',
};
const defaultStretch = args.from === undefined && args.days === undefined;
const from = Date.parse(`${args.from ?? DEFAULT_STRETCH.from}T00:00:00Z`);
const days = args.days !== undefined ? Number(args.days) : defaultStretch ? DEFAULT_STRETCH.days : undefined;
if ((from !== undefined && Number.isNaN(from)) || (days !== undefined && !(days > 0))) {
  process.stderr.write('--from must be a date like 2026-09-10 and --days a number > 0\n');
  process.exit(2);
}
const speed = args.realtime ? 1 : args.speed !== undefined ? Number(args.speed) : undefined;
if (speed !== undefined && !(speed > 0 && Number.isFinite(speed))) {
  process.stderr.write(
    `--speed must be a number > 0 (simulated seconds per real second), got ${args.speed}\n`,
  );
  process.exit(2);
}
if (args.realtime && args.speed !== undefined) {
  process.stderr.write('--realtime and --speed together: choose one\n');
  process.exit(2);
}
const exchangeKind = args.exchange ?? 'sim';
if (exchangeKind !== 'sim' && exchangeKind !== 'binance-testnet') {
  process.stderr.write(`--exchange must be sim (default) or binance-testnet, got ${exchangeKind}\n`);
  process.exit(2);
}
if (exchangeKind === 'binance-testnet') {
  if (args.from !== undefined || args.days !== undefined || speed !== undefined) {
    process.stderr.write(
      '--exchange binance-testnet runs on the wall clock: no --from, --days, --speed or --realtime\n',
    );
    process.exit(2);
  }
  await runOnBinanceTestnet();
  process.exit(0);
}

const out = (s: string) => process.stdout.write(s);
out(
  `AutoCoin Futures — local paper trading (no network, no cloud)\n` +
    `strategies: ${describeAssignment(config.assignment, config.idleStrategies)}; leverage ${config.DEFAULT_LEVERAGE}x (max ${config.MAX_LEVERAGE}x), ` +
    `${config.MARGIN_MODE} margin, daily loss limit ${config.DAILY_LOSS_LIMIT} %\n` +
    `wiring: scheduler (infra/schedules.ts) → ${SCHEDULES.map((e) => e.fn).join(', ')} handlers → FIFO queue → order-executor handler → simulated exchange; state in dynalite\n` +
    `clock: ${speed === undefined ? 'as fast as it runs' : speed === 1 ? 'real time' : `${speed}× real time`}\n`,
);
for (const s of config.strategies) out(`  ${s}: ${JSON.stringify(params[s])}\n`);

// Bot messages: printed as they are sent when the run is paced (someone may be talking to it); the
// runtime keeps the transcript of the whole run either way.
const PERSIST_DIR = '.local/state';
const runtime = await startLocalRuntime({
  config,
  ...(args.persist ? { persistDir: PERSIST_DIR } : {}),
  dashboard: {},
  telegram: {
    onMessage: (m) => {
      if (speed !== undefined) process.stderr.write(`${botMessageLine(m)}\n`);
    },
  },
  ...(args.from !== undefined || defaultStretch ? { from } : {}),
  ...(days !== undefined ? { hours: Math.round(days * 24) } : {}),
}).catch((err: unknown) => {
  // Damaged saved state: one paragraph naming the file and what to do, no stack, no file content.
  if (!(err instanceof CorruptLocalState)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    // Clean stop: the current hour finishes and the queue drains; nothing in flight is abandoned.
    stopping = true;
    process.stderr.write('\nstopping after the current simulated hour…\n');
  });
if (runtime.resumed) {
  const r = runtime.resumed;
  out(
    `persist: continuing the run saved in ${PERSIST_DIR} at ${new Date(r.at).toISOString().slice(0, 16)} UTC; ${r.recovered} queued message(s) recovered\n`,
  );
  if (r.droppedPartialRecords)
    out(
      `persist: ${r.droppedPartialRecords} partial record at the end of ${PERSIST_DIR}/queue.jsonl (a write cut short when the process was killed) dropped: a send cut short never reached the queue; a delete cut short only means that message is delivered again, and the executor knows it by its id\n`,
    );
  if (r.droppedTranscriptRecords)
    out(
      `persist: ${r.droppedTranscriptRecords} partial bot message at the end of ${PERSIST_DIR}/transcript.jsonl (cut short when the process was killed) dropped from the transcript\n`,
    );
} else if (args.persist) out(`persist: state kept in ${PERSIST_DIR} (the same command continues it)\n`);
out(
  `telegram: npm run tg -- "/futures_status" (webhook ${runtime.telegram?.webhookUrl}; bot messages ${speed === undefined ? 'in the transcript' : 'below'})\n`,
);
if (runtime.dashboard)
  out(
    `dashboard: ${runtime.dashboard.url} — sign in once within 10 minutes: ${runtime.dashboard.link}\n` +
      `  (also in .local/dashboard.json; a new link: npm run tg -- /dashboard${args.serve ? '' : '; --serve keeps it up after the replay'})\n`,
  );
const started = Date.now();
const hours = await runtime.run(
  process.stderr.isTTY && speed === undefined
    ? progressBar('replay', (s) => process.stderr.write(s))
    : undefined,
  () => stopping,
  speed === undefined ? 0 : 3_600_000 / speed,
);
if (!args.serve) await runtime.stop();

// Whole-run figures: a --persist run resumed after a stop counts every process of it.
const result = runtime.result();
const totals = runtime.totals();
const count = (type: string) => totals.events[type] ?? 0;
out(
  `\nReplayed ${totals.hours} hours${totals.hours !== hours ? ` (${hours} in this session)` : ''} (${new Date(result.from).toISOString().slice(0, 16)} → ${new Date(result.to).toISOString().slice(0, 16)} UTC) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
if (defaultStretch && !runtime.resumed) {
  // The stretch stands only if the shipped data holds it; otherwise the run says what it replayed.
  const held = Math.abs(result.from - from) <= 3_600_000;
  out(
    held
      ? `Stretch: ${DEFAULT_STRETCH.from} + ${DEFAULT_STRETCH.days} days (the default; --from/--days choose another): ${DEFAULT_STRETCH.why}\n`
      : `Stretch: the default ${DEFAULT_STRETCH.from} + ${DEFAULT_STRETCH.days} days is not in the shipped data (the six-year series are not installed): replayed the first ${DEFAULT_STRETCH.days} days of what is\n`,
  );
}
// What the simulator replayed, and anything that stood in for a missing series (never silent).
const notes = (result as { dataNotes?: string[] }).dataNotes ?? [];
if (notes.length > 0) out(`Data:\n${notes.map((n) => `  ${n}\n`).join('')}`);
const rows = metricRows(result.metrics);
const width = Math.max(...rows.map(([k]) => k.length));
for (const [k, v] of rows) out(`  ${k.padEnd(width)}  ${v}\n`);
// OrderPlaced is published for an order left resting on the book; one filled at once is only a fill.
out(`  ${'Fills / orders left resting'.padEnd(width)}  ${count('OrderFilled')} / ${count('OrderPlaced')}\n`);
out(`  ${'Orders rejected'.padEnd(width)}  ${count('OrderRejected')}\n`);
out(`  ${'Halts'.padEnd(width)}  ${count('Halted')}\n`);
out(`  ${'Risk alerts'.padEnd(width)}  ${count('RiskAlert')}\n`);
out(`  ${'Strategy pauses'.padEnd(width)}  ${count('StrategyPaused')}\n`);
out(`  ${'Telegram messages'.padEnd(width)}  ${totals.telegramMessages}\n`);
// Per strategy (the books of shared/backtest/owner-books.ts): whose share of the account's change.
const { books, accountChange } = runtime.books();
out('\nBy strategy (each symbol booked to its one owner; manual = Telegram trades):\n');
for (const line of ownerBooksTable(books, accountChange)) out(`  ${line}\n`);
if (result.metrics.trades === 0) {
  out(
    'No trades: the strategies found no entry in this stretch. Try ENABLED_STRATEGIES=grid,volatility_breakout npm start\n',
  );
}
if (!args['no-report']) {
  mkdirSync('reports', { recursive: true });
  const path = 'reports/local-run.html';
  writeFileSync(
    path,
    renderReport(result, {
      title: 'Local paper-trading run',
      strategy: config.strategies.join(', '),
      symbol: config.SYMBOLS.join(', '),
      params,
      settings: { mode: 'local runtime (dynalite, in-process queue, simulated exchange)' },
    }),
  );
  out(`Report: ${path}\n`);
  const t = totals.transcript;
  writeFileSync('reports/telegram-transcript.txt', t.join('\n') + (t.length ? '\n' : ''));
  out('Telegram transcript: reports/telegram-transcript.txt\n');
}
if (args.serve) {
  out(
    `\nServing the dashboard at ${runtime.dashboard?.url} (npm run tg -- /dashboard for a sign-in link); Ctrl-C to stop\n`,
  );
  while (!stopping) await new Promise((r) => setTimeout(r, 250));
  await runtime.stop();
}

/**
 * `--exchange binance-testnet`: the live wiring (infra/local/live.ts) against Binance's demo trading
 * through the ccxt adapter, on the wall clock, until Ctrl-C. Documented, not run in CI (no network).
 */
async function runOnBinanceTestnet(): Promise<void> {
  // Loaded only here: the replay never pays for ccxt's import.
  const { BinanceExchange } = await import('../../shared/adapters/binance/binance-exchange.ts');
  const { binanceCredentials } = await import('../../shared/adapters/binance/credentials.ts');
  let creds: { apiKey: string; secret: string };
  try {
    creds = await binanceCredentials(process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message} (keys of a Binance demo-trading account)\n`);
    process.exit(2);
  }
  const exchange = new BinanceExchange({ ...creds, symbols: config.SYMBOLS, testnet: true });
  try {
    await exchange.loadMarkets();
  } catch (err) {
    process.stderr.write(`cannot reach Binance demo trading: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    `AutoCoin Futures — live on Binance demo trading (real orders on the demo account)\n` +
      `strategies: ${describeAssignment(config.assignment, config.idleStrategies)}\n` +
      'wiring: scheduler (infra/schedules.ts, wall clock) → handlers → FIFO queue → order-executor → Binance; state in dynalite\n',
  );
  const live = await startLiveRuntime({
    config,
    exchange,
    ...(args.persist ? { dataPath: '.local/live-state/dynalite' } : {}),
    telegram: { onMessage: (m) => process.stderr.write(`🤖 ${plainText(m.text)}\n`) },
  });
  process.stdout.write(`telegram: npm run tg -- "/futures_status" (webhook ${live.telegram?.webhookUrl})\n`);
  let stop = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      stop = true;
      process.stderr.write('\nstopping: running functions finish, the queue drains…\n');
    });
  await live.run(() => stop);
  await live.stop();
  const n = (t: string) => live.bus.events.filter((e) => e.type === t).length;
  process.stdout.write(
    `orders placed ${n('OrderPlaced')}, rejected ${n('OrderRejected')}; alerts ${n('RiskAlert')}\n`,
  );
}
