// Issue 17 item 5: Binance refuses US IP addresses (HTTP 451), so the stack refuses a US region at synth
// and, with no region in the CDK environment, pins itself to Tokyo and says so.
import { execFileSync } from 'node:child_process';
import { Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/aws/app.ts';
import { DEFAULT_REGION, deploymentRegion, isUsRegion, RegionRefused } from '../../infra/aws/region.ts';

const inputs = { allowedChatIds: '424242', alarmEmail: 'owner@example.com' };
const product = { SYMBOLS: 'BTCUSDT' };

describe('deploymentRegion', () => {
  it.each(['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'us-gov-west-1'])(
    'refuses %s with the Binance reason and the way out',
    (region) => {
      expect(() => deploymentRegion(region)).toThrow(RegionRefused);
      expect(() => deploymentRegion(region)).toThrow(
        /Binance refuses requests from US IP addresses \(HTTP 451/,
      );
      expect(() => deploymentRegion(region)).toThrow(/ap-northeast-1/);
    },
  );

  it('accepts non-US regions as named, and says where the region came from', () => {
    for (const region of ['ap-northeast-1', 'eu-central-1', 'ap-southeast-1', 'eu-west-2']) {
      expect(deploymentRegion(region).region).toBe(region);
      expect(deploymentRegion(region).note).toMatch(/from the CDK environment/);
    }
    expect(isUsRegion('eu-west-1')).toBe(false);
  });

  it('pins Tokyo when the environment names no region, and says so', () => {
    const choice = deploymentRegion(undefined);
    expect(choice.region).toBe(DEFAULT_REGION);
    expect(choice.note).toMatch(/No region in the CDK environment/);
    expect(deploymentRegion('  ').region).toBe(DEFAULT_REGION);
  });

  it('lets a test deployment override the refusal, and refuses a malformed name', () => {
    expect(deploymentRegion('us-east-1', true).region).toBe('us-east-1');
    expect(() => deploymentRegion('tokyo')).toThrow(RegionRefused);
  });
});

describe('the CDK app', () => {
  it('refuses to build a stack for us-east-1 before synthesizing anything', () => {
    expect(() => buildApp({ ...product, CDK_DEFAULT_REGION: 'us-east-1' }, inputs)).toThrow(RegionRefused);
  });

  it('builds the stack in the region the environment names', () => {
    const { stack, regionNote } = buildApp({ ...product, CDK_DEFAULT_REGION: 'eu-central-1' }, inputs);
    expect(Stack.of(stack).region).toBe('eu-central-1');
    expect(regionNote).toBe('Deploying to eu-central-1 (from the CDK environment).');
  }, 180_000);

  it('the app as `cdk synth` runs it, with CDK_DEFAULT_REGION=us-east-1, exits 1 with the Binance reason', () => {
    let failure: { status: number | null; stderr: string } | undefined;
    try {
      execFileSync('npx', ['tsx', 'infra/aws/app.ts'], {
        env: {
          ...process.env,
          ...product,
          CDK_DEFAULT_REGION: 'us-east-1',
          CDK_CONTEXT_JSON: JSON.stringify(inputs),
        },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      const e = err as { status: number | null; stderr: string };
      failure = { status: e.status, stderr: e.stderr };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toMatch(
      /Cannot deploy to us-east-1 .*: Binance refuses requests from US IP addresses/,
    );
  }, 60_000);
});
