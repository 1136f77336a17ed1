// `npm run docs:config`: rewrite `.env.example` and the README's configuration table from the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderEnvExample, withConfigTable } from './docs.ts';

writeFileSync('.env.example', renderEnvExample());
writeFileSync('README.md', withConfigTable(readFileSync('README.md', 'utf8')));
process.stdout.write('wrote .env.example and the README configuration table\n');
