// Corrupt local state (`npm start -- --persist`, .local/state): a truncated run.json is refused with
// the file named and what to do, never a SyntaxError echoing the JSON; a queue journal whose last line
// a kill cut mid-write is recovered with a word on the dropped record; one damaged elsewhere is refused.
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournaledQueue } from '../../../infra/local/journaled-queue.ts';
import { startLocalRuntime } from '../../../infra/local/runtime.ts';
import { Transcript } from '../../../infra/local/saved-run.ts';
import { MemoryOrderQueue } from '../../../shared/adapters/memory/order-queue.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { makeIntentId, OrderIntentSchema } from '../../../shared/domain/order.ts';
import type { QueueMessage } from '../../../shared/ports/order-queue.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const config = loadConfig({ DEFAULT_FUTURES_STRATEGY: 'grid', SYMBOLS: 'BTCUSDT' });
const REPO = resolve(import.meta.dirname, '../../..');
const FROM = Date.UTC(2026, 8, 10);

/** A persisted run of a few hours, stopped cleanly: a `.local/state` as `npm start -- --persist` leaves it. */
async function savedRun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'autocoin-corrupt-'));
  const rt = await startLocalRuntime({ config, from: FROM, hours: 3, telegram: false, persistDir: dir });
  await rt.run();
  await rt.stop();
  return dir;
}

function truncate(file: string): string {
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
  return text;
}

function npmStart(cwd: string, days: number) {
  return spawnSync(
    join(REPO, 'node_modules/.bin/tsx'),
    [join(REPO, 'infra/local/main.ts'), '--persist', '--days', String(days), '--no-report'],
    {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, DEFAULT_FUTURES_STRATEGY: 'grid', SYMBOLS: 'BTCUSDT' },
      timeout: 120_000,
    },
  );
}

function message(sequence: number, at: number): QueueMessage {
  const intent = OrderIntentSchema.parse({
    id: makeIntentId({ source: 'journal-test', symbol: 'BTCUSDT', tickTime: at, sequence }),
    strategy: 'telegram',
    symbol: 'BTCUSDT',
    market: 'futures',
    side: 'buy',
    type: 'market',
    quantity: 0.002,
    leverage: 5,
    marginMode: 'isolated',
    createdAt: at,
  });
  return { kind: 'intent', intent };
}

describe('defect 20: corrupt local state is named, explained, and never echoed', () => {
  it('defect 20: a truncated run.json is refused with the file named and what to do, no JSON echoed', async () => {
    const dir = await savedRun();
    const file = join(dir, 'run.json');
    truncate(file);
    const err = await startLocalRuntime({ config, telegram: false, persistDir: dir }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).toBe('CorruptLocalState');
    expect(err?.message).toContain(file);
    expect(err?.message).toContain(`rm -rf ${dir}`);
    expect(err?.message).not.toContain('{"');
    expect(err!.message.length).toBeLessThan(400);
  }, 120_000);

  it('defect 20: npm start --persist on a truncated run.json exits non-zero with one readable message, no stack, no JSON', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'autocoin-cli-'));
    mkdirSync(join(cwd, '.local'));
    cpSync(await savedRun(), join(cwd, '.local/state'), { recursive: true });
    truncate(join(cwd, '.local/state/run.json'));
    const r = npmStart(cwd, 0.1);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('.local/state/run.json');
    expect(r.stderr).toContain('rm -rf .local/state');
    expect(r.stderr).not.toContain('{"');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(r.stderr.length).toBeLessThan(600);
  }, 180_000);

  it('defect 20: a journal whose last line a kill cut mid-write is recovered, and the start says one partial record was dropped', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'autocoin-cli-'));
    mkdirSync(join(cwd, '.local'));
    const dir = join(cwd, '.local/state');
    cpSync(await savedRun(), dir, { recursive: true });
    const at = FROM + 3 * 3_600_000;
    const cut = JSON.stringify({ op: 'send', id: 'x', message: message(0, at) });
    appendFileSync(join(dir, 'queue.jsonl'), cut.slice(0, 40));
    const rt = await startLocalRuntime({ config, telegram: false, persistDir: dir, hours: 1 });
    expect(rt.resumed).toEqual({ at, recovered: 0, droppedPartialRecords: 1 });
    await rt.stop();
    appendFileSync(join(dir, 'queue.jsonl'), cut.slice(0, 40));
    const r = npmStart(cwd, 1 / 24);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 partial record .*queue\.jsonl.* dropped/);
  }, 180_000);

  it('defect 20: a journal damaged before its last line is refused, naming the file and the line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'autocoin-journal-')), 'queue.jsonl');
    const good = (n: number) => `${JSON.stringify({ op: 'send', id: `m${n}`, message: message(n, FROM) })}\n`;
    writeFileSync(file, `${good(1)}{"op":"send","id":"b","mess\n${good(3)}`);
    const q = new JournaledQueue(new MemoryOrderQueue({ clock: { now: () => FROM } }), file);
    const err = await q.recover().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.name).toBe('CorruptLocalState');
    expect(err?.message).toContain(file);
    expect(err?.message).toContain('line 2');
    expect(err?.message).not.toContain('"mess');
  });

  it('a journal record that is JSON but not a queue message is refused the same way, not a raw validation error', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'autocoin-journal-')), 'queue.jsonl');
    writeFileSync(file, `${JSON.stringify({ op: 'send', id: 'z', message: { kind: 'intent' } })}\n`);
    const q = new JournaledQueue(new MemoryOrderQueue({ clock: { now: () => FROM } }), file);
    await expect(q.recover()).rejects.toMatchObject({ name: 'CorruptLocalState' });
  });

  it('a transcript whose last message a kill cut mid-write keeps the others, and appends cleanly after them', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'autocoin-transcript-')), 'transcript.jsonl');
    writeFileSync(file, `${JSON.stringify('🤖 one')}\n${JSON.stringify('🤖 two')}\n"🤖 thr`);
    const t = new Transcript(file);
    expect(t.lines).toEqual(['🤖 one', '🤖 two']);
    expect(t.droppedPartial).toBe(1);
    t.add('🤖 four');
    expect(new Transcript(file).lines).toEqual(['🤖 one', '🤖 two', '🤖 four']);
  });
});
