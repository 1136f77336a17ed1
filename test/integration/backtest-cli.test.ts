import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../shared/backtest/cli.ts';
import { SEARCH_SPACES, searchCombinations } from '../../shared/strategies/search-space.ts';
import { monthDataDir } from '../support/month-data.ts';

/** The grid's declared search space (shared/strategies/search-space.ts), swept in every window. */
const GRID_COMBINATIONS = searchCombinations(SEARCH_SPACES.grid!).length;

// The month these tests were written against (the shipped data is six years).
const MONTH = monthDataDir();

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

const METRIC_KEYS = [
  'netPnl',
  'returnPct',
  'maxDrawdownPct',
  'sharpe',
  'sortino',
  'winRatePct',
  'trades',
  'fees',
  'fundingPnl',
  'liquidations',
  'exposurePct',
];

describe('npm run backtest', () => {
  it('--json on the shipped data prints valid JSON with every metric, byte-identical twice', () => {
    const once = () =>
      spawnSync(
        'npm',
        [
          'run',
          '-s',
          'backtest',
          '--',
          '--strategy',
          'buy_and_hold',
          '--symbol',
          'BTCUSDT',
          '--data',
          MONTH,
          '--json',
          '--no-report',
        ],
        {
          encoding: 'utf8',
        },
      );
    const a = once();
    const b = once();
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const json = JSON.parse(a.stdout);
    for (const k of METRIC_KEYS) expect(Number.isFinite(json.metrics[k])).toBe(true);
    expect(json.metrics.bars).toBe(755);
    expect(json.symbol).toBe('BTCUSDT');
  });

  it('writes a self-contained HTML report with the equity chart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acf-report-'));
    const path = join(dir, 'r.html');
    const r = await run(['--strategy', 'buy_and_hold', '--data', MONTH, '--report', path]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Report: ${path}`);
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('id="equity-chart"');
    // Self-contained: scripts, styles and data inline, nothing loaded from elsewhere (the only URLs are
    // the chart library's attribution links; report-browser.test.ts checks no request in Chromium).
    expect(html).toContain('<script type="application/json" id="report-data">');
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link\b|<img\b|<iframe\b/i);
  });

  it.each([
    [['--strategy', 'martingale'], /--strategy must be one of/],
    [['--strategy', 'buy_and_hold', '--from', 'yesterday'], /--from must be a date/],
    [
      ['--strategy', 'buy_and_hold', '--from', '2026-09-10', '--to', '2026-09-01'],
      /--to must be after --from/,
    ],
    [['--strategy', 'buy_and_hold', '--fee=-1'], /--fee must be a number/],
    [['--strategy', 'buy_and_hold', '--sweep', 'levels=9:3:1'], /--sweep must look like/],
    [['--strategy', 'buy_and_hold', '--bogus'], /Unknown option '--bogus'/],
    [['--strategy', 'grid', '--walk-forward', '--in-sample', '6y'], /--in-sample must look like 6m/],
    [['--strategy', 'grid', '--walk-forward', '--rank', 'luck'], /--rank must be one of/],
  ])('rejects %j with a usage error (exit 2)', async (args, pattern) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(r.out).toBe('');
  });

  it('rejects strategy parameters that fail the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acf-params-'));
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ positionPct: -5 }));
    const r = await run(['--strategy', 'buy_and_hold', '--params', file, '--no-report']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/positionPct/);
  });

  it('a user CSV with a bad row is refused with the line named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acf-data-'));
    writeFileSync(
      join(dir, 'BTCUSDT-1h.csv'),
      'timestamp,open,high,low,close,volume\n0,1,1,1,1,1\n3600000,1,0.5,1,1,1\n',
    );
    const r = await run(['--strategy', 'buy_and_hold', '--data', dir, '--no-report']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3: high\/low inconsistent/);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });

  it('a sweep ranks combinations in-sample and reports them on the held-back data', async () => {
    const r = await run([
      '--strategy',
      'buy_and_hold',
      '--data',
      MONTH,
      '--sweep',
      'positionPct=10:20:10',
      '--sweep',
      'stopLossPct=20:40:20',
      '--rank',
      'returnPct',
      '--workers',
      '2',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.out);
    expect(s.combinations).toBe(4);
    expect(s.rows).toHaveLength(4);
    expect(s.inSample.to).toBe(s.outOfSample.from);
    const returns = s.rows.map((row: { inSample: { returnPct: number } }) => row.inSample.returnPct);
    expect([...returns].sort((a, b) => b - a)).toEqual(returns);
    for (const row of s.rows) expect(Number.isFinite(row.outOfSample.returnPct)).toBe(true);
  });

  // September 2026 of the shipped data in 7-day windows: a walk-forward small enough for the suite.
  const WF = ['--strategy', 'grid', '--symbol', 'BTCUSDT', '--from', '2026-09-01', '--to', '2026-09-30'];
  const WF_OPTIONS = ['--walk-forward', '--in-sample', '7d', '--out-of-sample', '7d', '--rank', 'return'];

  it('--walk-forward --json carries the out-of-sample metrics and baselines; byte-identical across runs and worker counts', () => {
    const once = (workers: string) =>
      spawnSync(
        'npm',
        ['run', '-s', 'backtest', '--', ...WF, ...WF_OPTIONS, '--workers', workers, '--json', '--no-report'],
        { encoding: 'utf8' },
      );
    const a = once('2');
    const b = once('1');
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    // The cost line goes to stderr, never into the JSON.
    expect(a.stderr).toMatch(
      /candles simulated \(combinations × candles\) in [\d.]+ s on 2 worker thread\(s\): [\d,]+ candles\/s/,
    );
    const json = JSON.parse(a.stdout);
    const wf = json.walkForward;
    expect(wf.method).toMatchObject({
      inSample: '7d',
      outOfSample: '7d',
      rank: 'returnPct',
      combinations: GRID_COMBINATIONS,
    });
    expect(wf.windows.length).toBe(wf.method.windows);
    for (const k of [...METRIC_KEYS, 'cagrPct', 'calmar'])
      expect(Number.isFinite(wf.outOfSample.metrics[k])).toBe(true);
    expect(wf.outOfSample.from).toBe(wf.windows[0].outOfSampleFrom);
    expect(wf.baselines.map((x: { name: string }) => x.name)).toEqual(['buy and hold (1x spot)']);
    expect(wf.perYear[0].year).toBe('2026');
    // Ranked by return: each window's set has the best in-sample return of the 12 (checked in the unit
    // tests); here, the recorded rank value is that return.
    for (const w of wf.windows) expect(w.inSample.rankValue).toBe(w.inSample.returnPct);
  }, 600_000);

  it('--walk-forward prints in-sample beside out-of-sample and baselines, and reports the stitched run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acf-wf-'));
    const path = join(dir, 'wf.html');
    const r = await run([...WF, ...WF_OPTIONS, '--workers', '2', '--report', path]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      new RegExp(
        `Walk-forward grid on BTCUSDT: \\d+ windows, in-sample 7d, out-of-sample 7d, ${GRID_COMBINATIONS} combinations`,
      ),
    );
    expect(r.out).toMatch(
      /year +out-of-sample +max DD +trades +in-sample \(promised\) +buy and hold \(1x spot\)/,
    );
    expect(readFileSync(path, 'utf8')).toContain('Walk-forward (out of sample): grid on BTCUSDT');
  }, 600_000);

  it('--walk-forward on a strategy without declared ranges says so (exit 1)', async () => {
    const r = await run(['--strategy', 'buy_and_hold', '--walk-forward', '--no-report']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/buy_and_hold declares no parameter ranges/);
  });
});
