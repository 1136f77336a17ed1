// Issue 18 in a real headless Chromium: the dashboard of a local run (`npm start`'s wiring: dynalite,
// the simulated exchange replaying real Binance data, the notifier), signed in with a /dashboard link
// or as a Telegram Mini App. Every request is recorded; any that would leave 127.0.0.1 is refused.
import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntime } from '../../../infra/local/runtime.ts';
import { LOCAL_BOT_TOKEN, LOCAL_CHAT_ID } from '../../../infra/local/telegram.ts';
import { signInitData } from '../../../shared/app/dashboard/init-data.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { launchBrowser } from '../../support/browser.ts';

// Callbacks given to page.evaluate run in the page; the project compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: page globals, read where they are used.
declare const document: any;
// biome-ignore lint/suspicious/noExplicitAny: page globals.
declare const window: any;

const dir = mkdtempSync(join(tmpdir(), 'acf-dashboard-'));
const infoFile = join(dir, 'dashboard.json');
// funding_arbitrage on BTCUSDT (it hedges after its warm-up in this stretch) and grid on ETHUSDT.
const config = loadConfig({
  ENABLED_STRATEGIES: 'funding_arbitrage,grid',
  STRATEGY_SYMBOLS: 'grid=ETHUSDT',
  SYMBOLS: 'BTCUSDT,ETHUSDT',
});
type Runtime = Awaited<ReturnType<typeof startLocalRuntime>>;
let runtime: Runtime;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let url: string;

beforeAll(async () => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  runtime = await startLocalRuntime({
    config,
    from: Date.UTC(2025, 8, 26),
    hours: 24 * 10,
    store: 'memory',
    telegram: { infoFile: false },
    dashboard: { infoFile },
  });
  await runtime.run();
  url = runtime.dashboard!.url;
  browser = await launchBrowser();
  // The packaged Chromium runs as one process: one context for the suite (a closed context can take
  // the browser with it), its cookies cleared before each test, a page per test.
  context = await browser.newContext();
  await context.route('**/*', (route) => {
    const u = route.request().url();
    requests.push(u);
    return u.startsWith(`${url}/`) ? route.continue() : route.abort();
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

let context: BrowserContext;
/** Every request the browser made (only the dashboard's are let through). */
const requests: string[] = [];

/** A fresh page without cookies; its errors collected. */
async function offline(viewport = { width: 1280, height: 900 }) {
  await context.clearCookies();
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  const errors: string[] = [];
  const mine: string[] = [];
  page.on('request', (r) => mine.push(r.url()));
  const close = async () => {
    // Whatever the test was, nothing left 127.0.0.1 (refused requests are recorded too).
    expect(mine.filter((u) => !u.startsWith(`${url}/`))).toEqual([]);
    await page.close();
  };
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { context: { close }, page, requests: mine, errors };
}

async function ready(page: Page) {
  await page.waitForSelector('body[data-ready="1"]');
  await page.evaluate(
    () =>
      new Promise<void>((r) => window.requestAnimationFrame(() => window.requestAnimationFrame(() => r()))),
  );
}

/** Pixels of the candle colours on the trade chart's canvases. */
function candlePixels(page: Page): Promise<number> {
  return page.evaluate(() => {
    let n = 0;
    for (const c of document.querySelectorAll('#price-chart canvas')) {
      if (c.width === 0 || c.height === 0) continue;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
        if ((g > 140 && r < 90 && b < 130) || (r > 200 && g < 90 && b < 90)) n++;
      }
    }
    return n;
  });
}

// innerText, not textContent: the rendered lines (a label and its value) are what a trader reads.
// biome-ignore lint/performance/useDomNodeTextContent: layout-aware text is the point here.
const panelText = (page: Page, id: string) => page.locator(`#${id}`).innerText();

describe('signed in with a /dashboard link', () => {
  for (const size of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    it(`renders every panel with the run's data at ${size.name} size, offline, without console errors`, async () => {
      const { context, page, requests, errors } = await offline(size);
      const response = await page.goto(runtime.dashboard!.newLink());
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).search).toBe(''); // redirected off the link: no token in the address
      await ready(page);
      const account = await panelText(page, 'account');
      expect(account).toMatch(/Equity\s+[\d,]+\.\d\d USDT/);
      expect(account).toMatch(/Funding PnL\s+[+−][\d,]+\.\d\d USDT/);
      expect(account).toMatch(/Trading\s+active/);
      const risk = await panelText(page, 'risk');
      expect(risk).toMatch(/Slots used\s+\d of 3/);
      expect(risk).toMatch(/Margin ratio\s+[\d.]+ %/);
      const strategies = await panelText(page, 'strategies');
      expect(strategies).toMatch(/funding_arbitrage — running/);
      expect(strategies).toMatch(/grid — running/);
      expect(strategies).toMatch(/BTCUSDT funding now\s+-?\d\.\d{4} % \(/);
      const activity = await panelText(page, 'activity');
      expect(activity).toMatch(/filled (buy|sell) [\d.]+ (BTC|ETH)USDT @/);
      expect(activity).toMatch(/strategy-tick grid ETHUSDT: 2025-10-0\d/);
      expect(activity).toMatch(/Dead-letter queue\s+0/);
      // No panel fell back to its error line.
      expect(await page.locator('section .body > p.warning').count()).toBe(0);
      expect(await candlePixels(page)).toBeGreaterThan(500);
      expect(await page.locator('#equity-chart canvas').count()).toBeGreaterThan(0);
      // Phone first: nothing wider than the screen.
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(widths[0]).toBeLessThanOrEqual(widths[1]);
      mkdirSync('reports', { recursive: true });
      await page.screenshot({ path: `reports/dashboard-${size.name}.png`, fullPage: true });
      expect(errors).toEqual([]);
      expect(requests.length).toBeGreaterThan(3);
      await context.close();
    });
  }

  it('writes .local/dashboard.json (mode 0600) with the base URL and a working link', async () => {
    expect(statSync(infoFile).mode & 0o777).toBe(0o600);
    const info = JSON.parse(readFileSync(infoFile, 'utf8'));
    expect(info.url).toBe(url);
    const { context, page } = await offline();
    expect((await page.goto(info.link))?.status()).toBe(200);
    await ready(page);
    expect(await panelText(page, 'account')).toMatch(/Equity/);
    await context.close();
  });
});

describe('without a valid sign-in: 401 and no data', () => {
  async function refused(link: string) {
    const { context, page, requests } = await offline();
    const response = await page.goto(link);
    expect(response?.status()).toBe(401);
    expect(await page.content()).not.toMatch(/USDT/);
    expect(requests.filter((u) => u.includes('/api/'))).toEqual([]);
    await context.close();
  }
  const tamper = (link: string) => {
    const u = new URL(link);
    const [body, sig] = u.searchParams.get('t')!.split('.');
    const p = JSON.parse(Buffer.from(body!, 'base64url').toString());
    p.e += 60_000; // a minute more
    u.searchParams.set('t', `${Buffer.from(JSON.stringify(p)).toString('base64url')}.${sig}`);
    return u.toString();
  };

  it('no link: the page loads empty and the API answers 401 with no data', async () => {
    const { context, page } = await offline();
    await page.goto(`${url}/`);
    await ready(page);
    expect(await page.getAttribute('body', 'data-state')).toBe('unauthorized');
    expect(await page.locator('#panels').isHidden()).toBe(true);
    expect(await page.locator('body').textContent()).toMatch(/Not signed in/);
    const api = await page.evaluate(() =>
      window
        .fetch('/api/dashboard')
        .then(async (r: { status: number; text(): Promise<string> }) => [r.status, await r.text()]),
    );
    expect(api).toEqual([401, '{"error":"unauthorized"}']);
    await context.close();
  });

  it('an expired link', () =>
    refused(runtime.dashboard!.newLink({ chatId: LOCAL_CHAT_ID }, Date.now() - 600_001)));
  it('a tampered link', () => refused(tamper(runtime.dashboard!.newLink())));
  it("another chat's link", () => refused(runtime.dashboard!.newLink({ chatId: 2002 })));
  it('a link used once already', async () => {
    const link = runtime.dashboard!.newLink();
    const first = await offline();
    expect((await first.page.goto(link))?.status()).toBe(200);
    await first.context.close();
    await refused(link);
  });
});

describe('as a Telegram Mini App (initData in the URL fragment, as Telegram opens it)', () => {
  const initData = (userId: number) =>
    signInitData(LOCAL_BOT_TOKEN, {
      auth_date: String(Math.floor(Date.now() / 1000)),
      query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
      user: JSON.stringify({ id: userId, first_name: 'Trader' }),
    });
  const open = async (data: string): Promise<{ context: { close: () => Promise<void> }; page: Page }> => {
    const { context, page } = await offline({ width: 390, height: 844 });
    await page.goto(`${url}/#tgWebAppData=${encodeURIComponent(data)}&tgWebAppVersion=8.0`);
    await ready(page);
    return { context, page };
  };

  it('genuine initData is accepted', async () => {
    const { context, page } = await open(initData(LOCAL_CHAT_ID));
    expect(await panelText(page, 'account')).toMatch(/Equity\s+[\d,]+\.\d\d USDT/);
    await context.close();
  });

  it('tampered initData (another user under the same hash) is refused', async () => {
    const forged = initData(LOCAL_CHAT_ID).replace(
      encodeURIComponent(`"id":${LOCAL_CHAT_ID}`),
      encodeURIComponent('"id":1002'),
    );
    expect(forged).not.toBe(initData(LOCAL_CHAT_ID));
    const { context, page } = await open(forged);
    expect(await page.getAttribute('body', 'data-state')).toBe('unauthorized');
    expect(await page.locator('#panels').isHidden()).toBe(true);
    await context.close();
  });
});
