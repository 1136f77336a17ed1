// The HTML report in a real headless Chromium (from the @sparticuz/chromium npm package), offline:
// every request but the file itself is refused and recorded. A scripted run with an exit, a stop and
// a liquidation (test/support/report-run.ts) checks the candlesticks, their markers, zoom, shading,
// the monthly heat map and the per-year table; the CLI's own report checks the default path.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../shared/backtest/cli.ts';
import type { BacktestResult } from '../../shared/backtest/engine.ts';
import { periodReturns } from '../../shared/backtest/periods.ts';
import { renderReport } from '../../shared/backtest/report-html.ts';
import { launchBrowser } from '../support/browser.ts';
import { candlePixels, openReport } from '../support/report-page.ts';
import { RUN_START, scriptedRun } from '../support/report-run.ts';

// Callbacks given to page.evaluate run in the page; the project compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: page globals, typed where they are read.
declare const window: any;
declare function getComputedStyle(element: unknown): { backgroundColor: string };

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const dir = mkdtempSync(join(tmpdir(), 'acf-report-'));
const EVIL = '</script><script>window.pwned=1</script>';

describe('HTML report in a browser: a run with an exit, a stop and a liquidation', () => {
  let result: BacktestResult;
  let file: string;
  let page: Page;
  let errors: string[];
  let requests: string[];
  const inSampleEnd = Date.UTC(2025, 11, 31, 23);
  beforeAll(async () => {
    result = scriptedRun();
    (result as { dataNotes?: string[] }).dataNotes = [
      'mark price: no mark-price series, last price stood in',
    ];
    const close0 = result.candles.open[0]!;
    file = join(dir, 'scripted.html');
    writeFileSync(
      file,
      renderReport(result, {
        title: 'Scripted',
        strategy: 'scripted',
        symbol: 'BTCUSDT',
        params: {},
        settings: {},
        segments: [
          { from: RUN_START, to: inSampleEnd, kind: 'in-sample' },
          { from: inSampleEnd + 3_600_000, to: result.to, kind: 'out-of-sample' },
        ],
        baselines: [
          {
            name: `hold ${EVIL}`,
            time: result.equity.time,
            value: Float64Array.from(result.candles.close, (c) => (10_000 * c) / close0),
          },
        ],
        dataNotes: ['spot: no spot candles for 2025-12, the hedge leg could not trade'],
      }),
    );
    ({ page, errors, requests } = await openReport(browser, file));
  }, 60_000);

  it('loads offline with no errors, and data cannot break out of its script block', async () => {
    expect(requests).toEqual([`file://${file}`]);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    const names = await page.evaluate(() =>
      (
        window as unknown as { report: { data: { baselines: { name: string }[] } } }
      ).report.data.baselines.map((b) => b.name),
    );
    expect(names).toEqual([`hold ${EVIL}`]);
    expect(await page.locator('#years thead').textContent()).toContain(`hold ${EVIL}`);
  });

  it('shows the data notes from the result and from the caller above the figures', async () => {
    const notes = page.locator('#data-notes li');
    expect(await notes.allTextContents()).toEqual([
      'mark price: no mark-price series, last price stood in',
      'spot: no spot candles for 2025-12, the hedge leg could not trade',
    ]);
    const noteBox = await page.locator('#data-notes').boundingBox();
    const metrics = await page.locator('#metrics').boundingBox();
    expect(noteBox!.y).toBeLessThan(metrics!.y);
  });

  it('draws 1h candles that decode to the run’s candles', async () => {
    expect(
      await page.evaluate(() =>
        (window as unknown as { report: { timeframe(): string } }).report.timeframe(),
      ),
    ).toBe('1h');
    const bars = await page.evaluate(() =>
      (
        window as unknown as {
          report: { candles(): { time: number; open: number; high: number; low: number; close: number }[] };
        }
      ).report.candles(),
    );
    expect(bars.length).toBe(result.candles.time.length);
    for (const i of [0, 99, 100, 400, 999, 1000, bars.length - 1]) {
      expect(bars[i]!.time).toBe(result.candles.time[i]! / 1000);
      expect(bars[i]!.open).toBeCloseTo(result.candles.open[i]!, 6);
      expect(bars[i]!.high).toBeCloseTo(result.candles.high[i]!, 6);
      expect(bars[i]!.low).toBeCloseTo(result.candles.low[i]!, 6);
      expect(bars[i]!.close).toBeCloseTo(result.candles.close[i]!, 6);
    }
    expect(await candlePixels(page)).toBeGreaterThan(200);
  });

  it('marks three long entries, one exit, one stop and one liquidation', async () => {
    // The script: entry 1 closed by hand (an exit), entry 2 closed by its stop (a stop, no exit),
    // entry 3 liquidated in the crash (a liquidation, no exit).
    const ids = await page.evaluate(() =>
      (
        window as unknown as {
          report: { markers: { markers(): { id: string; time: number; price: number }[] } };
        }
      ).report.markers
        .markers()
        .map((m) => m.id.split('-')[0]),
    );
    const count = (k: string) => ids.filter((x) => x === k).length;
    expect([count('long'), count('exit'), count('stop'), count('liquidation'), ids.length]).toEqual([
      3, 1, 1, 1, 6,
    ]);
    const liq = await page.evaluate(() =>
      (
        window as unknown as {
          report: { markers: { markers(): { id: string; time: number; price: number }[] } };
        }
      ).report.markers
        .markers()
        .find((m) => m.id.startsWith('liquidation')),
    );
    expect(liq!.price).toBeCloseTo(result.liquidations[0]!.liquidationPrice, 3);
    expect(liq!.time * 1000).toBeLessThanOrEqual(result.liquidations[0]!.time);
    expect(liq!.time * 1000).toBeGreaterThan(result.liquidations[0]!.time - 3_600_000);
  });

  it('zooms in on a mouse wheel over the candles, and the equity chart follows', async () => {
    const range = () =>
      page.evaluate(() => {
        const r = (
          window as unknown as {
            report: Record<
              string,
              { timeScale(): { getVisibleLogicalRange(): { from: number; to: number } } }
            >;
          }
        ).report;
        const p = r.price!.timeScale().getVisibleLogicalRange();
        const e = r.equity!.timeScale().getVisibleLogicalRange();
        return { price: p.to - p.from, equity: e.to - e.from };
      });
    await page.locator('#price-chart').scrollIntoViewIfNeeded();
    const before = await range();
    const box = (await page.locator('#price-chart').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    // Lightweight Charts zooms by at most a step per wheel event: a few notches.
    for (let k = 0; k < 6; k++) await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await range()).price, { timeout: 5_000 }).toBeLessThan(before.price * 0.8);
    await expect
      .poll(async () => (await range()).equity, { timeout: 5_000 })
      .toBeLessThan(before.equity * 0.8);
  });

  it('shades the in-sample window and the out-of-sample window, side by side, on both charts', async () => {
    await page.evaluate(() =>
      (window as unknown as { report: { price: { timeScale(): { fitContent(): void } } } }).report.price
        .timeScale()
        .fitContent(),
    );
    for (const chart of ['equity', 'drawdown']) {
      // The charts follow one another a frame or two after fitContent, and the bands follow them. Read both
      // bands in the same frame, and only once they have stood still for three frames: a transient layout
      // then cannot pass or fail this, and a page that settles with the bands apart fails it.
      const settled = await page.evaluate(async (id) => {
        // Browser globals, typed here: the project's tsconfig has no DOM library.
        const g = globalThis as unknown as {
          requestAnimationFrame(f: () => void): number;
          getComputedStyle(el: unknown): { display: string };
          document: {
            querySelector(sel: string): { getBoundingClientRect(): { x: number; width: number } } | null;
          };
        };
        const frame = () => new Promise<void>((r) => g.requestAnimationFrame(() => r()));
        const read = () => {
          const box = (sel: string) => {
            const el = g.document.querySelector(`#${id}-shades .shade.${sel}`);
            if (!el || g.getComputedStyle(el).display === 'none') return null;
            const r = el.getBoundingClientRect();
            return { x: r.x, width: r.width };
          };
          return { ins: box('in-sample'), oos: box('out-of-sample') };
        };
        let last = '';
        let still = 0;
        for (let n = 0; n < 300 && still < 3; n++) {
          await frame();
          const now = JSON.stringify(read());
          still = now === last ? still + 1 : 0;
          last = now;
        }
        return { ...read(), still };
      }, chart);
      expect(settled.still).toBe(3);
      const a = settled.ins!;
      const b = settled.oos!;
      // 2025-11-20 → 12-31 in-sample is 42 days, 2026-01-01 → 02-10 out-of-sample 40 days.
      expect(b.width).toBeGreaterThan(50);
      expect(a.width).toBeGreaterThan(50);
      expect(a.width / b.width).toBeGreaterThan(0.9);
      expect(a.width / b.width).toBeLessThan(1.2);
      expect(Math.abs(a.x + a.width - b.x)).toBeLessThan(2);
    }
  });

  it('has one heat-map cell per month of the run, coloured by the sign of its return', async () => {
    // 2025-11-20 → 2026-02-09: Nov and Dec 2025, Jan and Feb 2026; the other 20 months of the two rows are empty.
    const cells = await page.locator('#heatmap td.m').evaluateAll((tds) =>
      tds.map((td) => ({
        period: td.getAttribute('data-period'),
        cls: td.className,
        bg: getComputedStyle(td).backgroundColor,
      })),
    );
    expect(cells.map((c) => c.period)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(await page.locator('#heatmap td.none').count()).toBe(20);
    // November: entry 1 sold 10 % higher (a gain); December: the stop and the liquidation (a loss);
    // January and February: flat, no position, no funding.
    expect(cells.map((c) => c.cls)).toEqual(['m pos', 'm neg', 'm zero', 'm zero']);
    const rgb = (s: string) => s.match(/\d+(\.\d+)?/g)!.map(Number);
    const [nov, dec] = [rgb(cells[0]!.bg), rgb(cells[1]!.bg)];
    expect(nov[1]).toBeGreaterThan(nov[0]!);
    expect(dec[0]).toBeGreaterThan(dec[1]!);
  });

  it('has a per-year table that matches periodReturns, ending at the final equity', async () => {
    const years = periodReturns(
      result.equity.time,
      result.equity.value,
      result.metrics.initialEquity,
      'year',
    );
    const rows = await page
      .locator('#years tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
    expect(rows.map((r) => r[0])).toEqual(['2025', '2026']);
    const pct = (v: number) => `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(2)} %`;
    rows.forEach((r, i) => {
      expect(r[1]).toBe(pct(years[i]!.returnPct));
      expect(r[2]).toBe(`${years[i]!.maxDrawdownPct.toFixed(2)} %`);
      expect(r[4]).toBe(years[i]!.endEquity.toFixed(2));
    });
    expect(rows[1]![4]).toBe(result.metrics.finalEquity.toFixed(2));
  });

  it('switches to daily candles with the markers on their days', async () => {
    await page.click('button[data-tf="1d"]');
    const out = await page.evaluate(() => {
      const r = (
        window as unknown as {
          report: {
            candleSeries: { data(): unknown[] };
            markers: { markers(): unknown[] };
            timeframe(): string;
          };
        }
      ).report;
      return { tf: r.timeframe(), bars: r.candleSeries.data().length, markers: r.markers.markers().length };
    });
    // 82 days of hourly bars; entries, the exit, the stop and the liquidation fall on six different days.
    expect(out).toEqual({ tf: '1d', bars: 82, markers: 6 });
    expect(errors).toEqual([]);
  });
});

describe('HTML report in a browser: the CLI report', () => {
  it('opens without errors, offline, with candles, equity, no shading and the data notes (screenshot taken)', async () => {
    const report = join(dir, 'report.html');
    const code = await main(['--strategy', 'buy_and_hold', '--report', report], {
      out: () => {},
      err: () => {},
      isTTY: false,
    });
    expect(code).toBe(0);
    const { page, errors, requests } = await openReport(browser, report);
    const chart = page.locator('#equity-chart');
    const box = await chart.boundingBox();
    expect(box?.width).toBeGreaterThan(500);
    expect(box?.height).toBeGreaterThan(100);
    expect(await candlePixels(page)).toBeGreaterThan(200);
    expect(await page.locator('.shade').count()).toBe(0);
    // The shipped BTCUSDT mark series ends in May 2026 while the perp runs to September: the page says so.
    expect(await page.locator('#data-notes').count()).toBe(1);
    expect(await page.locator('#data-notes').textContent()).toMatch(/last price stands in/);
    const shot = join(dir, 'equity.png');
    await chart.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(2_000);
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${report}`]);
  }, 60_000);
});
