// What the trader watches: one dashboard and the alarms, every alarm to an SNS topic that the notifier
// turns into a Telegram message. Metric names and dimensions are the ones the functions emit in EMF
// (namespace AutoCoinFutures, Powertools' `service` dimension = the function name).
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../../shared/adapters/aws/emf-metrics.ts';
import type { Config } from '../../../shared/config/env.ts';
import type { LambdaFunctionName } from '../../build/bundle.ts';
import { SCHEDULES } from '../../schedules.ts';

const m = (
  name: string,
  service: string,
  dims: Record<string, string> = {},
  statistic = 'Average',
  period = Duration.minutes(1),
) =>
  new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service, ...dims },
    statistic,
    period,
  });

export class Observability extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** Alarm notifications and domain events the notifier could not take: kept 14 days, alarmed. */
  readonly undeliveredNotifications: Queue;
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;
  constructor(
    scope: Construct,
    id: string,
    props: {
      functions: Record<LambdaFunctionName, NodejsFunction>;
      queue: Queue;
      deadLetters: Queue;
      config: Config;
    },
  ) {
    super(scope, id);
    const { functions: f, config: c } = props;
    // Alarm delivery. CloudWatch cannot use the AWS-managed `alias/aws/sns` key (its policy cannot be
    // changed, so an alarm's publish fails with KMS AccessDenied), and `enforceSSL` gives the topic a
    // policy with only a Deny, which replaces the default one: the key and the topic must both let
    // CloudWatch in, limited to this account's alarms (AWS: "Amazon SNS topic encryption for alarms").
    const { account, region, partition } = Stack.of(this);
    const alarmArns = `arn:${partition}:cloudwatch:${region}:${account}:alarm:*`;
    const fromOurAlarms = {
      StringEquals: { 'aws:SourceAccount': account },
      ArnLike: { 'aws:SourceArn': alarmArns },
    };
    this.key = new Key(this, 'AlarmTopicKey', {
      description: 'AutoCoin Futures alarm topic: CloudWatch alarms of this account may publish',
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishEncrypted',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOurAlarms,
      }),
    );
    this.topic = new Topic(this, 'Alarms', { masterKey: this.key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromOurAlarms,
      }),
    );
    const alarm = (
      id: string,
      metric: IMetric,
      threshold: number,
      op: ComparisonOperator,
      description: string,
      missing = TreatMissingData.NOT_BREACHING,
      periods = 1,
    ) => {
      const a = new Alarm(this, id, {
        metric,
        threshold,
        comparisonOperator: op,
        evaluationPeriods: periods,
        treatMissingData: missing,
        alarmDescription: description,
      });
      a.addAlarmAction(new SnsAction(this.topic));
      a.addOkAction(new SnsAction(this.topic));
      this.alarms.push(a);
      return a;
    };
    for (const symbol of c.SYMBOLS) {
      alarm(
        `LiquidationDistance-${symbol}`,
        m('LiquidationDistancePct', 'position-monitor', { symbol }, 'Minimum'),
        c.LIQUIDATION_DISTANCE_CRITICAL_PCT,
        ComparisonOperator.LESS_THAN_THRESHOLD,
        `${symbol} within ${c.LIQUIDATION_DISTANCE_CRITICAL_PCT} % of liquidation`,
      );
    }
    alarm(
      'MarginRatio',
      m('MarginRatioPct', 'risk-monitor', {}, 'Maximum'),
      c.MARGIN_RATIO_CRITICAL_PCT,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      `margin ratio at or above ${c.MARGIN_RATIO_CRITICAL_PCT} %`,
    );
    alarm(
      'DailyLossHalt',
      m('DailyLossHalt', 'risk-monitor', {}, 'Sum'),
      1,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      `daily loss limit (${c.DAILY_LOSS_LIMIT} %) reached: trading halted`,
    );
    alarm(
      'DeadLetters',
      props.deadLetters.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      1,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      'an order message is in the dead-letter queue: its outcome needs a human',
    );
    // The alerting path watches itself: these reach the owner by email when Telegram is what broke.
    this.undeliveredNotifications = new Queue(this, 'UndeliveredNotifications', {
      // SQS-managed keys: SNS and EventBridge can write to it without a key policy of their own.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.undeliveredNotifications).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'It is itself the dead-letter queue of the SNS subscription and the EventBridge target (cdk-nag only recognises queue-to-queue redrive).',
    });
    alarm(
      'NotificationsDeadLetters',
      this.undeliveredNotifications.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      1,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      'a notification could not be delivered to the notifier: check its logs (Telegram may be unreachable)',
    );
    alarm(
      'NotifierErrors',
      f.notifier.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      1,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      'the notifier failed: Telegram alerts may not be arriving',
    );
    alarm(
      'ExecutorErrors',
      f['order-executor'].metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
      1,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      'the order executor failed',
    );
    alarm(
      'OldestOrderAge',
      props.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      120,
      ComparisonOperator.GREATER_THAN_THRESHOLD,
      'an order has waited over 2 minutes in the queue',
    );
    for (const entry of SCHEDULES) {
      const period = Duration.minutes(Math.max(5, entry.rateMinutes * 2));
      alarm(
        `Heartbeat-${entry.fn}`,
        m('Heartbeat', entry.fn, { function: entry.fn }, 'Sum', period),
        1,
        ComparisonOperator.LESS_THAN_THRESHOLD,
        `${entry.fn} has not reported for ${period.toMinutes()} minutes`,
        TreatMissingData.BREACHING,
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'AutoCoinFutures' });
    const g = (title: string, left: IMetric[], width = 8) =>
      new GraphWidget({ title, left, width, height: 6 });
    this.dashboard.addWidgets(
      g('Equity (USDT)', [m('Equity', 'risk-monitor')]),
      g(
        'Unrealised PnL (USDT)',
        c.SYMBOLS.map((s) => m('UnrealizedPnl', 'position-monitor', { symbol: s })),
      ),
      g('Margin ratio (%)', [m('MarginRatioPct', 'risk-monitor', {}, 'Maximum')]),
    );
    this.dashboard.addWidgets(
      g(
        'Liquidation distance (%)',
        c.SYMBOLS.map((s) => m('LiquidationDistancePct', 'position-monitor', { symbol: s }, 'Minimum')),
      ),
      g('Funding PnL today (USDT)', [
        m('FundingPnlToday', 'funding-monitor', {}, 'Maximum', Duration.hours(1)),
      ]),
      g('Orders placed / rejected / failed', [
        m('OrdersPlaced', 'order-executor', {}, 'Sum'),
        m('OrdersRejected', 'order-executor', {}, 'Sum'),
        m('OrdersFailed', 'order-executor', {}, 'Sum'),
      ]),
    );
    this.dashboard.addWidgets(
      g('Executor duration and errors', [
        f['order-executor'].metricDuration(),
        f['order-executor'].metricErrors(),
      ]),
      g('Order queue depth and oldest message (s)', [
        props.queue.metricApproximateNumberOfMessagesVisible(),
        props.queue.metricApproximateAgeOfOldestMessage(),
      ]),
      new SingleValueWidget({
        title: 'Dead-letter queue depth',
        metrics: [props.deadLetters.metricApproximateNumberOfMessagesVisible()],
        width: 8,
        height: 6,
      }),
    );
    this.dashboard.addWidgets(
      g(
        'Errors per function',
        Object.values(f).map((fn) => fn.metricErrors()),
      ),
      g(
        'Throttles per function',
        Object.values(f).map((fn) => fn.metricThrottles()),
      ),
      g(
        'Duration per function (ms)',
        Object.values(f).map((fn) => fn.metricDuration()),
      ),
    );
    this.dashboard.addWidgets(
      g(
        'Heartbeats',
        SCHEDULES.map((e) => m('Heartbeat', e.fn, { function: e.fn }, 'Sum', Duration.minutes(5))),
        24,
      ),
    );
    // Performance (the performance monitor, every 5 minutes) and how fast the loops run.
    const five = Duration.minutes(5);
    this.dashboard.addWidgets(
      g('Daily and weekly PnL (USDT)', [
        m('DailyPnl', 'performance-monitor', {}, 'Average', five),
        m('WeeklyPnl', 'performance-monitor', {}, 'Average', five),
      ]),
      g('Drawdown from the 7-day peak (%)', [m('DrawdownPct', 'performance-monitor', {}, 'Maximum', five)]),
      g(
        'Win rate per strategy (%)',
        c.strategies.map((s) => m('WinRatePct', 'performance-monitor', { strategy: s }, 'Average', five)),
      ),
    );
    this.dashboard.addWidgets(
      g(
        'Realised PnL per strategy (USDT)',
        c.strategies.map((s) =>
          m('StrategyRealizedPnl', 'performance-monitor', { strategy: s }, 'Average', five),
        ),
      ),
      g(
        'Tick latency per strategy (ms)',
        c.strategies.map((s) =>
          m('TickLatency', 'strategy-tick', { strategy: s }, 'Maximum', Duration.hours(1)),
        ),
      ),
      g(
        'Monitor loop latency, slowest iteration (ms)',
        SCHEDULES.filter((e) => e.fn !== 'strategy-tick').map((e) =>
          m('LoopLatency', e.fn, { function: e.fn }, 'Maximum', five),
        ),
      ),
    );
  }
}
