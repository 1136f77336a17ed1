// `npm run bench [-- --json]`: bundles the backtest benchmark with esbuild (the code as the Lambda bundles
// ship it: plain ESM, no TypeScript loader in the hot path) and runs it in a fresh Node process, then the
// bundle-size benchmark (skipped with --json, which prints the backtest figures alone).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const args = process.argv.slice(2);
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
const run = (cmd: string, argv: string[]) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, [outfile, ...args]);
if (!args.includes('--json')) run('npx', ['tsx', 'test/bench/bundles.bench.ts']);
