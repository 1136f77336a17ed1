// The one stack: state, queue, functions, schedules, webhook, event bus, secrets, observability.
import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { EVENT_SOURCE } from '../../shared/adapters/aws/eventbridge/event-bus.ts';
import { type Config, ENV_VARIABLE_NAMES, SECRET_VARIABLES } from '../../shared/config/env.ts';
import { LAMBDA_FUNCTIONS, type LambdaFunctionName } from '../build/bundle.ts';
import { FUNCTION_SPECS, productFunction } from './constructs/functions.ts';
import { Observability } from './constructs/observability.ts';
import { OrderQueues } from './constructs/queue.ts';
import { Schedules } from './constructs/schedules.ts';
import { State } from './constructs/state.ts';

export interface AutoCoinStackProps extends StackProps {
  config: Config;
  /** Chats allowed to command the bot (not a secret; from context `allowedChatIds`). */
  allowedChatIds: string;
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

    // Secrets are created with generated placeholder values and filled in by the operator
    // (README "Deploy to AWS"); no value ever appears in the template.
    const binance = new Secret(this, 'BinanceApiKeys', {
      description: 'Binance API key: JSON {"apiKey": "...", "secret": "..."}',
    });
    const botToken = new Secret(this, 'TelegramBotToken', {
      description: 'Telegram bot token from BotFather',
    });
    const webhookSecret = new Secret(this, 'TelegramWebhookSecret', {
      description: 'Telegram webhook secret_token (16–256 of A-Z a-z 0-9 _ -)',
      generateSecretString: { excludePunctuation: true, passwordLength: 48 },
    });

    const common = {
      ...props.productEnv,
      TABLE_NAME: state.table.tableName,
      QUEUE_URL: queues.queue.queueUrl,
      EVENT_BUS_NAME: bus.eventBusName,
      BINANCE_SECRET_ID: binance.secretArn,
      TELEGRAM_ALLOWED_CHAT_IDS: props.allowedChatIds,
    };
    const fns = {} as Record<LambdaFunctionName, NodejsFunction>;
    for (const name of LAMBDA_FUNCTIONS) {
      const env: Record<string, string> = { ...common };
      if (name === 'telegram-webhook' || name === 'notifier')
        env.TELEGRAM_BOT_TOKEN_SECRET_ID = botToken.secretArn;
      if (name === 'telegram-webhook') env.TELEGRAM_WEBHOOK_SECRET_SECRET_ID = webhookSecret.secretArn;
      if (name === 'telegram-webhook' || name === 'notifier') delete env.BINANCE_SECRET_ID;
      // The executor is the only writer to the exchange: one at a time.
      fns[name] = productFunction(
        this,
        name,
        env,
        name === 'order-executor' ? { reservedConcurrentExecutions: 1 } : {},
      );
    }
    this.functions = fns;

    // Least privilege: each function gets what its code calls, nothing more.
    for (const name of LAMBDA_FUNCTIONS) state.table.grantReadWriteData(fns[name]);
    for (const name of [
      'order-executor',
      'strategy-tick',
      'position-monitor',
      'risk-monitor',
      'funding-monitor',
      'performance-monitor',
    ] as const) {
      binance.grantRead(fns[name]);
      bus.grantPutEventsTo(fns[name]);
    }
    // The webhook reads the account from the table's read model, never the exchange: no exchange keys.
    bus.grantPutEventsTo(fns['telegram-webhook']);
    for (const name of ['strategy-tick', 'position-monitor', 'risk-monitor', 'telegram-webhook'] as const)
      queues.queue.grantSendMessages(fns[name]);
    botToken.grantRead(fns['telegram-webhook']);
    botToken.grantRead(fns.notifier);
    webhookSecret.grantRead(fns['telegram-webhook']);

    // The executor's FIFO event source with partial batch failures (never a whole-batch retry).
    queues.connectExecutor(fns['order-executor']);

    const url = fns['telegram-webhook'].addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    new Rule(this, 'DomainEventsToNotifier', {
      eventBus: bus,
      eventPattern: { source: [EVENT_SOURCE] },
    }).addTarget(new LambdaFunction(fns.notifier, { retryAttempts: 2, maxEventAge: Duration.hours(1) }));

    this.schedules = new Schedules(this, 'Schedules', {
      functions: fns,
      strategies: props.config.strategies,
      symbols: props.config.SYMBOLS,
    });
    this.observability = new Observability(this, 'Observability', {
      functions: fns,
      queue: queues.queue,
      deadLetters: queues.deadLetters,
      config: props.config,
    });
    this.observability.topic.addSubscription(new LambdaSubscription(fns.notifier));

    new CfnOutput(this, 'WebhookUrl', { value: url.url, description: 'Telegram setWebhook url=' });
    new CfnOutput(this, 'BinanceSecretName', { value: binance.secretName });
    new CfnOutput(this, 'TelegramBotTokenSecretName', { value: botToken.secretName });
    new CfnOutput(this, 'TelegramWebhookSecretName', { value: webhookSecret.secretName });
    new CfnOutput(this, 'DashboardName', { value: 'AutoCoinFutures' });
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
