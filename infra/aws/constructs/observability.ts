// What the trader watches: the alarms (at most 10: $0.10 each), every alarm to an SNS topic that the
// notifier turns into a Telegram message, and — when asked for — one CloudWatch dashboard (under 50
// metrics). Custom metrics are the catalog's (shared/adapters/aws/metric-catalog.ts: namespace
// AutoCoinFutures, Powertools' `service` dimension = the one function that sends each).
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
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CLOUDWATCH_METRICS, METRICS_NAMESPACE } from '../../../shared/adapters/aws/metric-catalog.ts';
import type { Config } from '../../../shared/config/env.ts';
import type { LambdaFunctionName } from '../../build/bundle.ts';

/** A catalog metric, under the one function that sends it (a name outside the catalog throws at synth). */
const m = (name: string, statistic = 'Average', period = Duration.minutes(1)) => {
  const entry = CLOUDWATCH_METRICS.find((e) => e.name === name);
  if (!entry) throw new Error(`${name} is not in the metric catalog (shared/adapters/aws/metric-catalog.ts)`);
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: entry.service },
    statistic,
    period,
  });
};

export class Observability extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** Alarm notifications and domain events the notifier could not take: kept 14 days, alarmed. */
  readonly undeliveredNotifications: Queue;
  readonly alarms: Alarm[] = [];
  /** The CloudWatch dashboard, when asked for (context `cloudwatchDashboard=true`: $3 a month). */
  readonly dashboard?: Dashboard;
  /** Every metric the dashboard's widgets show (a free dashboard holds up to 50; the cost model counts them). */
  readonly dashboardMetrics: IMetric[] = [];
  constructor(
    scope: Construct,
    id: string,
    props: {
      functions: Record<LambdaFunctionName, IFunction>;
      queue: IQueue;
      deadLetters: IQueue;
      config: Config;
      /** Whether to create the CloudWatch dashboard. */
      dashboard?: boolean;
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
    // Custom metrics from the catalog only (a test holds every alarm and widget to it); AWS's own Lambda
    // and SQS metrics are free.
    alarm(
      'LiquidationDistance',
      m('LiquidationDistancePct', 'Minimum'),
      c.LIQUIDATION_DISTANCE_CRITICAL_PCT,
      ComparisonOperator.LESS_THAN_THRESHOLD,
      `a position is within ${c.LIQUIDATION_DISTANCE_CRITICAL_PCT} % of liquidation`,
    );
    alarm(
      'MarginRatio',
      m('MarginRatioPct', 'Maximum'),
      c.MARGIN_RATIO_CRITICAL_PCT,
      ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      `margin ratio at or above ${c.MARGIN_RATIO_CRITICAL_PCT} %`,
    );
    alarm(
      'DailyLoss',
      m('DailyPnlPct', 'Minimum'),
      -c.DAILY_LOSS_LIMIT,
      ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
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
    // That queue takes what SNS or EventBridge could not hand to the notifier; the notifier failing once
    // invoked (Telegram down, a bad token) shows only in its own Errors.
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
    // One heartbeat: the guardian's (a failing guardian sends none). The strategy tick and the hourly and
    // 5-minute monitors show on the dashboard's errors widget and in their logs: every position keeps
    // its stop on the exchange whatever they do, and each alarm costs $0.10 a month.
    alarm(
      'Heartbeat-guardian',
      m('Heartbeat', 'Sum', Duration.minutes(5)),
      1,
      ComparisonOperator.LESS_THAN_THRESHOLD,
      'the guardian has not reported for 5 minutes',
      TreatMissingData.BREACHING,
    );
    if (!props.dashboard) return;
    const dashboard = new Dashboard(this, 'Dashboard', { dashboardName: 'AutoCoinFutures' });
    this.dashboard = dashboard;
    const g = (title: string, left: IMetric[], width = 8) => {
      this.dashboardMetrics.push(...left);
      return new GraphWidget({ title, left, width, height: 6 });
    };
    const single = (title: string, metrics: IMetric[]) => {
      this.dashboardMetrics.push(...metrics);
      return new SingleValueWidget({ title, metrics, width: 8, height: 6 });
    };
    const all = Object.values(f);
    dashboard.addWidgets(
      g('Equity (USDT)', [m('Equity')]),
      g('Daily PnL (% of start-of-day equity)', [m('DailyPnlPct')]),
      g('Margin ratio (%)', [m('MarginRatioPct', 'Maximum')]),
    );
    dashboard.addWidgets(
      g('Liquidation distance, closest position (%)', [m('LiquidationDistancePct', 'Minimum')]),
      g('Orders rejected', [m('OrdersRejected', 'Sum')]),
      g('Executor duration and errors', [
        f['order-executor'].metricDuration(),
        f['order-executor'].metricErrors(),
      ]),
    );
    dashboard.addWidgets(
      g('Order queue depth and oldest message (s)', [
        props.queue.metricApproximateNumberOfMessagesVisible(),
        props.queue.metricApproximateAgeOfOldestMessage(),
      ]),
      single('Dead-letter queue depth', [props.deadLetters.metricApproximateNumberOfMessagesVisible()]),
      g('Guardian heartbeat', [m('Heartbeat', 'Sum', Duration.minutes(5))]),
    );
    dashboard.addWidgets(
      g(
        'Errors per function',
        all.map((fn) => fn.metricErrors()),
      ),
      g(
        'Throttles per function',
        all.map((fn) => fn.metricThrottles()),
      ),
      g(
        'Duration per function (ms)',
        all.map((fn) => fn.metricDuration()),
      ),
    );
  }
}
