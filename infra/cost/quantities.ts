// The quantities the bill is made of, derived from the code rather than typed in: the guardian's billed
// seconds from its own loop (runGuardian, timed on a fake clock with a stand-in check), alarms and
// dashboard metrics from the Observability construct itself (built in a throwaway stack, never
// synthesized), metric-hours from the metric catalog. What the code cannot tell — how long a call to
// Binance takes, how many bytes a log line has — is an estimate, named and explained here.
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { type CatalogMetric, CLOUDWATCH_METRICS } from '../../shared/adapters/aws/metric-catalog.ts';
import { runGuardian } from '../../shared/app/monitors/guardian.ts';
import { GUARDIAN_SAFETY_MS } from '../../shared/app/monitors/guardian-handler.ts';
import type { Config } from '../../shared/config/env.ts';
import { Observability } from '../aws/constructs/observability.ts';
import { LAMBDA_FUNCTIONS, type LambdaFunctionName } from '../build/bundle.ts';

/**
 * Estimates (not in the code): one guardian check from Tokyo — positions, open orders, balances, marks
 * from Binance (a few ms away, tens of ms each, partly parallel) and ~10 DynamoDB calls.
 */
export const GUARDIAN_CHECK_MS = 1_000;
/** Seconds per invocation of the other functions (network-bound calls to Binance, Telegram, AWS). */
export const DURATION_S: Record<Exclude<LambdaFunctionName, 'guardian'>, number> = {
  'strategy-tick': 3,
  'order-executor': 1.5,
  'funding-monitor': 3,
  'performance-monitor': 2,
  'telegram-webhook': 1,
  notifier: 0.5,
};
/**
 * DynamoDB request units per invocation (reads, writes). The guardian's are measured on dynalite
 * (test/infra/cost-quantities.test.ts holds them to the code): a flat minute's one check, and an exposed
 * minute of 12 checks — reads of the halt flag, start-of-day equity, risk state, the position's stop
 * record, pending intents, hedge ledgers and the advanced-orders book (brackets, TWAP plans: one read
 * per symbol a check); the account view written once a minute and on change
 * (~1 KB on the simulator; 2 units allow for a real wallet's longer balance list). The others are
 * estimates from their use cases' calls.
 */
export const DYNAMO = {
  'guardian-flat': [8, 2],
  'guardian-exposed-minute': [79, 2],
  'strategy-tick': [4, 3],
  'order-executor': [5, 4],
  'funding-monitor': [6, 4],
  'performance-monitor': [8, 3],
  'telegram-webhook': [4, 2],
  notifier: [1, 1],
} as const satisfies Record<
  Exclude<LambdaFunctionName, 'guardian'> | `guardian-${string}`,
  readonly [number, number]
>;
/**
 * Log bytes per invocation: Lambda's START/END/REPORT lines (~350 B), the function's structured line(s)
 * and its one EMF document; an exposed guardian minute adds ~100 B of values per check.
 */
export const LOG_BYTES = { invocation: 1_500, perExposedCheck: 100 } as const;
/**
 * The executor's SQS event source polls even an empty queue: Lambda keeps long-polling connections open
 * (20 s waits), each a billed ReceiveMessage (AWS Lambda developer guide, "Using Lambda with Amazon SQS":
 * five pollers to start). 5 × 3 a minute.
 */
export const SQS_IDLE_RECEIVES_PER_MINUTE = 5 * 3;
/** Share of orders that open exposure (entry, its stop, its exit): the executor's wake-ups. */
export const ENTRY_SHARE = 1 / 3;

/** The guardian's billed seconds for one invocation: its loop run on a fake clock, each check taking `checkMs`. */
export async function guardianSeconds(
  config: Pick<Config, 'POSITION_MONITOR_INTERVAL_SECONDS' | 'RISK_MONITOR_INTERVAL_SECONDS'>,
  o: { exposed: boolean; fromMs?: number; checkMs?: number },
): Promise<{ seconds: number; checks: number }> {
  const from = o.fromMs ?? 0;
  let now = from;
  const run = await runGuardian(
    { clock: { now: () => now }, config },
    { from, until: 60_000 - GUARDIAN_SAFETY_MS },
    async (ms) => {
      now += ms;
    },
    async () => {
      now += o.checkMs ?? GUARDIAN_CHECK_MS;
      return { exposed: o.exposed, danger: false, failed: [] };
    },
  );
  return { seconds: (now - from) / 1000, checks: run.checks };
}

/** A wake-up lands anywhere in a minute: the mean of its loop over each second it may start at. */
export async function wakeSeconds(
  config: Parameters<typeof guardianSeconds>[0],
): Promise<{ seconds: number; checks: number }> {
  let seconds = 0;
  let checks = 0;
  for (let s = 0; s < 60; s++) {
    const r = await guardianSeconds(config, { exposed: true, fromMs: s * 1_000 });
    seconds += r.seconds / 60;
    checks += r.checks / 60;
  }
  return { seconds, checks };
}

/** Alarms and dashboard metrics as the Observability construct creates them (a throwaway, unsynthesized stack). */
export function observabilityCounts(config: Config): { alarms: number; dashboardMetrics: number } {
  const stack = new Stack(new App(), 'CostModel', {
    env: { account: '123456789012', region: 'ap-northeast-1' },
  });
  const functions = Object.fromEntries(
    LAMBDA_FUNCTIONS.map((n) => [n, LambdaFn.fromFunctionName(stack, `fn-${n}`, n)]),
  ) as Record<LambdaFunctionName, ReturnType<typeof LambdaFn.fromFunctionName>>;
  const arn = (q: string) => `arn:aws:sqs:ap-northeast-1:123456789012:${q}`;
  const o = new Observability(stack, 'Observability', {
    functions,
    queue: Queue.fromQueueArn(stack, 'q', arn('orders.fifo')),
    deadLetters: Queue.fromQueueArn(stack, 'dlq', arn('orders-dlq.fifo')),
    config,
    dashboard: true,
  });
  return { alarms: o.alarms.length, dashboardMetrics: o.dashboardMetrics.length };
}

/** Months of data a catalog metric receives: all of it, the exposed share, or the hours with a rejection. */
export function metricMonths(
  m: CatalogMetric,
  p: { exposedFraction: number; rejectionsPerDay: number },
): number {
  if (m.sent === 'always') return 1;
  if (m.sent === 'exposed') return p.exposedFraction;
  return Math.min(1, p.rejectionsPerDay / 24); // at most every rejection in an hour of its own
}

export { CLOUDWATCH_METRICS };
