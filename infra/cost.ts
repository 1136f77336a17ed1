// `npm run cost`: the monthly AWS bill of a deployment, from the schedule table (infra/schedules.ts),
// the functions' memory sizes (infra/aws/constructs/functions.ts) and per-invocation durations.
// Loop monitors are billed for their whole minute by design (they sleep between iterations inside one
// invocation); other durations are estimates for a network-bound call to Binance (stated below).
// Prices: AWS list prices, us-east-1, arm64, on-demand, without free tiers (2026).
import { parseArgs } from 'node:util';
import { FUNCTION_SPECS } from './aws/constructs/functions.ts';
import { SCHEDULES } from './schedules.ts';

const PRICE = {
  lambdaGbSecond: 0.0000133334, // arm64
  lambdaRequest: 0.2 / 1e6,
  dynamoWrite: 0.625 / 1e6, // on-demand write request unit
  dynamoRead: 0.125 / 1e6, // on-demand read request unit
  sqsFifoRequest: 0.5 / 1e6,
  eventBridgeCustomEvent: 1 / 1e6,
  cloudWatchMetric: 0.3, // per custom metric per month
  cloudWatchAlarm: 0.1, // per standard alarm per month
  cloudWatchDashboard: 3,
  secret: 0.4, // per secret per month
  logsGb: 0.5, // ingestion
  kmsKey: 1, // customer-managed key per month (the alarm topic's)
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  publicIpv4Hour: 0.005,
};

/** Seconds per invocation (estimates, except the loops: a full minute by design). */
const DURATION_S = {
  'strategy-tick': 3,
  'order-executor': 1.5,
  'position-monitor': 59,
  'risk-monitor': 59,
  'funding-monitor': 3,
  'performance-monitor': 2,
  'telegram-webhook': 1,
  notifier: 0.5,
} as const;
/** DynamoDB requests per invocation (reads, writes), from the use cases. */
const DYNAMO = {
  'strategy-tick': [4, 3],
  'order-executor': [5, 4],
  // Per loop: positions, stop state, intents; the account view for the webhook (~2 KB: 2 write units).
  'position-monitor': [12 * 4, 12 * 4],
  'risk-monitor': [2 * 4, 2 * 2],
  'funding-monitor': [6, 4],
  'performance-monitor': [8, 3],
  'telegram-webhook': [4, 2],
  notifier: [1, 1],
} as const;
const MONTH_MIN = 30 * 24 * 60;

export function monthlyCost(p: {
  /** Symbols traded or watched; each is ticked by the one strategy it is assigned to. */
  symbols: number;
  strategies: number;
  /** Strategy ticks per hour: the (strategy, symbol) pairs of the assignment; default one per symbol. */
  ticks?: number;
  ordersPerDay: number;
  commandsPerDay: number;
  /** `nat`: the executor behind a NAT gateway with a fixed IP (the trading key's whitelist). */
  executorEgress?: 'lambda' | 'nat';
}) {
  const rows: { item: string; usd: number }[] = [];
  const add = (item: string, usd: number) => rows.push({ item, usd });
  const invocations: Record<string, number> = {
    'telegram-webhook': p.commandsPerDay * 30,
    'order-executor': p.ordersPerDay * 30,
  };
  for (const e of SCHEDULES) {
    // One tick per (strategy, symbol) of the assignment, never strategies × symbols: a symbol has one owner.
    const targets = e.perStrategySymbol ? (p.ticks ?? p.symbols) : 1;
    invocations[e.fn] = (invocations[e.fn] ?? 0) + (MONTH_MIN / e.rateMinutes) * targets;
  }
  invocations.notifier = p.ordersPerDay * 30 * 2 + 30 * 10; // fills and placements, plus alerts
  let events = 0;
  for (const [fn, n] of Object.entries(invocations)) {
    const spec = FUNCTION_SPECS[fn as keyof typeof FUNCTION_SPECS];
    const gbs = n * DURATION_S[fn as keyof typeof DURATION_S] * (spec.memoryMb / 1024);
    add(
      `Lambda ${fn} (${Math.round(n).toLocaleString('en-US')} invocations × ${DURATION_S[fn as keyof typeof DURATION_S]} s × ${spec.memoryMb} MB)`,
      gbs * PRICE.lambdaGbSecond + n * PRICE.lambdaRequest,
    );
    const [r, w] = DYNAMO[fn as keyof typeof DYNAMO];
    add(`DynamoDB ${fn}`, n * (r * PRICE.dynamoRead + w * PRICE.dynamoWrite));
    if (fn === 'strategy-tick') events += n;
  }
  add('SQS FIFO (send, receive, delete per order)', p.ordersPerDay * 30 * 3 * PRICE.sqsFifoRequest);
  add(
    'EventBridge custom events (ticks, orders)',
    (events + p.ordersPerDay * 30 * 2) * PRICE.eventBridgeCustomEvent,
  );
  // Account (equity, margin, PnL day/week, drawdown…), per symbol (liquidation distance, unrealised PnL,
  // funding rate, trailing moves), per strategy (win rate, realised PnL, loss streak, tick latency and
  // lag), per scheduled function (heartbeat, loop latency, skipped slots).
  const metrics = 11 + 4 * p.symbols + 5 * p.strategies + 3 * SCHEDULES.length;
  add(`CloudWatch custom metrics (${metrics})`, metrics * PRICE.cloudWatchMetric);
  // Risk, queue and executor alarms, the notifier's errors and undelivered notifications, per symbol
  // liquidation distance, a heartbeat per scheduled function.
  const alarms = 8 + p.symbols + SCHEDULES.length;
  add(`CloudWatch alarms (${alarms})`, alarms * PRICE.cloudWatchAlarm);
  add('CloudWatch dashboard', PRICE.cloudWatchDashboard);
  add('Secrets Manager (4 secrets: trading key, read-only key, bot token, webhook secret)', 4 * PRICE.secret);
  add('KMS customer-managed key (alarm topic)', PRICE.kmsKey);
  if (p.executorEgress === 'nat') {
    const hours = MONTH_MIN / 60;
    // ~1 GB a month: exchangeInfo on cold starts, order and account calls.
    add(
      'NAT gateway for a fixed egress IP (hours + ~1 GB)',
      hours * PRICE.natGatewayHour + PRICE.natGatewayGb,
    );
    add('Elastic IP (public IPv4 address)', hours * PRICE.publicIpv4Hour);
  }
  add('CloudWatch Logs ingestion (~1 GB)', PRICE.logsGb);
  rows.sort((a, b) => b.usd - a.usd);
  return { rows, total: rows.reduce((s, r) => s + r.usd, 0) };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      symbols: { type: 'string' },
      strategies: { type: 'string' },
      orders: { type: 'string' },
      commands: { type: 'string' },
    },
  });
  const scenarios: { name: string; symbols: number; strategies: number; executorEgress?: 'nat' }[] = [
    { name: 'defaults: 1 symbol × 1 strategy', symbols: 1, strategies: 1 },
    {
      name: `${values.strategies ?? 4} strategies on ${values.symbols ?? 4} symbols (each symbol one strategy's)`,
      symbols: Number(values.symbols ?? 4),
      strategies: Number(values.strategies ?? 4),
    },
    {
      name: 'defaults with a fixed egress IP for the executor (executorEgress=nat)',
      symbols: 1,
      strategies: 1,
      executorEgress: 'nat',
    },
  ];
  for (const s of scenarios) {
    const c = monthlyCost({
      symbols: s.symbols,
      strategies: s.strategies,
      ordersPerDay: Number(values.orders ?? 20) * s.strategies,
      commandsPerDay: Number(values.commands ?? 20),
      ...(s.executorEgress ? { executorEgress: s.executorEgress } : {}),
    });
    process.stdout.write(
      `\nMonthly AWS cost, ${s.name} (${Number(values.orders ?? 20) * s.strategies} orders/day): $${c.total.toFixed(2)}\n`,
    );
    for (const r of c.rows) process.stdout.write(`  $${r.usd.toFixed(2).padStart(7)}  ${r.item}\n`);
  }
}
