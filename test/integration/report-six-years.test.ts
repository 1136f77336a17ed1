// Six years of 1h candles in the HTML report, in headless Chromium: the page never puts more than 6,000
// candles on screen (opens on 1d, picking 1h keeps the last 6,000 bars, zooming out steps coarser).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buyAndHold } from '../../shared/backtest/buy-and-hold.ts';
import { runBacktest } from '../../shared/backtest/engine.ts';
import { renderReport } from '../../shared/backtest/report-html.ts';
import { launchBrowser } from '../support/browser.ts';
import { candles } from '../support/candles.ts';
import { openReport } from '../support/report-page.ts';

// The callback given to page.evaluate runs in the page; the project compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: the page's window, read where it is used.
declare const window: any;

let browser: Awaited<ReturnType<typeof launchBrowser>>;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});
const dir = mkdtempSync(join(tmpdir(), 'acf-report-6y-'));

describe('HTML report in a browser: six years of 1h candles', () => {
  it('opens on daily candles, shows at most 6,000 bars when 1h is picked, and steps coarser when zoomed out', async () => {
    // 6 × 365 days of hourly bars (52,560), a slow sine around 100: buy_and_hold through all of it.
    const n = 6 * 365 * 24;
    const rows = Array.from({ length: n }, (_, i) => {
      const p = 100 + 20 * Math.sin(i / 2000);
      return [p, p + 0.5, p - 0.5, p] as const;
    });
    const result = runBacktest({
      strategy: buyAndHold,
      params: buyAndHold.paramsSchema.parse({}),
      dataset: {
        symbol: 'BTCUSDT',
        timeframe: '1h',
        candles: candles(rows, Date.UTC(2020, 0, 1)),
        funding: { time: new Float64Array(0), rate: new Float64Array(0) },
        gaps: [],
      },
    });
    const file = join(dir, 'six-years.html');
    writeFileSync(
      file,
      renderReport(result, {
        title: 'Six years',
        strategy: 'buy_and_hold',
        symbol: 'BTCUSDT',
        params: {},
        settings: {},
      }),
    );
    const { page, errors, requests } = await openReport(browser, file);
    const state = () =>
      page.evaluate(() => {
        const r = window.report;
        const lr = r.price.timeScale().getVisibleLogicalRange();
        return {
          tf: r.timeframe() as string,
          visible: lr.to - lr.from,
          bars: r.candleSeries.data().length as number,
        };
      });
    expect(await state()).toMatchObject({ tf: '1d', bars: 6 * 365 });
    await page.click('button[data-tf="1h"]');
    const picked = await state();
    expect(picked.tf).toBe('1h');
    expect(picked.visible).toBeLessThanOrEqual(6_001);
    await page.locator('#price-chart').scrollIntoViewIfNeeded();
    const box = (await page.locator('#price-chart').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 10; k++) await page.mouse.wheel(0, 600);
    await expect.poll(async () => (await state()).tf, { timeout: 10_000 }).not.toBe('1h');
    expect(errors).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
  }, 120_000);
});
