// Assertions on the synthesized CloudFormation template (real CDK synth, offline, bundles built by the
// local esbuild). The stack is built once for the file.
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/aws/app.ts';
import { FUNCTION_SPECS } from '../../infra/aws/constructs/functions.ts';
import {
  EXECUTOR_BATCH_SIZE,
  MAX_RECEIVE_COUNT,
  queueVisibilityTimeout,
} from '../../infra/aws/constructs/queue.ts';
import { EXCHANGE_READERS } from '../../infra/aws/stack.ts';
import { LAMBDA_FUNCTIONS } from '../../infra/build/bundle.ts';
import { observabilityCounts } from '../../infra/cost/quantities.ts';
import { BILLED_FUNCTIONS } from '../../infra/cost.ts';
import { SCHEDULES } from '../../infra/schedules.ts';
import { CLOUDWATCH_METRICS } from '../../shared/adapters/aws/metric-catalog.ts';

// Values that look like secrets in the synth environment: none may reach the template.
const SECRET_VALUES = {
  BINANCE_API_KEY: 'binance-key-must-not-leak-1234',
  BINANCE_API_SECRET: 'binance-secret-must-not-leak-5678',
  TELEGRAM_WEBHOOK_SECRET: 'webhook_secret_must_not_leak_90',
};

let template: Template;
let json: string;
let built: ReturnType<typeof buildApp>;
beforeAll(() => {
  built = buildApp(
    {
      ENABLED_STRATEGIES: 'grid',
      SYMBOLS: 'BTCUSDT,ETHUSDT',
      STRATEGY_SYMBOLS: 'grid=ETHUSDT',
      ...SECRET_VALUES,
    },
    // With the (opt-in) CloudWatch dashboard, so its widgets are checked too.
    { allowedChatIds: '424242', alarmEmail: 'owner@example.com', cloudwatchDashboard: 'true' },
  );
  built.app.synth(); // runs cdk-nag: a finding without an acknowledgement fails synthesis
  template = Template.fromStack(built.stack);
  json = JSON.stringify(template.toJSON());
}, 180_000);

const logicalId = (fn: string) =>
  built.stack.getLogicalId(
    built.stack.functions[fn as keyof typeof built.stack.functions].node.defaultChild as never,
  );

describe('AutoCoinFutures stack', () => {
  it('every function: Node.js 22 on arm64, with a log group that expires', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    // The product's functions, and the web dashboard's (its own construct, infra/aws/constructs/dashboard.ts).
    expect(Object.keys(fns)).toHaveLength(LAMBDA_FUNCTIONS.length + 1);
    for (const f of Object.values(fns))
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(LAMBDA_FUNCTIONS.length + 1);
    for (const g of groups) expect(g.Properties.RetentionInDays).toBeGreaterThan(0);
  });

  it('every entry of the schedule table has its rule at its rate; the tick one per strategy × symbol', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (r) => r.Properties.ScheduleExpression,
    );
    // Every function that is not driven by a queue, a URL or the event bus runs on the table.
    const driven = ['order-executor', 'telegram-webhook', 'notifier'];
    expect(SCHEDULES.map((e) => e.fn).sort()).toEqual(
      LAMBDA_FUNCTIONS.filter((f) => !driven.includes(f)).sort(),
    );
    for (const entry of SCHEDULES) {
      const expr = Schedule.rate(Duration.minutes(entry.rateMinutes)).expressionString;
      const mine = rules.filter((r) => r.Properties.Targets[0].Arn['Fn::GetAtt'][0] === logicalId(entry.fn));
      // The assignment, not the cross product: funding_arbitrage on BTCUSDT, grid on ETHUSDT.
      expect(mine.length).toBe(entry.perStrategySymbol ? 2 : 1);
      for (const r of mine) expect(r.Properties.ScheduleExpression).toBe(expr);
    }
    const tickInputs = rules
      .map((r) => r.Properties.Targets[0].InputTransformer?.InputTemplate ?? '')
      .filter((t: string) => t.includes('strategy'));
    expect(tickInputs.some((t: string) => t.includes('"grid"') && t.includes('"ETHUSDT"'))).toBe(true);
    expect(tickInputs.some((t: string) => t.includes('"grid"') && t.includes('"BTCUSDT"'))).toBe(false);
  });

  it('the executor: reserved concurrency 1 and the FIFO queue as event source with batch item failures', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 1,
      FunctionName: Match.absent(),
    });
    const executor = template.findResources('AWS::Lambda::Function')[logicalId('order-executor')]!;
    expect(executor.Properties.ReservedConcurrentExecutions).toBe(1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId('order-executor') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('the queue is FIFO with a FIFO dead-letter queue, and hides a message longer than the executor runs', () => {
    const queues = Object.values(template.findResources('AWS::SQS::Queue')).filter(
      (q) => q.Properties.FifoQueue,
    );
    expect(queues).toHaveLength(2); // the orders and their dead letters (the third queue keeps undelivered notifications)
    for (const q of queues) expect(q.Properties.FifoQueue).toBe(true);
    const main = queues.find((q) => q.Properties.RedrivePolicy)!;
    expect(main.Properties.RedrivePolicy.maxReceiveCount).toBe(MAX_RECEIVE_COUNT);
    expect(main.Properties.VisibilityTimeout).toBeGreaterThan(60);
    for (const q of queues) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('defect 2: the executor hands failed records back early and dead-letters unknown outcomes itself', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    const [mainId, main] = Object.entries(queues).find(([, q]) => q.Properties.RedrivePolicy)!;
    const dlqId = Object.keys(queues).find((k) => k !== mainId)!;
    // The numbers the queue-priority test runs with are the ones synthesized.
    expect(main.Properties.VisibilityTimeout).toBe(
      queueVisibilityTimeout(FUNCTION_SPECS['order-executor'].timeout).toSeconds(),
    );
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: logicalId('order-executor') },
      BatchSize: EXECUTOR_BATCH_SIZE,
    });
    const executor = template.findResources('AWS::Lambda::Function')[logicalId('order-executor')]!;
    expect(executor.Properties.Environment.Variables.DEAD_LETTER_QUEUE_URL).toEqual({
      Ref: dlqId,
    });
    const role = executor.Properties.Role['Fn::GetAtt'][0];
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((p) => p.Properties.PolicyDocument.Statement);
    const allows = (action: string, queueId: string) =>
      statements.some(
        (st) => [st.Action].flat().includes(action) && JSON.stringify(st.Resource).includes(`"${queueId}"`),
      );
    expect(allows('sqs:ChangeMessageVisibility', mainId)).toBe(true);
    expect(allows('sqs:SendMessage', dlqId)).toBe(true);
    // Only the executor sends to the dead-letter queue.
    const senders = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
      p.Properties.PolicyDocument.Statement.some(
        (st: { Action: string | string[]; Resource: unknown }) =>
          [st.Action].flat().includes('sqs:SendMessage') &&
          JSON.stringify(st.Resource).includes(`"${dlqId}"`),
      ),
    );
    expect(senders.flatMap((p) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref))).toEqual([role]);
  });

  it('the table: on demand, point-in-time recovery, TTL, deletion protection, retained', () => {
    const [id, table] = Object.entries(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
    expect(table.Properties.Replicas[0]).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(id).toBeTruthy();
  });

  it('the webhook has a Function URL; domain events reach the notifier; alarms reach it through SNS', () => {
    template.hasResourceProperties('AWS::Lambda::Url', {
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [logicalId('telegram-webhook'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['autocoin.futures'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      Endpoint: { 'Fn::GetAtt': [logicalId('notifier'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('has an alarm for each risk the trader must hear about', () => {
    const descriptions = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) =>
      String(a.Properties.AlarmDescription),
    );
    for (const pattern of [
      /a position is within 8 % of liquidation/,
      /margin ratio at or above 80 %/,
      /daily loss limit \(5 %\) reached/,
      /dead-letter queue/,
      /notification could not be delivered/,
      /order executor failed/,
      /waited over 2 minutes/,
      /guardian has not reported/,
    ]) {
      expect(
        descriptions.some((d) => pattern.test(d)),
        String(pattern),
      ).toBe(true);
    }
  });

  it("metrics, alarms and dashboard widgets match the cost model's counts; alarms ≤ 10", () => {
    const counts = observabilityCounts(built.config);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(counts.alarms);
    expect(alarms.length).toBeLessThanOrEqual(10);
    // Every alarm on a metric that exists: AWS's own, or a catalog metric under the function that sends it.
    for (const a of alarms) {
      const { Namespace, MetricName, Dimensions } = a.Properties;
      if (String(Namespace).startsWith('AWS/')) continue;
      expect(Namespace).toBe('AutoCoinFutures');
      const entry = CLOUDWATCH_METRICS.find((m) => m.name === MetricName);
      expect(entry, MetricName).toBeDefined();
      expect(Dimensions).toEqual([{ Name: 'service', Value: entry!.service }]);
    }
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    const shown = [...body.matchAll(/\[\\"(AWS\/\w+|AutoCoinFutures)\\",\\"(\w+)\\"/g)];
    expect(shown).toHaveLength(counts.dashboardMetrics);
    expect(shown.length).toBeLessThanOrEqual(50);
    for (const [, ns, name] of shown)
      if (ns === 'AutoCoinFutures')
        expect(
          CLOUDWATCH_METRICS.map((m) => m.name),
          name,
        ).toContain(name);
    // Every function in the stack is one the cost model bills (BILLED_FUNCTIONS in infra/cost.ts).
    const ours = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (f) => f.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );
    expect(ours.map((f) => f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort()).toEqual(
      [...BILLED_FUNCTIONS].sort(),
    );
    expect(Object.keys(template.findResources('AWS::Lambda::Function'))).toHaveLength(ours.length);
  });

  it('no secret value appears anywhere in the template; the functions get SSM parameter names only', () => {
    for (const v of Object.values(SECRET_VALUES)) expect(json).not.toContain(v);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const envOf = (fn: string) =>
      template.findResources('AWS::Lambda::Function')[logicalId(fn)]!.Properties.Environment.Variables;
    expect(envOf('order-executor').BINANCE_SECRET_ID).toBe('/autocoin-futures/binance-trading-key');
    for (const fn of EXCHANGE_READERS)
      expect(envOf(fn).BINANCE_SECRET_ID, fn).toBe('/autocoin-futures/binance-read-only-key');
    expect(envOf('notifier').TELEGRAM_BOT_TOKEN_SECRET_ID).toBe('/autocoin-futures/telegram-bot-token');
    expect(envOf('telegram-webhook').TELEGRAM_WEBHOOK_SECRET_SECRET_ID).toBe(
      '/autocoin-futures/telegram-webhook-secret',
    );
  });

  it('only the executor can read the trading key; the readers hold the read-only key; webhook and notifier neither', () => {
    const readersOf = (param: string) =>
      Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((p) =>
          p.Properties.PolicyDocument.Statement.some(
            (st: { Action: unknown; Resource: unknown }) =>
              st.Action === 'ssm:GetParameter' &&
              JSON.stringify(st.Resource).includes(`:parameter/autocoin-futures/${param}"`),
          ),
        )
        .flatMap((p) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    const roleOf = (fn: string) =>
      template.findResources('AWS::Lambda::Function')[logicalId(fn)]!.Properties.Role['Fn::GetAtt'][0];
    const trading = readersOf('binance-trading-key');
    const readOnly = readersOf('binance-read-only-key');
    expect(trading).toEqual([roleOf('order-executor')]);
    for (const fn of EXCHANGE_READERS) expect(readOnly, fn).toContain(roleOf(fn));
    expect(readOnly).not.toContain(roleOf('order-executor'));
    for (const fn of ['telegram-webhook', 'notifier']) {
      expect(readOnly, fn).not.toContain(roleOf(fn));
      expect(trading, fn).not.toContain(roleOf(fn));
    }
    // The web dashboard validates Mini App initData with the bot token; it holds no exchange key.
    const dashboardRole = Object.keys(template.findResources('AWS::IAM::Role')).find((k) =>
      k.startsWith('DashboardFunctionServiceRole'),
    )!;
    expect(trading).not.toContain(dashboardRole);
    expect(readOnly).not.toContain(dashboardRole);
    expect(readersOf('telegram-bot-token').sort()).toEqual(
      [roleOf('telegram-webhook'), roleOf('notifier'), dashboardRole].sort(),
    );
    expect(readersOf('telegram-webhook-secret')).toEqual([roleOf('telegram-webhook')]);
    // The key the trading key is encrypted with refuses its decryption to everyone but the executor's role.
    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    const deny = keys
      .flatMap((k) => k.Properties.KeyPolicy.Statement)
      .find((st: { Sid?: string }) => st.Sid === 'OnlyTheExecutorDecryptsTheTradingKey');
    expect(deny).toMatchObject({ Effect: 'Deny', Action: 'kms:Decrypt', Principal: { AWS: '*' } });
    expect(JSON.stringify(deny.Condition.StringEquals)).toContain(
      'parameter/autocoin-futures/binance-trading-key',
    );
    expect(JSON.stringify(deny.Condition.ArnNotEquals['aws:PrincipalArn'])).toContain(
      roleOf('order-executor'),
    );
  });

  it('no wildcard action in any IAM policy', () => {
    for (const p of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const st of p.Properties.PolicyDocument.Statement) {
        for (const action of [st.Action].flat()) expect(String(action)).not.toMatch(/(^\*$|:\*$)/);
      }
    }
  });
});
