// The Lambda functions: NodejsFunction bundled by the local esbuild with the same settings as
// infra/build/bundle.ts (ESM, Binance-only ccxt, AWS SDK from the runtime), Node.js 22 on arm64,
// per-function memory and timeout, a log group with retention each, least-privilege grants.

import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import {
  type BundlingOptions,
  NodejsFunction,
  type NodejsFunctionProps,
  OutputFormat,
} from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  BUNDLE_ALIASES,
  BUNDLE_BANNER,
  BUNDLE_EXTERNALS,
  type LambdaFunctionName,
} from '../../build/bundle.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface FunctionSpec {
  memoryMb: number;
  timeout: Duration;
}

/** Memory and timeout per function: the numbers the cost model (npm run cost) also reads. */
export const FUNCTION_SPECS: Record<LambdaFunctionName, FunctionSpec> = {
  'order-executor': { memoryMb: 512, timeout: Duration.seconds(60) },
  'strategy-tick': { memoryMb: 512, timeout: Duration.seconds(120) },
  // Measured peak RSS (test/bench/lambda-memory.ts: a minute's work against loopback stand-ins with
  // Binance's full-size exchangeInfo; spot markets loaded for the configured symbols only, ~550 futures
  // markets whole): guardian 125 MB (12 checks), funding-monitor 125 MB, performance-monitor 120 MB —
  // ~40 MB of it Node itself, ~30 MB loading ccxt's Binance code, the rest mostly young-generation
  // slack (113 / 79 / 77 MB with --max-semi-space-size=1). 128 MB would leave < 3 % headroom, so all
  // three get 160 MB (≥ 20 % headroom). Before issue 17's market filter: 147 / 122 / 156 MB.
  // No leak: 144 guardian checks run in a 40 MB old space (110 MB peak RSS; 147 MB unconstrained).
  guardian: { memoryMb: 160, timeout: Duration.seconds(70) },
  'funding-monitor': { memoryMb: 160, timeout: Duration.seconds(60) },
  'performance-monitor': { memoryMb: 160, timeout: Duration.seconds(60) },
  'telegram-webhook': { memoryMb: 512, timeout: Duration.seconds(30) },
  notifier: { memoryMb: 256, timeout: Duration.seconds(30) },
};

export function productFunction(
  scope: Construct,
  name: LambdaFunctionName,
  environment: Record<string, string>,
  options: Pick<NodejsFunctionProps, 'reservedConcurrentExecutions' | 'vpc' | 'vpcSubnets'> = {},
): NodejsFunction {
  const spec = FUNCTION_SPECS[name];
  const logGroup = new LogGroup(scope, `${name}-logs`, {
    retention: RetentionDays.ONE_MONTH,
    // The audit trail outlives `cdk destroy` (it still expires after its retention).
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return new NodejsFunction(scope, name, {
    entry: `${root}functions/${name}/handler.ts`,
    handler: 'handler',
    projectRoot: root,
    depsLockFilePath: `${root}package-lock.json`,
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    memorySize: spec.memoryMb,
    timeout: spec.timeout,
    logGroup,
    ...options,
    environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: name, ...environment },
    bundling: PRODUCT_BUNDLING,
  });
}

/** The esbuild settings of every function (infra/build/bundle.ts), also the dashboard construct's. */
export const PRODUCT_BUNDLING = {
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: false,
  externalModules: [...BUNDLE_EXTERNALS],
  esbuildArgs: Object.fromEntries(Object.entries(BUNDLE_ALIASES).map(([k, v]) => [`--alias:${k}`, v])),
  banner: BUNDLE_BANNER,
  forceDockerBundling: false,
} satisfies BundlingOptions;
