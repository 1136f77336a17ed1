// The cost model's measured quantities held to the code: the guardian's DynamoDB request units per
// flat and exposed minute (dynalite, simulated exchange, fake clock), and the alarms and dashboard
// metrics the Observability construct creates, counted without synthesizing the stack.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Function as LambdaFn } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Observability } from '../../infra/aws/constructs/observability.ts';
import { LAMBDA_FUNCTIONS } from '../../infra/build/bundle.ts';
import { DYNAMO, observabilityCounts } from '../../infra/cost/quantities.ts';
import { makeGuardianHandler } from '../../shared/app/monitors/guardian-handler.ts';
import { loadConfig } from '../../shared/config/env.ts';
import { startDynamo } from '../support/dynalite.ts';
import { countRequestUnits } from '../support/dynamo-units.ts';
import { monitorHarness } from '../support/monitor-harness.ts';

let dynamo: Awaited<ReturnType<typeof startDynamo>>;
beforeAll(async () => {
  dynamo = await startDynamo('autocoin-cost-units');
});
afterAll(async () => {
  await dynamo.stop();
});

describe('guardian DynamoDB request units (what the cost model bills)', () => {
  it('a flat minute and an exposed minute read and write what DYNAMO says; the view is written on change only', async () => {
    const h = await monitorHarness(dynamo, {}, [60_000, 60_000, 60_000]);
    const guardian = makeGuardianHandler(async () => h.deps, {
      sleep: async (ms) => {
        h.advanceClock(ms);
      },
    });
    const m = h.deps.clock.now();
    const at = async (offsetMs: number) => {
      h.advanceClock(m + offsetMs - h.deps.clock.now());
      return guardian({ time: new Date(m + offsetMs).toISOString() }, {} as never);
    };
    await at(0); // the day's first run records its start-of-day figures
    const units = countRequestUnits(dynamo.client);
    await at(60_000);
    expect(units.reads).toBe(DYNAMO['guardian-flat'][0]);
    expect(units.writes).toBeLessThanOrEqual(DYNAMO['guardian-flat'][1]);
    await h.order({ side: 'buy', quantity: 0.01 });
    await h.order({ side: 'sell', type: 'stop_market', stopPrice: 55_000, quantity: 0.01, reduceOnly: true });
    await at(120_000); // the first exposed minute records the position's stop
    const before = { ...units };
    expect((await at(180_000)).checks).toBe(12);
    expect(units.reads - before.reads).toBe(DYNAMO['guardian-exposed-minute'][0]);
    // 12 checks, nothing changed: the account view once, not 12 times.
    expect(units.writes - before.writes).toBeLessThanOrEqual(DYNAMO['guardian-exposed-minute'][1]);
  });
});

describe('alarms and dashboard metrics (what the cost model counts)', () => {
  const config = loadConfig({});
  function bare(dashboard: boolean) {
    const stack = new Stack(new App(), 'Bare', {
      env: { account: '123456789012', region: 'ap-northeast-1' },
    });
    const functions = Object.fromEntries(
      LAMBDA_FUNCTIONS.map((n) => [n, LambdaFn.fromFunctionName(stack, n, n)]),
    );
    const arn = 'arn:aws:sqs:ap-northeast-1:123456789012:';
    new Observability(stack, 'O', {
      functions: functions as never,
      queue: Queue.fromQueueArn(stack, 'q', `${arn}q.fifo`),
      deadLetters: Queue.fromQueueArn(stack, 'd', `${arn}d.fifo`),
      config,
      dashboard,
    });
    return Template.fromStack(stack);
  }
  it('at most 10 alarms; a dashboard only when asked for, within the 50 metrics of a free one', () => {
    const counts = observabilityCounts(config);
    expect(counts.alarms).toBeLessThanOrEqual(10);
    expect(counts.dashboardMetrics).toBeLessThanOrEqual(50);
    bare(false).resourceCountIs('AWS::CloudWatch::Alarm', counts.alarms);
    bare(false).resourceCountIs('AWS::CloudWatch::Dashboard', 0);
    bare(true).resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
