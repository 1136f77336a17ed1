// The dashboard in the synthesized stack (real CDK synth, cdk-nag included): a Function URL with auth
// NONE (the app authenticates), the link secret readable by the dashboard and the webhook only, the
// webhook's write deny, no exchange key, a small concurrency cap.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../infra/aws/app.ts';
import { DASHBOARD_SECRET_PARAMETER } from '../../../infra/aws/constructs/dashboard.ts';

let template: Template;
let built: ReturnType<typeof buildApp>;
beforeAll(() => {
  built = buildApp(
    { DEFAULT_FUTURES_STRATEGY: 'grid', SYMBOLS: 'BTCUSDT' },
    { allowedChatIds: '424242', alarmEmail: 'owner@example.com' },
  );
  built.app.synth(); // cdk-nag runs: a finding without an acknowledgement fails synthesis
  template = Template.fromStack(built.stack);
}, 180_000);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const id = (prefix: string, type: string) =>
  Object.keys(template.findResources(type)).find((k) => k.startsWith(prefix))!;
function statementsOf(roleId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('dashboard construct', () => {
  it('is a Function URL with auth NONE on its own function, named in an output', () => {
    const fn = id('DashboardFunction', 'AWS::Lambda::Function');
    const urls = Object.values(template.findResources('AWS::Lambda::Url')).filter((u) =>
      JSON.stringify(u.Properties.TargetFunctionArn).includes(fn),
    );
    expect(urls).toHaveLength(1);
    expect(urls[0]!.Properties.AuthType).toBe('NONE');
    expect(JSON.stringify(template.findOutputs('*'))).toContain('DashboardUrl');
  });

  it('runs without an exchange key, capped at 2 concurrent executions, reading the secret from SSM', () => {
    const f =
      template.findResources('AWS::Lambda::Function')[id('DashboardFunction', 'AWS::Lambda::Function')]!;
    const env = f.Properties.Environment.Variables;
    expect(env.BINANCE_SECRET_ID).toBeUndefined();
    expect(env.DASHBOARD_LINK_SECRET_PARAM).toBe(DASHBOARD_SECRET_PARAMETER);
    expect(env.DASHBOARD_LINK_SECRET).toBeUndefined();
    expect(f.Properties.ReservedConcurrentExecutions).toBe(2);
  });

  it('its role: GetParameter on its two parameters (link secret, bot token), the webhook’s write deny, queue depth of the DLQ only', () => {
    const role = id('DashboardFunctionServiceRole', 'AWS::IAM::Role');
    const st = statementsOf(role);
    const ssm = st.filter((s) => actions(s).some((a) => a.startsWith('ssm:')));
    // Two parameters, one statement each: its link secret and the bot token (the key of Mini App initData).
    expect(ssm).toHaveLength(2);
    for (const s of ssm) expect(actions(s)).toEqual(['ssm:GetParameter']);
    expect(ssm.map((s) => JSON.stringify(s.Resource).match(/:parameter(\/[^"]+)"/)?.[1]).sort()).toEqual(
      [DASHBOARD_SECRET_PARAMETER, '/autocoin-futures/telegram-bot-token'].sort(),
    );
    const deny = st.filter((s) => s.Effect === 'Deny');
    expect(deny).toHaveLength(1);
    expect(actions(deny[0]!).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(deny[0]!.Condition)).toContain('VIEW#*');
    // The dead-letter queue: its depth, nothing else (sending to the order queue is a separate grant).
    const dlq = st.filter((s) => JSON.stringify(s.Resource).includes('DeadLetters'));
    expect(dlq.map(actions)).toEqual([['sqs:GetQueueAttributes']]);
    for (const s of st) for (const a of actions(s)) expect(a).not.toMatch(/\*$/);
  });

  it('the webhook signs /dashboard links: it knows the URL and may read the same parameter', () => {
    const webhookId = built.stack.getLogicalId(
      built.stack.functions['telegram-webhook'].node.defaultChild as never,
    );
    const env = template.findResources('AWS::Lambda::Function')[webhookId]!.Properties.Environment.Variables;
    expect(JSON.stringify(env.DASHBOARD_URL)).toContain('DashboardFunctionFunctionUrl');
    expect(env.DASHBOARD_LINK_SECRET_PARAM).toBe(DASHBOARD_SECRET_PARAMETER);
    const role = built.stack.getLogicalId(
      built.stack.functions['telegram-webhook'].role!.node.defaultChild as never,
    );
    expect(statementsOf(role).some((s) => actions(s).includes('ssm:GetParameter'))).toBe(true);
  });
});
