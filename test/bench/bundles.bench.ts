// `npm run bench` (part 2): every Lambda bundle's size and its cold import time in a fresh Node
// process, against a reference: importing all of ccxt the plain way, in the same run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundle, LAMBDA_FUNCTIONS } from '../../infra/build/bundle.ts';

// Inside the project so the external AWS SDK resolves from node_modules, as the Lambda runtime provides it.
const dir = join(process.cwd(), '.local', 'bundles');
mkdirSync(dir, { recursive: true });

/** Median wall time of `node -e import(file)` in fresh processes, ms. */
function coldImportMs(file: string, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const t=performance.now(); await import(${JSON.stringify(file)}); console.log(performance.now()-t)`,
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
    if (r.status !== 0) throw new Error(`import of ${file} failed: ${r.stderr.slice(0, 500)}`);
    times.push(Number(r.stdout.trim().split('\n').pop()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

process.stdout.write(
  'Lambda bundles (esbuild, minified, ESM; AWS SDK external) — cold import in a fresh process\n',
);
const refMs = coldImportMs(join(process.cwd(), 'node_modules/ccxt/js/ccxt.js'));
process.stdout.write(
  `  reference: import of the whole ccxt package             ${refMs.toFixed(0).padStart(6)} ms\n`,
);
for (const fn of LAMBDA_FUNCTIONS) {
  const out = join(dir, `${fn}.mjs`);
  await bundle(fn, out);
  const kb = statSync(out).size / 1024;
  const ms = coldImportMs(out);
  process.stdout.write(
    `  ${fn.padEnd(16)} ${(kb / 1024).toFixed(2).padStart(5)} MB   import ${ms.toFixed(0).padStart(5)} ms   (${(refMs / ms).toFixed(1)}× faster than all of ccxt)\n`,
  );
}
