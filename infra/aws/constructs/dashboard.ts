// The web dashboard (issue 18): one Lambda behind a Function URL with auth NONE — the app signs viewers
// in itself (single-use HMAC links from /dashboard, Telegram Mini App initData) and answers 401 to
// anyone else. Its key is an SSM Parameter Store SecureString the operator creates once (CloudFormation
// cannot create a SecureString; README: `aws ssm put-parameter --type SecureString`), read by the
// dashboard and by the webhook (which signs the links). Grants mirror the webhook's: it reads the
// read model and runs the same commands (halt, close…), never writes intents, orders or views.
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, type FunctionUrl, FunctionUrlAuthType, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DASHBOARD_FUNCTION } from '../../build/bundle.ts';
import { PRODUCT_BUNDLING } from './functions.ts';
import { denyWritesUnder } from './state.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Where the operator puts the link secret (≥ 32 bytes; `openssl rand -hex 32`). */
export const DASHBOARD_SECRET_PARAMETER = '/autocoin-futures/dashboard-link-secret';
export const DASHBOARD_MEMORY_MB = 256;
export const DASHBOARD_TIMEOUT = Duration.seconds(15);
/** Internet-facing, like the webhook: a flood cannot take the account's concurrency. */
export const DASHBOARD_RESERVED_CONCURRENCY = 2;

export interface DashboardProps {
  table: ITableV2;
  /** The item actions the state store calls, and the key prefixes an internet-facing function never writes. */
  stateStoreActions: readonly string[];
  readOnlyKeyPrefixes: readonly string[];
  queue: IQueue;
  deadLetters: IQueue;
  bus: IEventBus;
  /** The bot token's SSM SecureString (the key of Mini App initData): its name and ARN. */
  botToken: { name: string; arn: string };
  /** The Telegram webhook: it signs /dashboard links with the same secret and needs the URL. */
  webhook: NodejsFunction;
  /** The product environment every function gets (TABLE_NAME, QUEUE_URL, allowed chats…). */
  environment: Record<string, string>;
}

export class Dashboard extends Construct {
  readonly fn: NodejsFunction;
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const { BINANCE_SECRET_ID: _noExchangeKey, ...environment } = props.environment;
    const logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${root}functions/${DASHBOARD_FUNCTION}/handler.ts`,
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: `${root}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: DASHBOARD_MEMORY_MB,
      timeout: DASHBOARD_TIMEOUT,
      reservedConcurrentExecutions: DASHBOARD_RESERVED_CONCURRENCY,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: DASHBOARD_FUNCTION,
        ...environment,
        TELEGRAM_BOT_TOKEN_SECRET_ID: props.botToken.name,
        DASHBOARD_LINK_SECRET_PARAM: DASHBOARD_SECRET_PARAMETER,
        DEAD_LETTER_QUEUE_URL: props.deadLetters.queueUrl,
      },
      bundling: {
        ...PRODUCT_BUNDLING,
        // The chart library's standalone build beside the bundle: the page serves it (page.ts).
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            `cp "${root}node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.js" "${output}/lightweight-charts.js"`,
          ],
        },
      },
    });
    this.url = this.fn.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });

    // Least privilege, as the webhook: the state store's item actions, never a write to the records
    // only the executor and monitors write; the queue (closes, close_all); the bus (Halted…).
    props.table.grant(this.fn, ...props.stateStoreActions);
    denyWritesUnder(this.fn, props.table, props.readOnlyKeyPrefixes, 'DashboardNeverWritesOrdersOrViews');
    props.queue.grantSendMessages(this.fn);
    props.deadLetters.grant(this.fn, 'sqs:GetQueueAttributes');
    props.bus.grantPutEventsTo(this.fn);
    this.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [props.botToken.arn] }),
    );
    // The SecureString is encrypted with the AWS-managed aws/ssm key, whose key policy lets principals
    // of the account decrypt through SSM: GetParameter on this one parameter is all that is granted.
    const parameterArn = Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: DASHBOARD_SECRET_PARAMETER.slice(1),
    });
    const readSecret = new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] });
    this.fn.addToRolePolicy(readSecret);
    props.webhook.addToRolePolicy(readSecret);
    props.webhook.addEnvironment('DASHBOARD_URL', this.url.url);
    props.webhook.addEnvironment('DASHBOARD_LINK_SECRET_PARAM', DASHBOARD_SECRET_PARAMETER);

    new CfnOutput(this, 'Url', {
      value: this.url.url,
      description: 'Web dashboard (sign in with /dashboard in the bot; also the Mini App URL for BotFather)',
    });
    new CfnOutput(this, 'SecretParameter', {
      value: DASHBOARD_SECRET_PARAMETER,
      description:
        'Create once: aws ssm put-parameter --type SecureString --name <this> --value "$(openssl rand -hex 32)"',
    });
  }
}
