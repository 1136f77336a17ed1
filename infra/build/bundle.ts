// Bundling the Lambda handlers with esbuild, the same way for the CDK stack and the benchmark:
// ESM, Node 22, minified, the AWS SDK v3 left to the runtime, ccxt narrowed to Binance.
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

export const LAMBDA_FUNCTIONS = [
  'order-executor',
  'strategy-tick',
  'telegram-webhook',
  'notifier',
  'guardian',
  'funding-monitor',
  'performance-monitor',
] as const;
export type LambdaFunctionName = (typeof LAMBDA_FUNCTIONS)[number];
/**
 * The web dashboard's function (issue 18): bundled like the others, built by its own construct
 * (infra/aws/constructs/dashboard.ts) with the chart library copied beside the bundle.
 */
export const DASHBOARD_FUNCTION = 'dashboard';

/**
 * Left out of every bundle: the AWS SDK v3 (the Lambda runtime ships it); undici (ccxt imports it
 * lazily for pooling and falls back to Node's built-in fetch, the same engine — 0.5 MB saved);
 * (protobufjs, which parts of ccxt's shared code import, is a dependency and bundled.)
 */
export const BUNDLE_EXTERNALS = ['@aws-sdk/*', 'undici'] as const;
/** ccxt narrowed to the two Binance classes and its errors. */
export const BUNDLE_ALIASES: Record<string, string> = {
  ccxt: './shared/adapters/binance/ccxt-binance-only.ts',
};
/** ESM bundles of CommonJS dependencies need a `require`. */
export const BUNDLE_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export function bundleOptions(fn: string, outfile: string): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: [`functions/${fn}/handler.ts`],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    external: [...BUNDLE_EXTERNALS],
    alias: { ...BUNDLE_ALIASES },
    banner: { js: BUNDLE_BANNER },
    logLevel: 'silent',
    metafile: true,
  };
}

export async function bundle(fn: string, outfile: string) {
  return build(bundleOptions(fn, outfile));
}
