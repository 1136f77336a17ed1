// DESIGN §3: use cases are written against ports; the code that builds AWS, Binance or Telegram
// adapters (the composition roots) lives beside the handlers or in infra/, never in shared/app.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('shared/app imports ports only', () => {
  it('no file under shared/app imports an adapter, an SDK, ccxt or telegraf (types aside)', () => {
    const offenders = filesUnder('shared/app').flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/^import (?!type )[^;]*?from '([^']+)'/gms)]
        .map((m) => m[1]!)
        .filter((spec) => /\/adapters\/|^@aws-sdk|^ccxt|^telegraf|^@aws-lambda-powertools/.test(spec))
        .map((spec) => `${f}: ${spec}`),
    );
    expect(offenders).toEqual([]);
  });
});
