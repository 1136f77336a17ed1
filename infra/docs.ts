// `npm run docs`: regenerate every generated block of the README (and .env.example) from the code.
// Tests compare the committed files with these renderings, so documentation cannot drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { COMMANDS_BEGIN, COMMANDS_END, renderCommandReference } from '../shared/app/telegram/docs.ts';
import { withResultsTable } from '../shared/backtest/results-table.ts';
import { renderEnvExample, withConfigTable } from '../shared/config/docs.ts';
import { replaceBlock } from '../shared/config/markdown-block.ts';

writeFileSync('.env.example', renderEnvExample());
let readme = readFileSync('README.md', 'utf8');
readme = withConfigTable(readme);
readme = withResultsTable(readme);
readme = replaceBlock(readme, COMMANDS_BEGIN, COMMANDS_END, renderCommandReference());
writeFileSync('README.md', readme);
process.stdout.write('wrote .env.example and the README generated blocks\n');
