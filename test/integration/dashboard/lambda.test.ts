// The dashboard Lambda as AWS runs it: its esbuild bundle (no exchange client), with the chart library
// copied beside it as the construct does, loaded in a fresh Node process and called with Function URL
// events — the page and the library come from the bundle; data without a session is 401.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundle, DASHBOARD_FUNCTION } from '../../../infra/build/bundle.ts';

const require = createRequire(import.meta.url);

describe('dashboard Lambda bundle', () => {
  it('bundles without ccxt, under 1.5 MB, and serves the page, the chart library and a bare 401', async () => {
    const dir = join(process.cwd(), '.local', 'test-bundles', DASHBOARD_FUNCTION);
    mkdirSync(dir, { recursive: true });
    const out = join(dir, 'index.mjs');
    const r = await bundle(DASHBOARD_FUNCTION, out);
    expect(Object.keys(r.metafile!.inputs).filter((i) => /ccxt|protobufjs/.test(i))).toEqual([]);
    expect(statSync(out).size).toBeLessThan(1.5 * 1024 * 1024);
    const lib = join(dirname(require.resolve('lightweight-charts/package.json')), 'dist');
    copyFileSync(
      join(lib, 'lightweight-charts.standalone.production.js'),
      join(dir, 'lightweight-charts.js'),
    );
    const event = (path: string) => ({
      rawPath: path,
      rawQueryString: '',
      headers: { host: 'abc.lambda-url.eu-west-1.on.aws' },
      isBase64Encoded: false,
      requestContext: { domainName: 'abc.lambda-url.eu-west-1.on.aws', http: { method: 'GET' } },
    });
    const script = `
      const { handler } = await import(${JSON.stringify(out)});
      const base = ${JSON.stringify(event('/'))};
      const out = [];
      for (const p of ['/', '/charts.js', '/api/dashboard']) {
        const r = await handler({ ...base, rawPath: p }, {});
        out.push([p, r.statusCode, r.body.length, r.body.slice(0, 40)]);
      }
      console.log(JSON.stringify(out));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        TABLE_NAME: 'autocoin-test',
        QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/q.fifo',
        EVENT_BUS_NAME: 'bus',
        TELEGRAM_ALLOWED_CHAT_IDS: '424242',
        DASHBOARD_LINK_SECRET: 'a-local-secret-of-at-least-32-bytes!!',
      },
    });
    expect(run.stderr).not.toMatch(/Error/);
    const rows = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as [string, number, number, string][];
    expect(rows[0]!.slice(0, 2)).toEqual(['/', 200]);
    expect(rows[0]![3]).toMatch(/^<!doctype html>/);
    expect(rows[1]!.slice(0, 2)).toEqual(['/charts.js', 200]);
    expect(rows[1]![2]).toBeGreaterThan(100_000);
    expect(rows[2]!.slice(0, 3)).toEqual(['/api/dashboard', 401, '{"error":"unauthorized"}'.length]);
  }, 120_000);
});
