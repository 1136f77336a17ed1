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
  'position-monitor',
  'risk-monitor',
] as const;

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
    // The Lambda Node.js runtime ships the AWS SDK v3. undici: ccxt imports it lazily for connection
    // pooling and falls back to Node's built-in fetch (the same engine) when it is absent — 0.5 MB saved.
    external: ['@aws-sdk/*', 'undici'],
    alias: { ccxt: './shared/adapters/binance/ccxt-binance-only.ts' },
    // ccxt loads protobuf only for MEXC websockets (a dynamic import we never reach).
    plugins: [
      {
        name: 'drop-protobuf',
        setup(b) {
          b.onResolve({ filter: /^protobufjs(\/.*)?$|protobuf\/mexc\/compiled\.cjs$/ }, (args) => ({
            path: args.path,
            namespace: 'empty',
          }));
          b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({
            contents: 'export default {}',
            loader: 'js',
          }));
        },
      },
    ],
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'silent',
    metafile: true,
  };
}

export async function bundle(fn: string, outfile: string) {
  return build(bundleOptions(fn, outfile));
}
