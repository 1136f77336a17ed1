// `npm run cost [-- --json]`: the monthly AWS bill of a deployment, with and without the always-free tier,
// for named scenarios (the default first). Quantities come from the code: invocations from the schedule
// table (infra/schedules.ts) and the functions list (infra/build/bundle.ts), memory from FUNCTION_SPECS,
// the guardian's billed seconds from its own loop, metrics from the metric catalog, alarms and dashboard
// metrics from the Observability construct (infra/cost/quantities.ts). Prices: infra/cost/prices.ts.
import { parseArgs } from 'node:util';
import { type Config, loadConfig } from '../shared/config/env.ts';
import { DASHBOARD_MEMORY_MB } from './aws/constructs/dashboard.ts';
import { FUNCTION_SPECS } from './aws/constructs/functions.ts';
import { DASHBOARD_FUNCTION, LAMBDA_FUNCTIONS, type LambdaFunctionName } from './build/bundle.ts';
import { FREE_TIER, type FreeTierKey, PRICE } from './cost/prices.ts';
import {
  CLOUDWATCH_METRICS,
  DURATION_S,
  DYNAMO,
  ENTRY_SHARE,
  guardianSeconds,
  LOG_BYTES,
  metricMonths,
  observabilityCounts,
  SQS_IDLE_RECEIVES_PER_MINUTE,
  wakeSeconds,
} from './cost/quantities.ts';
import { SCHEDULES } from './schedules.ts';

export interface Scenario {
  name: string;
  /** (strategy, symbol) pairs of the assignment: one strategy tick each per hour. */
  ticks: number;
  ordersPerDay: number;
  /** Orders the executor rejects (the tick's risk pre-check already filters most): the OrdersRejected hours. */
  rejectionsPerDay: number;
  commandsPerDay: number;
  /** Share of the month with a position (or order, or hedge leg) open: the guardian loops then. */
  exposedFraction: number;
  /**
   * How the executor reaches Binance: `lambda` (no fixed IP: the spot permission of an un-whitelisted
   * trading key lapses after 30 days), a NAT gateway or a NAT instance with an Elastic IP to whitelist.
   */
  egress: 'lambda' | 'nat-gateway' | 'nat-instance';
  /** The CloudWatch dashboard (context cloudwatchDashboard=true). */
  cloudwatchDashboard: boolean;
  /** Web dashboard page views a month (its Lambda runs only when the trader looks). */
  dashboardViewsPerMonth: number;
}

/**
 * The web dashboard (issue 18), measured locally: a first page load is 6 requests (page, script, chart
 * library, data, chart, icon; assets then cached an hour), ~0.2 s each, and ~130 DynamoDB read units
 * per view (mostly the 30-day equity-snapshot query).
 */
export const DASHBOARD_PER_VIEW = { invocations: 6, seconds: 0.2, reads: 130 } as const;
/** Every function the stack deploys is one this model bills (held to the template by test/infra/stack.test.ts). */
export const BILLED_FUNCTIONS = [...LAMBDA_FUNCTIONS, DASHBOARD_FUNCTION] as const;

export interface CostItem {
  item: string;
  usd: number;
  usdFreeTier: number;
}
export interface ScenarioCost {
  name: string;
  monthlyUsd: number;
  monthlyUsdFreeTier: number;
  items: CostItem[];
}

const MONTH_MIN = 30 * 24 * 60;
const MONTH_H = MONTH_MIN / 60;
const GB = 1024 ** 3;

/** Invocations a month of a function that no schedule runs: its traffic. A new function needs a line here. */
const TRAFFIC: Record<LambdaFunctionName, (s: Scenario) => number> = {
  'order-executor': (s) => s.ordersPerDay * 30,
  'telegram-webhook': (s) => s.commandsPerDay * 30,
  // Domain events (an order placed and filled) and ~10 alerts a day.
  notifier: (s) => s.ordersPerDay * 30 * 2 + 30 * 10,
  'strategy-tick': () => 0,
  guardian: () => 0,
  'funding-monitor': () => 0,
  'performance-monitor': () => 0,
};

function scheduled(fn: LambdaFunctionName, s: Scenario): number {
  let n = 0;
  for (const e of SCHEDULES)
    if (e.fn === fn) n += (MONTH_MIN / e.rateMinutes) * (e.perStrategySymbol ? s.ticks : 1);
  return n;
}

export async function monthlyCost(s: Scenario, config: Config = loadConfig({})): Promise<ScenarioCost> {
  const items: CostItem[] = [];
  const free: Record<FreeTierKey, number> = { ...FREE_TIER };
  /** A line of the bill: its parts at their prices, each against what is left of its free allowance. */
  const add = (item: string, parts: { qty: number; price: number; free?: FreeTierKey }[]) => {
    let usd = 0;
    let usdFreeTier = 0;
    for (const p of parts) {
      usd += p.qty * p.price;
      const covered = p.free ? Math.min(p.qty, free[p.free]) : 0;
      if (p.free) free[p.free] -= covered;
      usdFreeTier += (p.qty - covered) * p.price;
    }
    items.push({ item, usd, usdFreeTier });
  };
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  const lambda = (item: string, fn: LambdaFunctionName, invocations: number, seconds: number) => {
    const gb = FUNCTION_SPECS[fn].memoryMb / 1024;
    add(
      `Lambda ${fn}${item} (${n(invocations)} × ${seconds.toFixed(1)} s × ${FUNCTION_SPECS[fn].memoryMb} MB)`,
      [
        { qty: invocations * seconds * gb, price: PRICE.lambdaGbSecond, free: 'lambdaGbSeconds' },
        { qty: invocations, price: PRICE.lambdaRequest, free: 'lambdaRequests' },
      ],
    );
  };
  const dynamo = (item: string, reads: number, writes: number) =>
    add(`DynamoDB ${item} (${n(reads)} reads, ${n(writes)} writes)`, [
      { qty: reads, price: PRICE.dynamoRead },
      { qty: writes, price: PRICE.dynamoWrite },
    ]);

  // The guardian: flat minutes one check, exposed minutes the loop, and the executor's wake-ups.
  const guardianRuns = scheduled('guardian', s);
  const flat = await guardianSeconds(config, { exposed: false });
  const exposed = await guardianSeconds(config, { exposed: true });
  const wake = await wakeSeconds(config);
  const wakes = s.ordersPerDay * 30 * ENTRY_SHARE * (1 - s.exposedFraction);
  const flatRuns = guardianRuns * (1 - s.exposedFraction);
  const exposedRuns = guardianRuns * s.exposedFraction;
  lambda(', flat minutes: one check', 'guardian', flatRuns, flat.seconds);
  lambda(', exposed minutes: the 5 s loop', 'guardian', exposedRuns, exposed.seconds);
  lambda(", the executor's wake-ups", 'guardian', wakes, wake.seconds);
  // An exposed minute's request units per check, for the wake-ups' shorter loops.
  const [flatReads, flatWrites] = DYNAMO['guardian-flat'];
  const [minuteReads, minuteWrites] = DYNAMO['guardian-exposed-minute'];
  const wakeShare = wake.checks / exposed.checks;
  dynamo(
    'guardian',
    flatRuns * flatReads + (exposedRuns + wakes * wakeShare) * minuteReads,
    flatRuns * flatWrites + (exposedRuns + wakes) * minuteWrites,
  );
  const exposedSlots = exposedRuns * exposed.checks + wakes * wake.checks;
  let invocations = flatRuns + exposedRuns + wakes;
  for (const fn of LAMBDA_FUNCTIONS) {
    if (fn === 'guardian') continue;
    const count = scheduled(fn, s) + TRAFFIC[fn](s);
    invocations += count;
    lambda('', fn, count, DURATION_S[fn]);
    dynamo(fn, count * DYNAMO[fn][0], count * DYNAMO[fn][1]);
  }
  const views = s.dashboardViewsPerMonth;
  const dashInvocations = views * DASHBOARD_PER_VIEW.invocations;
  invocations += dashInvocations;
  add(
    `Lambda ${DASHBOARD_FUNCTION} (${n(views)} views × ${DASHBOARD_PER_VIEW.invocations} requests × ${DASHBOARD_PER_VIEW.seconds} s × ${DASHBOARD_MEMORY_MB} MB)`,
    [
      {
        qty: dashInvocations * DASHBOARD_PER_VIEW.seconds * (DASHBOARD_MEMORY_MB / 1024),
        price: PRICE.lambdaGbSecond,
        free: 'lambdaGbSeconds',
      },
      { qty: dashInvocations, price: PRICE.lambdaRequest, free: 'lambdaRequests' },
    ],
  );
  dynamo(DASHBOARD_FUNCTION, views * DASHBOARD_PER_VIEW.reads, 0);
  add('DynamoDB storage and point-in-time recovery (~0.1 GB)', [
    { qty: 0.1, price: PRICE.dynamoStorageGbMonth, free: 'dynamoStorageGb' },
    { qty: 0.1, price: PRICE.dynamoPitrGbMonth },
  ]);
  const orders = s.ordersPerDay * 30;
  const idleReceives = SQS_IDLE_RECEIVES_PER_MINUTE * MONTH_MIN;
  add(`SQS FIFO (${n(idleReceives)} idle long polls by the event source; send, receive, delete per order)`, [
    { qty: idleReceives + orders * 3, price: PRICE.sqsFifoRequest, free: 'sqsRequests' },
  ]);
  const ticks = scheduled('strategy-tick', s);
  add(`EventBridge custom events (ticks, orders, wake-ups: ${n(ticks + orders * 2 + wakes)})`, [
    { qty: ticks + orders * 2 + wakes, price: PRICE.eventBridgeCustomEvent },
  ]);

  const metricMonthsTotal = CLOUDWATCH_METRICS.reduce((a, m) => a + metricMonths(m, s), 0);
  add(
    `CloudWatch custom metrics (${CLOUDWATCH_METRICS.length}, ${metricMonthsTotal.toFixed(2)} metric-months: ${CLOUDWATCH_METRICS.map((m) => m.name).join(', ')})`,
    [{ qty: metricMonthsTotal, price: PRICE.cloudWatchMetricMonth, free: 'cloudWatchMetrics' }],
  );
  const counts = observabilityCounts(config);
  add(`CloudWatch alarms (${counts.alarms})`, [
    { qty: counts.alarms, price: PRICE.cloudWatchAlarm, free: 'cloudWatchAlarms' },
  ]);
  if (s.cloudwatchDashboard)
    add(`CloudWatch dashboard (${counts.dashboardMetrics} metrics)`, [
      {
        qty: 1,
        price: PRICE.cloudWatchDashboard,
        ...(counts.dashboardMetrics <= 50 ? { free: 'cloudWatchDashboards' as const } : {}),
      },
    ]);
  const logGb = (invocations * LOG_BYTES.invocation + exposedSlots * LOG_BYTES.perExposedCheck) / GB;
  add(`CloudWatch Logs (${logGb.toFixed(2)} GB ingested, kept a month)`, [
    { qty: logGb, price: PRICE.logsIngestGb, free: 'logsIngestGb' },
    { qty: logGb, price: PRICE.logsStoreGbMonth, free: 'logsStoreGb' },
  ]);
  add('KMS customer-managed key (the alarm topic)', [{ qty: 1, price: PRICE.kmsKeyMonth }]);
  // One decrypt per secret a cold start reads; containers live hours: a few thousand a month.
  add('SSM Parameter Store SecureString (4 standard parameters; KMS decrypts on cold starts)', [
    { qty: 4, price: PRICE.ssmStandardParameter },
    { qty: 5_000, price: PRICE.kmsRequest, free: 'kmsRequests' },
  ]);
  if (s.egress === 'nat-gateway') {
    add(`NAT gateway (${MONTH_H} h + ~1 GB processed)`, [
      { qty: MONTH_H, price: PRICE.natGatewayHour },
      { qty: 1, price: PRICE.natGatewayGb },
    ]);
  }
  if (s.egress === 'nat-instance') {
    add(`NAT instance t4g.nano (${MONTH_H} h) and its 8 GB gp3 volume`, [
      { qty: MONTH_H, price: PRICE.t4gNanoHour },
      { qty: 8, price: PRICE.gp3GbMonth },
    ]);
  }
  if (s.egress !== 'lambda')
    add(`Elastic IP, the public IPv4 address to whitelist (${MONTH_H} h)`, [
      { qty: MONTH_H, price: PRICE.publicIpv4Hour },
    ]);

  items.sort((a, b) => b.usd - a.usd);
  const sum = (k: 'usd' | 'usdFreeTier') => items.reduce((a, i) => a + i[k], 0);
  return { name: s.name, monthlyUsd: sum('usd'), monthlyUsdFreeTier: sum('usdFreeTier'), items };
}

const DEFAULT: Scenario = {
  name: 'default: 1 strategy on 1 symbol, 20 orders a day, positions open a quarter of the time',
  ticks: 1,
  ordersPerDay: 20,
  rejectionsPerDay: 2,
  commandsPerDay: 20,
  exposedFraction: 0.25,
  egress: 'lambda',
  cloudwatchDashboard: false,
  dashboardViewsPerMonth: 100,
};

/** The scenarios `npm run cost` prints, the default first. */
export function scenarios(o: { ticks?: number; orders?: number; commands?: number } = {}): Scenario[] {
  const d: Scenario = {
    ...DEFAULT,
    ...(o.orders !== undefined ? { ordersPerDay: o.orders } : {}),
    ...(o.commands !== undefined ? { commandsPerDay: o.commands } : {}),
  };
  const ticks = o.ticks ?? 4;
  return [
    d,
    { ...d, name: 'default with a position open all month', exposedFraction: 1 },
    {
      ...d,
      name: 'default plus the CloudWatch dashboard (-c cloudwatchDashboard=true)',
      cloudwatchDashboard: true,
    },
    {
      ...d,
      name: `${ticks} strategies, each on its own symbol, positions open half the time`,
      ticks,
      ordersPerDay: d.ordersPerDay * ticks,
      exposedFraction: 0.5,
    },
    {
      ...d,
      name: 'fixed egress IP through a NAT gateway (-c executorEgress=nat)',
      egress: 'nat-gateway',
    },
    {
      ...d,
      name: 'fixed egress IP through a NAT instance (t4g.nano; not built by the stack)',
      egress: 'nat-instance',
    },
    {
      ...d,
      name: 'no spot leg (a futures-only strategy: no IP whitelist needed, same bill as the default)',
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err; // `npm run cost | head` closes the pipe early: not an error
  });
  const fail = (message: string): never => {
    process.stderr.write(`npm run cost: ${message}\n`);
    process.exit(2);
  };
  let values: { json?: boolean; symbols?: string; orders?: string; commands?: string } = {};
  try {
    values = parseArgs({
      options: {
        json: { type: 'boolean' },
        symbols: { type: 'string' },
        orders: { type: 'string' },
        commands: { type: 'string' },
      },
    }).values;
  } catch (err) {
    fail(`${(err as Error).message} (options: --json, --symbols N, --orders N, --commands N)`);
  }
  /** A count a day or of symbols: a whole number, at least `min`; anything else is refused, nothing priced. */
  const count = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min)
      return fail(`--${name} must be a whole number ≥ ${min} (got "${v}")`);
    return n;
  };
  const ticks = count('symbols', values.symbols, 1);
  const orders = count('orders', values.orders, 0);
  const commands = count('commands', values.commands, 0);
  const list = scenarios({
    ...(ticks !== undefined ? { ticks } : {}),
    ...(orders !== undefined ? { orders } : {}),
    ...(commands !== undefined ? { commands } : {}),
  });
  const results: ScenarioCost[] = [];
  for (const s of list) results.push(await monthlyCost(s));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ scenarios: results }, null, 2)}\n`);
  } else {
    for (const c of results) {
      process.stdout.write(
        `\n${c.name}: $${c.monthlyUsd.toFixed(2)} a month ($${c.monthlyUsdFreeTier.toFixed(2)} with the always-free tier)\n`,
      );
      for (const i of c.items)
        process.stdout.write(
          `  $${i.usd.toFixed(2).padStart(6)}  $${i.usdFreeTier.toFixed(2).padStart(6)}  ${i.item}\n`,
        );
    }
    process.stdout.write(
      '\nColumns: list price; with the always-free tier. Prices: ap-northeast-1 (infra/cost/prices.ts).\n',
    );
  }
}
