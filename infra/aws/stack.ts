// The one stack: state, queue, functions, schedules, webhook, event bus, secrets, observability.
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { SubnetType } from 'aws-cdk-lib/aws-ec2';
import { EventBus, EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/adapters/aws/eventbridge/event-bus.ts';
import {
  GUARDIAN_WAKE_DETAIL_TYPE,
  GUARDIAN_WAKE_SOURCE,
} from '../../shared/adapters/aws/eventbridge/guardian-wake.ts';
import { type Config, ENV_VARIABLE_NAMES, SECRET_VARIABLES } from '../../shared/config/env.ts';
import { strategySymbolPairs } from '../../shared/config/strategy-symbols.ts';
import { LAMBDA_FUNCTIONS, type LambdaFunctionName } from '../build/bundle.ts';
import { Dashboard } from './constructs/dashboard.ts';
import { type ExecutorEgress, FixedEgress } from './constructs/egress.ts';
import { FUNCTION_SPECS, productFunction } from './constructs/functions.ts';
import { Observability } from './constructs/observability.ts';
import { OrderQueues } from './constructs/queue.ts';
import { Schedules } from './constructs/schedules.ts';
import { denyWritesUnder, State } from './constructs/state.ts';

/** The SecureString parameters the operator creates (README "Deploy to AWS"), named /autocoin-futures/<p>. */
export const SECURE_PARAMETERS = [
  'binance-trading-key',
  'binance-read-only-key',
  'telegram-bot-token',
  'telegram-webhook-secret',
] as const;
export type SecureParameter = (typeof SECURE_PARAMETERS)[number];
export const parameterName = (p: SecureParameter) => `/autocoin-futures/${p}`;

/**
 * Reserved concurrency: the executor is the only writer to the exchange (one at a time); the
 * protection loops always have a slot of their own, so a flood on the internet-facing webhook (capped
 * itself) cannot throttle them. The account must keep 10 unreserved beyond these (README).
 */
export const RESERVED_CONCURRENCY: Partial<Record<LambdaFunctionName, number>> = {
  'order-executor': 1,
  guardian: 1,
  'funding-monitor': 1,
  'performance-monitor': 1,
  'telegram-webhook': 2,
};

/**
 * What `DynamoStateStore` (shared/adapters/aws/dynamodb/state-store.ts) calls, and therefore all any
 * role may do on the table (a test holds the adapter's commands to this list).
 */
export const STATE_STORE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:Query',
] as const;

/**
 * Key prefixes the webhook reads but never writes (executor, monitors and ticks write them): intents,
 * orders, the account read model, equity snapshots, tick records. A test holds each to the key builders.
 */
export const WEBHOOK_READ_ONLY_KEYS = ['INTENT#', 'ORDER#', 'VIEW#', 'EQUITY#', 'TICK#'] as const;

/** Functions that read the exchange but never place an order: they hold the read-only key. */
export const EXCHANGE_READERS = [
  'strategy-tick',
  'guardian',
  'funding-monitor',
  'performance-monitor',
] as const satisfies readonly LambdaFunctionName[];

export interface AutoCoinStackProps extends StackProps {
  config: Config;
  /** Chats allowed to command the bot (not a secret; from context `allowedChatIds`). */
  allowedChatIds: string;
  /** Where alarms also go by email (context `alarmEmail`): the channel that works when Telegram does not. */
  alarmEmail: string;
  /** `nat`: the executor leaves through one NAT gateway with a fixed IP (context `executorEgress`). */
  executorEgress?: ExecutorEgress;
  /** The CloudWatch dashboard (context `cloudwatchDashboard=true`; $3 a month at list price). */
  cloudwatchDashboard?: boolean;
  /** The product configuration to pass to every function (non-secret variables only). */
  productEnv: Record<string, string>;
}

export class AutoCoinStack extends Stack {
  readonly functions: Record<LambdaFunctionName, NodejsFunction>;
  readonly schedules: Schedules;
  readonly observability: Observability;
  constructor(scope: Construct, id: string, props: AutoCoinStackProps) {
    super(scope, id, props);
    const state = new State(this, 'State');
    const queues = new OrderQueues(this, 'Queue', {
      executorTimeout: FUNCTION_SPECS['order-executor'].timeout,
    });
    const bus = new EventBus(this, 'Events', { description: 'AutoCoin Futures domain events' });

    // Secrets are SSM Parameter Store SecureString parameters (standard tier: no monthly charge, where a
    // Secrets Manager secret costs $0.40), created by the operator under these names (README "Deploy to
    // AWS"; CloudFormation cannot create a SecureString, so no value ever passes through the template).
    // Two Binance keys: the executor — the only function that places orders — holds the trading key;
    // every other function that reads the exchange holds a read-only key (README "Binance keys").
    const parameter = (p: SecureParameter) =>
      Stack.of(this).formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: parameterName(p).slice(1),
      });
    const canRead = (fn: NodejsFunction, p: SecureParameter) =>
      fn.addToRolePolicy(new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameter(p)] }));

    const common = {
      ...props.productEnv,
      TABLE_NAME: state.table.tableName,
      QUEUE_URL: queues.queue.queueUrl,
      EVENT_BUS_NAME: bus.eventBusName,
      BINANCE_SECRET_ID: parameterName('binance-read-only-key'),
      TELEGRAM_ALLOWED_CHAT_IDS: props.allowedChatIds,
    };
    // Optional fixed egress IP for the executor (the trading key's IP whitelist): README "Binance keys".
    const egress = props.executorEgress === 'nat' ? new FixedEgress(this, 'ExecutorEgress') : undefined;
    const fns = {} as Record<LambdaFunctionName, NodejsFunction>;
    for (const name of LAMBDA_FUNCTIONS) {
      const env: Record<string, string> = { ...common };
      if (name === 'telegram-webhook' || name === 'notifier')
        env.TELEGRAM_BOT_TOKEN_SECRET_ID = parameterName('telegram-bot-token');
      if (name === 'telegram-webhook')
        env.TELEGRAM_WEBHOOK_SECRET_SECRET_ID = parameterName('telegram-webhook-secret');
      if (name === 'telegram-webhook' || name === 'notifier') delete env.BINANCE_SECRET_ID;
      if (name === 'order-executor') env.BINANCE_SECRET_ID = parameterName('binance-trading-key');
      const reserved = RESERVED_CONCURRENCY[name];
      fns[name] = productFunction(this, name, env, {
        ...(reserved !== undefined ? { reservedConcurrentExecutions: reserved } : {}),
        ...(name === 'order-executor' && egress
          ? { vpc: egress.vpc, vpcSubnets: { subnetType: SubnetType.PRIVATE_WITH_EGRESS } }
          : {}),
      });
    }
    this.functions = fns;
    if (egress)
      Validations.of(fns['order-executor']).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason:
          "AWSLambdaVPCAccessExecutionRole is AWS's minimum for a function's network interfaces in a VPC.",
      });

    // Least privilege: each function gets what its code calls, nothing more.
    // DynamoDB: the four item actions the state store calls (no Scan, DeleteItem or BatchWriteItem for
    // anyone — the internet-facing webhook cannot delete the halt flag; nothing can).
    for (const name of LAMBDA_FUNCTIONS) state.table.grant(fns[name], ...STATE_STORE_ACTIONS);
    // The internet-facing webhook may read the order records and the account view, never write them:
    // whoever took it over could not forge an intent's outcome, an order or the view trades are judged on.
    denyWritesUnder(
      fns['telegram-webhook'],
      state.table,
      WEBHOOK_READ_ONLY_KEYS,
      'WebhookNeverWritesOrdersOrViews',
    );
    for (const name of EXCHANGE_READERS) {
      canRead(fns[name], 'binance-read-only-key');
      bus.grantPutEventsTo(fns[name]);
    }
    canRead(fns['order-executor'], 'binance-trading-key');
    bus.grantPutEventsTo(fns['order-executor']);
    // The webhook reads the account from the table's read model, never the exchange: no exchange keys.
    bus.grantPutEventsTo(fns['telegram-webhook']);
    for (const name of ['strategy-tick', 'guardian', 'telegram-webhook'] as const)
      queues.queue.grantSendMessages(fns[name]);
    canRead(fns['telegram-webhook'], 'telegram-bot-token');
    canRead(fns.notifier, 'telegram-bot-token');
    canRead(fns['telegram-webhook'], 'telegram-webhook-secret');

    // The executor's FIFO event source with partial batch failures (never a whole-batch retry).
    queues.connectExecutor(fns['order-executor']);

    const url = fns['telegram-webhook'].addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    new Dashboard(this, 'Dashboard', {
      table: state.table,
      stateStoreActions: STATE_STORE_ACTIONS,
      readOnlyKeyPrefixes: WEBHOOK_READ_ONLY_KEYS,
      queue: queues.queue,
      deadLetters: queues.deadLetters,
      bus,
      botToken: { name: parameterName('telegram-bot-token'), arn: parameter('telegram-bot-token') },
      webhook: fns['telegram-webhook'],
      environment: common,
    });
    this.schedules = new Schedules(this, 'Schedules', {
      functions: fns,
      ticks: strategySymbolPairs(props.config.assignment),
    });
    // The executor's wake-up after an entry: the guardian's fast loop from then, not from its next minute.
    // Not retried: a wake-up that missed its minute is overtaken by the scheduled run.
    new Rule(this, 'GuardianWake', {
      eventBus: bus,
      eventPattern: { source: [GUARDIAN_WAKE_SOURCE], detailType: [GUARDIAN_WAKE_DETAIL_TYPE] },
    }).addTarget(
      new LambdaFunction(fns.guardian, {
        event: RuleTargetInput.fromObject({ time: EventField.time, wake: true }),
        retryAttempts: 0,
        maxEventAge: Duration.seconds(60),
      }),
    );
    this.observability = new Observability(this, 'Observability', {
      functions: fns,
      queue: queues.queue,
      deadLetters: queues.deadLetters,
      config: props.config,
      dashboard: props.cloudwatchDashboard ?? false,
    });
    // Notifications that cannot be delivered are kept (14 days) and alarm, never silently dropped.
    const undelivered = this.observability.undeliveredNotifications;
    this.observability.topic.addSubscription(
      new LambdaSubscription(fns.notifier, { deadLetterQueue: undelivered }),
    );
    this.observability.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    new Rule(this, 'DomainEventsToNotifier', {
      eventBus: bus,
      eventPattern: { source: [EVENT_SOURCE] },
    }).addTarget(
      new LambdaFunction(fns.notifier, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: undelivered,
      }),
    );

    new CfnOutput(this, 'WebhookUrl', { value: url.url, description: 'Telegram setWebhook url=' });
    // …and nobody else decrypts the trading key, whatever identity policy they get later: it is encrypted
    // with the stack's key (the alarm topic's, already paid for), whose policy refuses its decryption to
    // every principal but the executor's role (SSM encrypts a SecureString under the encryption context
    // PARAMETER_ARN; AWS Systems Manager user guide, "How AWS Systems Manager Parameter Store uses AWS KMS").
    const key = this.observability.key;
    const tradingContext = { 'kms:EncryptionContext:PARAMETER_ARN': parameter('binance-trading-key') };
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheExecutorDecryptsTheTradingKey',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: tradingContext,
          ArnNotEquals: { 'aws:PrincipalArn': fns['order-executor'].role!.roleArn },
        },
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'TheExecutorDecryptsTheTradingKeyThroughSsm',
        effect: Effect.ALLOW,
        principals: [fns['order-executor'].role!],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { ...tradingContext, 'kms:ViaService': `ssm.${this.region}.amazonaws.com` },
        },
      }),
    );
    for (const p of SECURE_PARAMETERS) new CfnOutput(this, `Parameter-${p}`, { value: parameterName(p) });
    new CfnOutput(this, 'TradingKeyKmsKeyId', {
      value: key.keyId,
      description: 'put-parameter --key-id for the binance-trading-key SecureString (README)',
    });
    if (this.observability.dashboard) new CfnOutput(this, 'DashboardName', { value: 'AutoCoinFutures' });
  }
}

/** The product variables to pass to the functions: what is set at synth time, never a secret. */
export function productEnvFrom(env: Record<string, string | undefined>): Record<string, string> {
  const skip = new Set([
    'TABLE_NAME',
    'QUEUE_URL',
    'EVENT_BUS_NAME',
    'BINANCE_SECRET_ID',
    'TELEGRAM_BOT_TOKEN_SECRET_ID',
    'TELEGRAM_WEBHOOK_SECRET_SECRET_ID',
    'TELEGRAM_ALLOWED_CHAT_IDS',
    'TELEGRAM_API_ROOT',
  ]);
  const out: Record<string, string> = {};
  for (const k of ENV_VARIABLE_NAMES) {
    const v = env[k];
    if (v !== undefined && v !== '' && !SECRET_VARIABLES.has(k) && !skip.has(k)) out[k] = v;
  }
  return out;
}
