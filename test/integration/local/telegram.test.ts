// The local Telegram endpoint of `npm start`, driven the way a user drives it: `npm run tg` (the real
// CLI, in its own process) posts Updates to the webhook handler served on 127.0.0.1 and prints what the
// bot sends to the local Bot API stand-in. The runtime behind it is the real local wiring.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../../infra/local/runtime.ts';
import { loadConfig } from '../../../shared/config/env.ts';

const dir = mkdtempSync(join(tmpdir(), 'autocoin-tg-'));
const infoFile = join(dir, 'telegram.json');
let runtime: Awaited<ReturnType<typeof startLocalRuntime>>;
const printed: string[] = [];
const config = loadConfig({ DEFAULT_FUTURES_STRATEGY: 'grid', SYMBOLS: 'BTCUSDT' });

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  runtime = await startLocalRuntime({
    config,
    store: 'memory',
    from: Date.UTC(2026, 8, 10),
    hours: 12,
    telegram: { infoFile, onMessage: (m) => printed.push(m.text) },
  });
  await runtime.run();
}, 120_000);

afterAll(async () => {
  await runtime.stop();
});

/** `npm run tg -- …` as a user types it, in its own process (async: the runtime answers from this one). */
function tg(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return tgWithInput(undefined, ...args);
}

/** The same, with `input` typed (piped) into its prompt. */
function tgWithInput(
  input: string | undefined,
  ...args: string[]
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      '--import',
      'tsx',
      'infra/local/tg.ts',
      '--info',
      infoFile,
      ...args,
    ]);
    if (input !== undefined) child.stdin.end(input);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill(), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describe('local Telegram endpoint', () => {
  it('writes where the webhook is, readable only by the user, and refuses a wrong secret', async () => {
    const info = JSON.parse(readFileSync(infoFile, 'utf8'));
    expect(info).toMatchObject({ chatId: 1001, pid: process.pid });
    expect(statSync(infoFile).mode & 0o077).toBe(0);
    const r = await fetch(info.webhookUrl, {
      method: 'POST',
      headers: { 'x-telegram-bot-api-secret-token': 'guess' },
      body: '{"update_id":1}',
    });
    expect(r.status).toBe(401);
  });

  it('npm run tg -- "/futures_status" answers with the account of the running replay', async () => {
    const r = await tg('/futures_status');
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/🤖 Equity [\d,]+\.\d\d USDT/);
    expect(r.out).toMatch(/grid (running|PAUSED)/);
    expect(r.out).toMatch(/BTCUSDT (long|short) [\d.]+ @ |No open positions\./);
  }, 60_000);

  it('buttons: /halt, then /resume asks for confirmation and --press Confirm lifts the halt', async () => {
    expect((await tg('/halt')).out).toMatch(/🤖 Halted/);
    expect((await runtime.deps.store.getHalt()).halted).toBe(true);
    const ask = await tg('/resume');
    expect(ask.out).toMatch(/Resume trading\?[\s\S]*buttons: \[Confirm\] \[Cancel\]/);
    expect((await tg('--press', 'Confirm')).out).toMatch(/🤖 Resumed: new orders are accepted again/);
    expect((await runtime.deps.store.getHalt()).halted).toBe(false);
    expect((await tg('--press', 'Confirm')).out).toMatch(/already used/);
  }, 60_000);

  it('defect 21: two runs of npm run tg with the same command are two commands, each queued once', async () => {
    // Each `npm run tg` is its own process: its update ids must not restart (they used to, at 10000,
    // and the second command was answered "Queued" and then dropped as a duplicate of the first).
    // BTCUSDT is grid's, where a manual open is refused (issue 16): for this test the trader takes the
    // symbol over (grid assigned nothing), as a reassignment would.
    expect((await tg('/futures_open long 300 BTCUSDT')).out).toMatch(/Refused — nothing was sent/);
    const assignment = config.assignment;
    config.assignment = {};
    const first = await tg('/futures_open long 300 BTCUSDT');
    const second = await tg('/futures_open long 300 BTCUSDT');
    config.assignment = assignment;
    const a = /Queued (ac-[0-9a-f]{32})/.exec(first.out)?.[1];
    const b = /Queued (ac-[0-9a-f]{32})/.exec(second.out)?.[1];
    expect(a, first.out + first.err).toBeDefined();
    expect(b, second.out + second.err).toBeDefined();
    expect(b).not.toBe(a);
    expect(second.out).not.toMatch(/Already received/);
    await runtime.drain();
    for (const id of [a!, b!]) expect((await runtime.deps.store.getIntent(id))?.status).toBe('DONE');
  }, 60_000);

  it('bad input: one line, a non-zero exit, nothing sent', async () => {
    const before = runtime.telegram!.botApi.messages.length;
    const r = await tg('hello');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/commands start with "\/"/);
    expect((await tg('--press', 'Launch')).err).toMatch(/no button "Launch"/);
    expect(runtime.telegram!.botApi.messages.length).toBe(before);
  }, 60_000);

  it('the prompt: every typed line is handled in order, mistakes answered without leaving', async () => {
    const r = await tgWithInput('/futures_status\nhello\n/liquidation_risk\n');
    expect(r.code).toBe(0);
    const equity = r.out.indexOf('🤖 Equity');
    const mistake = r.out.indexOf('commands start with "/"');
    const thresholds = r.out.indexOf('🤖 Thresholds: warning under');
    expect(equity).toBeGreaterThan(0);
    expect(mistake).toBeGreaterThan(equity);
    expect(thresholds).toBeGreaterThan(mistake);
  }, 60_000);

  it('with no runtime running, says how to start one', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'infra/local/tg.ts', '--info', join(dir, 'none.json'), '/futures_status'],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/No local runtime is running .* npm start -- --realtime/);
  }, 60_000);

  it('the run’s domain events reached the bot through the notifier', () => {
    expect(printed.some((t) => /Filled|Placed|Halted/.test(t))).toBe(true);
    expect(existsSync(infoFile)).toBe(true);
  });
});
