// `npm start -- --persist`, stopped and started again, must report the whole run — hours, orders,
// alerts, Telegram messages and the transcript — exactly as one uninterrupted run over the same span.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const MAIN = join(REPO, 'infra/local/main.ts');

/** `npm start -- --persist --from 2026-09-10 --days <days>` in `cwd` (its .local/state and reports/). */
function npmStart(cwd: string, days: number) {
  const r = spawnSync(TSX, [MAIN, '--persist', '--from', '2026-09-10', '--days', String(days)], {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      // long_short_switch: an entry fill in this span, so the bot has a message to count (grid's routine
      // placements are no longer messages by default, issue 16).
      DEFAULT_FUTURES_STRATEGY: 'long_short_switch',
      SYMBOLS: 'BTCUSDT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    timeout: 120_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The summary block, without what describes only this process: its wall-clock time and its share of the hours. */
function summary(stdout: string): string {
  const from = stdout.indexOf('\nReplayed');
  const to = stdout.indexOf('Report:');
  return stdout
    .slice(from, to)
    .replace(/ in [\d.]+ s/, ' in _ s')
    .replace(/ \(\d+ in this session\)/, '');
}

describe('defect 22: a resumed npm start --persist summarises the whole run', () => {
  it('defect 22: 4 h, stop, 4 h more reports the same hours, orders, alerts, Telegram messages and transcript as 8 h in one go', () => {
    const whole = mkdtempSync(join(tmpdir(), 'autocoin-whole-'));
    const parts = mkdtempSync(join(tmpdir(), 'autocoin-parts-'));
    const uninterrupted = summary(npmStart(whole, 8 / 24));
    npmStart(parts, 4 / 24);
    const resumed = npmStart(parts, 4 / 24);
    expect(resumed).toContain('persist: continuing the run');
    expect(uninterrupted).toContain('Replayed 8 hours');
    expect(uninterrupted).toMatch(/Telegram messages\s+[1-9]/); // the span has traffic to count
    expect(summary(resumed)).toBe(uninterrupted);
    const transcript = (dir: string) => readFileSync(join(dir, 'reports/telegram-transcript.txt'), 'utf8');
    expect(transcript(parts)).toBe(transcript(whole));
  }, 240_000);
});
