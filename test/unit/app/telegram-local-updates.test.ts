// `npm run tg` runs as a new process each time: the update ids it sends must never repeat across runs,
// or the bot (rightly) answers the second command "already received".
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nextLocalUpdateId } from '../../../infra/local/telegram-updates.ts';

describe('defect 21: local update ids', () => {
  it('defect 21: successive runs (same instant, even a clock set back) never reuse an id', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tg-ids-')), 'sub', 'tg-last-update-id');
    const t = 1_788_094_800_000;
    const ids = [
      nextLocalUpdateId(file, t),
      nextLocalUpdateId(file, t),
      nextLocalUpdateId(file, t - 60_000),
      nextLocalUpdateId(file, t + 5),
    ];
    expect(ids).toEqual([t, t + 1, t + 2, t + 5]);
  });

  it('defect 21: without the file (deleted, fresh checkout) ids start from the time, not from a fixed number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tg-ids-'));
    const file = join(dir, 'tg-last-update-id');
    expect(nextLocalUpdateId(file, 1_788_094_800_000)).toBe(1_788_094_800_000);
    rmSync(file);
    expect(nextLocalUpdateId(file, 1_788_094_900_000)).toBe(1_788_094_900_000);
    writeFileSync(file, 'garbage');
    expect(nextLocalUpdateId(file, 1_788_095_000_000)).toBe(1_788_095_000_000);
  });
});
