// CDK app (cdk.json): `npm run synth` (= cdk synth) offline; `cdk deploy` as the README describes.
// cdk-nag's AwsSolutions pack runs during synth; each remaining finding is acknowledged with a reason.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../../shared/config/env.ts';
import { AutoCoinStack, productEnvFrom } from './stack.ts';

export function buildApp(
  env: Record<string, string | undefined> = process.env,
  context: Record<string, unknown> = {},
) {
  const app = new App({ context });
  const config = loadConfig(env);
  const allowed = String(app.node.tryGetContext('allowedChatIds') ?? env.TELEGRAM_ALLOWED_CHAT_IDS ?? '');
  const stack = new AutoCoinStack(app, 'AutoCoinFutures', {
    config,
    allowedChatIds: allowed,
    productEnv: productEnvFrom(env),
    description: 'AutoCoin Futures: automated Binance USD-M futures trading (one stack)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  for (const [id, reason] of ACKNOWLEDGED) Validations.of(stack).acknowledge({ id, reason });
  return { app, stack, config };
}

/** cdk-nag findings kept on purpose, each with the reason. */
export const ACKNOWLEDGED: readonly [string, string][] = [
  [
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    'AWSLambdaBasicExecutionRole is the AWS-managed minimum for writing the functions’ own logs.',
  ],
  [
    'AwsSolutions-L1',
    'Node.js 22 is the runtime the product targets and tests against (the code also runs on 20); 24 is a deliberate later upgrade.',
  ],
  [
    'AwsSolutions-SMG4',
    'Binance API keys and the Telegram token are issued by third parties and cannot be rotated by a Lambda; the operator rotates them (README).',
  ],
];

if (import.meta.url === `file://${process.argv[1]}`) {
  const { app } = buildApp();
  app.synth();
}
