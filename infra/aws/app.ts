// CDK app (cdk.json): `npm run synth` (= cdk synth) offline; `cdk deploy` as the README describes.
// cdk-nag's AwsSolutions pack runs during synth; each remaining finding is acknowledged with a reason.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from '../../shared/config/env.ts';
import type { ExecutorEgress } from './constructs/egress.ts';
import { deploymentRegion, RegionRefused } from './region.ts';
import { AutoCoinStack, productEnvFrom } from './stack.ts';

export function buildApp(
  env: Record<string, string | undefined> = process.env,
  context: Record<string, unknown> = {},
) {
  const app = new App({ context });
  const config = loadConfig(env);
  const { allowedChatIds, alarmEmail } = deployInputs(
    String(app.node.tryGetContext('allowedChatIds') ?? env.TELEGRAM_ALLOWED_CHAT_IDS ?? ''),
    String(app.node.tryGetContext('alarmEmail') ?? env.ALARM_EMAIL ?? ''),
  );
  const { region, note } = deploymentRegion(
    env.CDK_DEFAULT_REGION,
    String(app.node.tryGetContext('allowRestrictedRegion') ?? '') === 'true',
  );
  const stack = new AutoCoinStack(app, 'AutoCoinFutures', {
    env: { region, ...(env.CDK_DEFAULT_ACCOUNT ? { account: env.CDK_DEFAULT_ACCOUNT } : {}) },
    config,
    allowedChatIds,
    alarmEmail,
    executorEgress: executorEgressFrom(String(app.node.tryGetContext('executorEgress') ?? 'lambda')),
    cloudwatchDashboard: String(app.node.tryGetContext('cloudwatchDashboard') ?? '') === 'true',
    productEnv: productEnvFrom(env),
    description: 'AutoCoin Futures: automated Binance USD-M futures trading (one stack)',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  for (const [id, reason] of ACKNOWLEDGED) Validations.of(stack).acknowledge({ id, reason });
  return { app, stack, config, region, regionNote: note };
}

/** A deploy-time input is missing or malformed: synth stops with one sentence saying what to pass. */
export class DeployInputError extends Error {
  override readonly name = 'DeployInputError';
}

/**
 * Who hears the stack: the Telegram chats (without one, the notifier sends every alert to nobody, without
 * an error) and an email address for the alarms (the second channel, for when Telegram or the notifier
 * is what broke). Both are required; each problem is named.
 */
export function deployInputs(chats: string, email: string): { allowedChatIds: string; alarmEmail: string } {
  const problems: string[] = [];
  const ids = chats
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0)
    problems.push(
      'no Telegram chat: pass -c allowedChatIds=<your chat id>[,<another>] (or TELEGRAM_ALLOWED_CHAT_IDS); without one every alert goes to nobody',
    );
  else if (ids.some((id) => !/^-?\d+$/.test(id)))
    problems.push(`allowedChatIds must be numeric Telegram chat ids, comma-separated (got "${chats}")`);
  const address = email.trim();
  if (!address)
    problems.push(
      'no alarm email: pass -c alarmEmail=<you@example.com> (or ALARM_EMAIL); alarms also go there, in case Telegram is what failed',
    );
  else if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address))
    problems.push(`alarmEmail is not an email address (got "${address}")`);
  if (problems.length) throw new DeployInputError(`Cannot synthesize the stack:\n- ${problems.join('\n- ')}`);
  return { allowedChatIds: ids.join(','), alarmEmail: address };
}

export function executorEgressFrom(value: string): ExecutorEgress {
  if (value === 'lambda' || value === 'nat') return value;
  throw new DeployInputError(
    `executorEgress must be "lambda" (default: no fixed IP) or "nat" (a fixed IP for the Binance trading key's whitelist), got "${value}"`,
  );
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
];

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const { app, regionNote } = buildApp();
    if (regionNote) console.error(regionNote);
    app.synth();
  } catch (err) {
    if (!(err instanceof DeployInputError) && !(err instanceof RegionRefused)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
