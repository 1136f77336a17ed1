// Reading a shipped or user data file: `<name>.csv` as is, or `<name>.csv.gz` (gzip, through Node's own
// zlib: no dependency). The plain file wins when both exist, so a user can override a shipped one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface DataFile {
  path: string;
  text: string;
}

/** `<dir>/<name>.csv` or `<dir>/<name>.csv.gz`; undefined when neither exists. */
export function readDataFile(dir: string, name: string): DataFile | undefined {
  const plain = join(dir, `${name}.csv`);
  try {
    return { path: plain, text: readFileSync(plain, 'utf8') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const gz = `${plain}.gz`;
  let bytes: Buffer;
  try {
    bytes = readFileSync(gz);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { path: gz, text: gunzipSync(bytes).toString('utf8') };
}
