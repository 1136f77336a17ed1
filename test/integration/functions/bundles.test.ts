// The Lambda bundles build with the Binance-only ccxt alias and load in a fresh Node process: a broken
// alias or a bundling mistake fails here, not at the first cold start in AWS.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, LAMBDA_FUNCTIONS } from '../../../infra/build/bundle.ts';

/** The functions that never talk to the exchange: no ccxt at all in their bundles. */
const NO_EXCHANGE = ['notifier', 'telegram-webhook'];

describe('Lambda bundles', () => {
  it.each(LAMBDA_FUNCTIONS)(
    '%s bundles without the rest of ccxt (the webhook and notifier with none), under 1.5 MB, and imports cleanly',
    async (fn) => {
      const dir = join(process.cwd(), '.local', 'test-bundles');
      mkdirSync(dir, { recursive: true });
      const out = join(dir, `${fn}.mjs`);
      const r = await bundle(fn, out);
      const inputs = Object.keys(r.metafile!.inputs);
      const exchangeFacing = !NO_EXCHANGE.includes(fn);
      if (exchangeFacing) expect(inputs.some((i) => i.endsWith('ccxt/js/src/binanceusdm.js'))).toBe(true);
      expect(inputs.some((i) => /ccxt\/js\/src\/(okx|bybit|kraken)\.js$/.test(i))).toBe(false);
      // The bound (all of ccxt is 6.3 MB); the sizes themselves are reported by npm run bench.
      expect(statSync(out).size).toBeLessThan(1.5 * 1024 * 1024);
      if (!exchangeFacing) expect(inputs.filter((i) => /ccxt|protobufjs/.test(i))).toEqual([]);
      const run = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const m = await import(${JSON.stringify(out)}); console.log(typeof m.handler);`,
        ],
        {
          encoding: 'utf8',
          env: {
            ...process.env,
            AWS_REGION: 'eu-west-1',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        },
      );
      expect(run.stderr).toBe('');
      expect(run.stdout.trim()).toBe('function');
    },
  );
});
