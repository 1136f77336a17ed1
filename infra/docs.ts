// `npm run docs`: regenerate every generated block of the README (and .env.example) from the code.
// Tests compare the committed files with these renderings, so documentation cannot drift.
// The walk-forward results (shared/backtest/readme-results.json) take minutes to regenerate:
//   npm run docs                      regenerate them, then every block
//   npm run docs -- --no-results      re-render every block from the committed results
//   npm run docs -- --data <dir> --out <file.json>   only compute the results on other data (no README)
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { COMMANDS_BEGIN, COMMANDS_END, renderCommandReference } from '../shared/app/telegram/docs.ts';
import { progressBar } from '../shared/backtest/progress.ts';
import {
  generateReadmeResults,
  README_RESULTS_PATH,
  type ReadmeResults,
  readReadmeResults,
} from '../shared/backtest/readme-results.ts';
import { withResultsTable } from '../shared/backtest/results-table.ts';
import { renderEnvExample, withConfigTable } from '../shared/config/docs.ts';
import { replaceBlock } from '../shared/config/markdown-block.ts';
import { loadDataset } from '../shared/market-data/dataset.ts';
import { COST_BEGIN, COST_END, renderCostTable } from './cost/readme-table.ts';

const { values } = parseArgs({
  options: {
    'no-results': { type: 'boolean' },
    data: { type: 'string' },
    out: { type: 'string' },
    workers: { type: 'string' },
  },
});

let results: ReadmeResults;
if (values['no-results']) {
  results = readReadmeResults();
} else {
  const started = performance.now();
  results = await generateReadmeResults({
    load: (symbol) => loadDataset(symbol, values.data),
    workers: values.workers !== undefined ? Number(values.workers) : availableParallelism(),
    onProgress: (label) =>
      process.stderr.isTTY ? progressBar(label, (s) => process.stderr.write(s)) : undefined,
    onRun: (r, ms, cps) =>
      process.stderr.write(
        `${r.strategy} ${r.symbol}: walk-forward in ${(ms / 1000).toFixed(1)} s (${r.method.windows} windows × ${r.method.combinations} combinations, ${r.candlesSimulated.toLocaleString('en-US')} candles, ${cps.toLocaleString('en-US')} candles/s in the sweeps)\n`,
      ),
  });
  process.stderr.write(`all walk-forward runs: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const path = values.out ?? README_RESULTS_PATH;
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
  if (values.out !== undefined) {
    process.stdout.write(`wrote ${path} (README untouched)\n`);
    process.exit(0);
  }
}

writeFileSync('.env.example', renderEnvExample());
let readme = readFileSync('README.md', 'utf8');
readme = withConfigTable(readme);
readme = withResultsTable(readme, results);
readme = replaceBlock(readme, COMMANDS_BEGIN, COMMANDS_END, renderCommandReference());
readme = replaceBlock(readme, COST_BEGIN, COST_END, await renderCostTable());
writeFileSync('README.md', readme);
process.stdout.write('wrote .env.example and the README generated blocks\n');
