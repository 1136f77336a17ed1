import { readdirSync, readFileSync } from 'node:fs';
// Issue 13 (the stack as its owner depends on it). Finding 1: an alarm must be able to reach somebody. CloudWatch publishes to the alarm
// topic only if the topic's KMS key and the topic's policy both allow cloudwatch.amazonaws.com (the
// AWS-managed alias/aws/sns key cannot be opened to it, and enforceSSL's Deny-only policy replaces
// the default one). Real CDK synth, offline.
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, DeployInputError, deployInputs } from '../../infra/aws/app.ts';
import { maxEventAgeOf } from '../../infra/aws/constructs/schedules.ts';
import { RESERVED_CONCURRENCY, STATE_STORE_ACTIONS, WEBHOOK_READ_ONLY_KEYS } from '../../infra/aws/stack.ts';
import { SCHEDULES } from '../../infra/schedules.ts';
import { keys } from '../../shared/adapters/aws/dynamodb/keys.ts';

let template: Template;
let topicKeyId: string;
let built: ReturnType<typeof buildApp>;
beforeAll(() => {
  built = buildApp(
    { ENABLED_STRATEGIES: 'grid', SYMBOLS: 'BTCUSDT', STRATEGY_SYMBOLS: 'grid=ETHUSDT' },
    { allowedChatIds: '424242', alarmEmail: 'owner@example.com' },
  );
  template = Template.fromStack(built.stack);
  topicKeyId = built.stack.getLogicalId(built.stack.observability.key.node.defaultChild as never);
}, 180_000);

type Statement = {
  Effect: string;
  Principal?: { Service?: string };
  Action: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
};
const actions = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const fromCloudWatch = (s: Statement) =>
  s.Effect === 'Allow' && s.Principal?.Service === 'cloudwatch.amazonaws.com';

describe('alarm topic: CloudWatch can deliver', () => {
  it('is encrypted with a customer-managed key that rotates, not alias/aws/sns', () => {
    const topics = Object.values(template.findResources('AWS::SNS::Topic'));
    expect(topics).toHaveLength(1);
    expect(JSON.stringify(topics[0])).not.toContain('alias/aws/sns');
    expect(topics[0]!.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [topicKeyId, 'Arn'] });
    const key = template.findResources('AWS::KMS::Key')[topicKeyId]!;
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it("the key lets CloudWatch encrypt for this account's alarms only", () => {
    const key = template.findResources('AWS::KMS::Key')[topicKeyId]!;
    const statements: Statement[] = key.Properties.KeyPolicy.Statement;
    const cw = statements.filter(fromCloudWatch);
    expect(cw).toHaveLength(1);
    expect(actions(cw[0]!)).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
    expect(cw[0]!.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(cw[0]!.Condition?.ArnLike?.['aws:SourceArn'])).toContain(':alarm:*');
  });

  it('the topic policy allows CloudWatch to publish (beside the TLS-only deny), conditioned on account and alarm ARNs', () => {
    const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(1);
    const statements: Statement[] = policies[0]!.Properties.PolicyDocument.Statement;
    expect(
      statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s).includes('aws:SecureTransport')),
    ).toBe(true);
    const cw = statements.filter(fromCloudWatch);
    expect(cw).toHaveLength(1);
    expect(actions(cw[0]!)).toEqual(['sns:Publish']);
    expect(cw[0]!.Condition?.StringEquals?.['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(JSON.stringify(cw[0]!.Condition?.ArnLike?.['aws:SourceArn'])).toContain(':alarm:*');
  });

  it('every alarm notifies the topic on ALARM and OK', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) {
      expect(a.Properties.AlarmActions).toHaveLength(1);
      expect(a.Properties.OKActions).toHaveLength(1);
    }
  });
});

describe('cdk destroy keeps the audit trail (issue 13, finding 10)', () => {
  it('log groups are retained; the secrets outlive the stack (the operator owns them)', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) expect(g.DeletionPolicy).toBe('Retain');
    // The secrets are SSM parameters the operator creates: the stack neither creates nor deletes them.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SSM::Parameter', 0);
  });
});

describe('scheduled functions are not retried late (issue 13, finding 5)', () => {
  it('no Lambda async retries and a short event age for every function in the schedule table', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig'));
    for (const entry of SCHEDULES) {
      const fn = built.stack.functions[entry.fn];
      const id = built.stack.getLogicalId(fn.node.defaultChild as never);
      const mine = configs.filter((c) => JSON.stringify(c.Properties.FunctionName).includes(id));
      expect(mine, entry.fn).toHaveLength(1);
      expect(mine[0]!.Properties.MaximumRetryAttempts).toBe(0);
      expect(mine[0]!.Properties.MaximumEventAgeInSeconds).toBe(maxEventAgeOf(entry).toSeconds());
      expect(mine[0]!.Properties.MaximumEventAgeInSeconds).toBeLessThanOrEqual(360);
    }
  });

  it("the rules' targets give up within the same bound", () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter(
      (r) => r.Properties.ScheduleExpression,
    );
    expect(rules.length).toBeGreaterThan(0);
    for (const r of rules)
      expect(r.Properties.Targets[0].RetryPolicy.MaximumEventAgeInSeconds).toBeLessThanOrEqual(360);
  });
});

describe('the webhook cannot starve the protection loops (issue 13, finding 4)', () => {
  it('reserved concurrency: executor 1, every monitor its own slot, the internet-facing webhook capped small', () => {
    const fns = template.findResources('AWS::Lambda::Function');
    const reservedOf = (name: keyof typeof built.stack.functions) =>
      fns[built.stack.getLogicalId(built.stack.functions[name].node.defaultChild as never)]!.Properties
        .ReservedConcurrentExecutions;
    expect(reservedOf('order-executor')).toBe(1);
    for (const m of ['guardian', 'funding-monitor', 'performance-monitor'] as const)
      expect(reservedOf(m), m).toBeGreaterThanOrEqual(1);
    expect(reservedOf('telegram-webhook')).toBeGreaterThanOrEqual(1);
    expect(reservedOf('telegram-webhook')).toBeLessThanOrEqual(3);
    for (const [name, n] of Object.entries(RESERVED_CONCURRENCY))
      expect(reservedOf(name as keyof typeof built.stack.functions), name).toBe(n);
  });
});

describe('alerting cannot silently reach nobody (issue 13, finding 2)', () => {
  it('synth refuses an empty chat list and a missing alarm email, naming both', () => {
    expect(() =>
      buildApp({ ENABLED_STRATEGIES: 'grid', SYMBOLS: 'BTCUSDT', STRATEGY_SYMBOLS: 'grid=ETHUSDT' }, {}),
    ).toThrow(DeployInputError);
    try {
      deployInputs(' , ', '');
    } catch (err) {
      expect((err as Error).message).toMatch(/no Telegram chat: pass -c allowedChatIds=/);
      expect((err as Error).message).toMatch(/no alarm email: pass -c alarmEmail=/);
    }
    expect(() => deployInputs('12ab', 'owner@example.com')).toThrow(/numeric Telegram chat ids/);
    expect(() => deployInputs('42', 'not-an-address')).toThrow(/not an email address/);
    expect(deployInputs(' 42, -100123 ', ' owner@example.com ')).toEqual({
      allowedChatIds: '42,-100123',
      alarmEmail: 'owner@example.com',
    });
  });

  it('alarms also go to the email address given at deploy time', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'owner@example.com',
    });
  });

  it('undeliverable notifications land in a dead-letter queue that alarms; the notifier’s own errors alarm', () => {
    const undelivered = built.stack.getLogicalId(
      built.stack.observability.undeliveredNotifications.node.defaultChild as never,
    );
    const lambdaSub = Object.values(template.findResources('AWS::SNS::Subscription')).find(
      (s) => s.Properties.Protocol === 'lambda',
    );
    expect(JSON.stringify(lambdaSub?.Properties.RedrivePolicy)).toContain(undelivered);
    const busRule = Object.values(template.findResources('AWS::Events::Rule')).find(
      (r) => r.Properties.EventPattern?.source?.[0] === 'autocoin.futures',
    );
    expect(JSON.stringify(busRule?.Properties.Targets[0].DeadLetterConfig)).toContain(undelivered);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const onQueue = alarms.filter((a) => JSON.stringify(a.Properties.Dimensions ?? []).includes(undelivered));
    expect(onQueue).toHaveLength(1);
    const notifier = built.stack.getLogicalId(built.stack.functions.notifier.node.defaultChild as never);
    const onNotifier = alarms.filter(
      (a) =>
        a.Properties.MetricName === 'Errors' && JSON.stringify(a.Properties.Dimensions).includes(notifier),
    );
    expect(onNotifier).toHaveLength(1);
  });
});

describe('DynamoDB: each role only the item actions the state store uses (issue 13, finding 8)', () => {
  it('the adapter calls exactly the commands the roles are granted', () => {
    const dir = 'shared/adapters/aws/dynamodb';
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(`${dir}/${f}`, 'utf8'))
      .join('\n');
    const commands = [...new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]))].sort();
    expect(commands.map((c) => `dynamodb:${c}Item`.replace('QueryItem', 'Query'))).toEqual(
      [...STATE_STORE_ACTIONS].sort(),
    );
  });

  it('no role may Scan, DeleteItem, BatchWriteItem or use a wildcard on the table', () => {
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;
    let tableStatements = 0;
    for (const p of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const st of p.Properties.PolicyDocument.Statement) {
        if (!JSON.stringify(st.Resource).includes(tableId)) continue;
        tableStatements++;
        const granted = [st.Action].flat().map(String);
        for (const a of granted) expect(STATE_STORE_ACTIONS as readonly string[]).toContain(a);
        expect(granted).not.toContain('dynamodb:DeleteItem');
        expect(granted).not.toContain('dynamodb:Scan');
        expect(granted).not.toContain('dynamodb:BatchWriteItem');
      }
    }
    expect(tableStatements).toBeGreaterThanOrEqual(8);
  });
});

describe('a fixed egress IP for the trading key, on request (issue 13, finding 3)', () => {
  it('executorEgress=nat: the executor alone runs in a private subnet behind one NAT gateway with an Elastic IP, named in an output', () => {
    const nat = buildApp(
      { ENABLED_STRATEGIES: 'grid', SYMBOLS: 'BTCUSDT', STRATEGY_SYMBOLS: 'grid=ETHUSDT' },
      { allowedChatIds: '424242', alarmEmail: 'owner@example.com', executorEgress: 'nat' },
    );
    nat.app.synth(); // cdk-nag runs: every finding answered
    const t = Template.fromStack(nat.stack);
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.resourceCountIs('AWS::EC2::EIP', 1);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 1); // DynamoDB through the free gateway endpoint
    const fns = t.findResources('AWS::Lambda::Function');
    const inVpc = Object.entries(fns).filter(([, f]) => f.Properties.VpcConfig);
    const executorId = nat.stack.getLogicalId(
      nat.stack.functions['order-executor'].node.defaultChild as never,
    );
    expect(inVpc.map(([id]) => id)).toEqual([executorId]);
    expect(JSON.stringify(t.findOutputs('ExecutorEgressIp'))).toContain('EIP');
  }, 180_000);

  it('by default there is no VPC (and no NAT bill); a bad value is refused', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0);
    expect(() =>
      buildApp(
        { ENABLED_STRATEGIES: 'grid', SYMBOLS: 'BTCUSDT', STRATEGY_SYMBOLS: 'grid=ETHUSDT' },
        { allowedChatIds: '424242', alarmEmail: 'owner@example.com', executorEgress: 'vpn' },
      ),
    ).toThrow(/executorEgress must be "lambda" .* or "nat"/);
  });
});

describe('the internet-facing webhook cannot forge orders or the account view (issue 13, finding 8)', () => {
  it('its role is denied writes under the intent, order, view, equity and tick keys', () => {
    const webhookRole = built.stack.getLogicalId(
      built.stack.functions['telegram-webhook'].role!.node.defaultChild as never,
    );
    const denies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(webhookRole))
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((st: { Effect: string }) => st.Effect === 'Deny');
    expect(denies).toHaveLength(1);
    expect(denies[0].Action).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(denies[0].Condition['ForAnyValue:StringLike']['dynamodb:LeadingKeys']).toEqual(
      WEBHOOK_READ_ONLY_KEYS.map((p) => `${p}*`),
    );
    // The prefixes are the ones the key builders produce.
    const built_ = [
      keys.intent('x').pk,
      keys.order('x').pk,
      keys.view('x').pk,
      keys.equity(1).pk,
      keys.tick('g', 'S', 1).pk,
    ];
    expect(built_.map((pk, i) => pk.startsWith(WEBHOOK_READ_ONLY_KEYS[i]!))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('no other role is denied anything (the executor, monitors and ticks write those keys)', () => {
    const webhookRole = built.stack.getLogicalId(
      built.stack.functions['telegram-webhook'].role!.node.defaultChild as never,
    );
    // The dashboard is internet-facing too and carries the same deny (test/integration/dashboard/stack.test.ts).
    const dashboardRole = Object.keys(template.findResources('AWS::IAM::Role')).find((k) =>
      k.startsWith('DashboardFunctionServiceRole'),
    )!;
    const others = Object.values(template.findResources('AWS::IAM::Policy')).filter(
      (p) =>
        !JSON.stringify(p.Properties.Roles).includes(webhookRole) &&
        !JSON.stringify(p.Properties.Roles).includes(dashboardRole),
    );
    for (const p of others)
      for (const st of p.Properties.PolicyDocument.Statement) expect(st.Effect).toBe('Allow');
  });
});
