// The HTML report in a real headless Chromium (from the @sparticuz/chromium npm package): it loads
// with no errors, offline, and the equity chart renders with a drawn line.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../shared/backtest/cli.ts';
import { launchBrowser } from '../support/browser.ts';

describe('HTML report in a browser', () => {
  it('opens without errors and shows the equity chart (screenshot taken)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'acf-browser-'));
    const report = join(dir, 'report.html');
    const code = await main(['--strategy', 'buy_and_hold', '--report', report], {
      out: () => {},
      err: () => {},
      isTTY: false,
    });
    expect(code).toBe(0);

    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${report}`);
      const chart = page.locator('#equity-chart');
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(500);
      expect(box?.height).toBeGreaterThan(100);
      const line = page.locator('#equity-chart polyline.equity');
      const points = (await line.getAttribute('points')) ?? '';
      expect(points.split(' ').length).toBeGreaterThan(100);
      const lineBox = await line.boundingBox();
      expect(lineBox?.width).toBeGreaterThan(500);
      const shot = join(dir, 'equity.png');
      await chart.screenshot({ path: shot });
      expect(statSync(shot).size).toBeGreaterThan(2_000);
      expect(errors).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
