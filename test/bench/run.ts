// `npm run bench [-- --json]`: bundles the backtest benchmark with esbuild (the code as the Lambda bundles
// ship it: plain ESM, no TypeScript loader in the hot path) and runs it in a fresh Node process; then the
// sweep throughput on the worker pool (./sweep-rate.ts, here: its workers load the TypeScript as the
// `npm run backtest` sweep does), then the bundle-size benchmark (skipped with --json, which prints the
// backtest and sweep figures alone, as one JSON object).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { sweepRate } from './sweep-rate.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const dir = join(process.cwd(), '.local', 'bench');
mkdirSync(dir, { recursive: true });
const outfile = join(dir, 'backtest.bench.mjs');
await build({
  entryPoints: [join(process.cwd(), 'test/bench/backtest.bench.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
const run = (cmd: string, argv: string[], capture = false) => {
  const r = spawnSync(cmd, argv, {
    stdio: capture ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  return capture ? r.stdout.toString() : '';
};
const backtest = run(process.execPath, [outfile, ...args], json);
const sweep = await sweepRate();
if (json) {
  process.stdout.write(`${JSON.stringify({ ...JSON.parse(backtest), sweep }, null, 2)}\n`);
} else {
  process.stdout.write(
    `\nSweep: ${sweep.strategy}, all ${sweep.combinations} combinations of its search space over the same candles on ${sweep.workers} worker threads (shared memory): ` +
      `${Math.round(sweep.candles).toLocaleString('en-US')} candles in ${sweep.wallSeconds.toFixed(2)} s = ${Math.round(sweep.candlesPerSecond).toLocaleString('en-US')} candles/s (combinations × candles / wall time), load ${loadavg()[0]!.toFixed(1)}\n\n`,
  );
  run('npx', ['tsx', 'test/bench/bundles.bench.ts']);
}
