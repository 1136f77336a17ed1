// Opening an HTML report in headless Chromium for tests: offline (every request but the file itself is
// refused and recorded), with page errors and console errors collected.
import type { Browser, Page } from 'playwright-core';

// Callbacks given to page.evaluate run in the page; the project compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: canvases, read where they are used.
declare const document: { querySelectorAll(selector: string): Iterable<any> };
declare function requestAnimationFrame(callback: () => void): number;

/** Open a report offline; returns the page, its errors and every request it made. */
export async function openReport(
  browser: Browser,
  file: string,
): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.request().url() === `file://${file}` ? route.continue() : route.abort();
  });
  await page.goto(`file://${file}`);
  await page.waitForSelector('body[data-ready="1"]');
  await page.evaluate(
    () => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))),
  );
  return { page, errors, requests };
}

/** Pixels of the candle colours (green #16a34a, red #dc2626) on the price chart's canvases. */
export function candlePixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    let n = 0;
    for (const c of document.querySelectorAll('#price-chart canvas')) {
      if (c.width === 0 || c.height === 0) continue;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b] = [d[i]!, d[i + 1]!, d[i + 2]!];
        if ((g > 140 && r < 60 && b < 110) || (r > 200 && g < 60 && b < 60)) n++;
      }
    }
    return n;
  });
}
