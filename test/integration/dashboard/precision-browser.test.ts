// The dashboard in a real headless Chromium for a trader holding a 1000PEPEUSDT long (tick 0.0000001,
// step 1) and delisted dust: prices at the tick (not 2 decimals, not the float), the chart's price
// scale at the tick, the dust named as unpriced. Views seeded as the guardian writes them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDashboard } from '../../../infra/local/dashboard.ts';
import { LOCAL_CHAT_ID } from '../../../infra/local/telegram.ts';
import { loadConfig } from '../../../shared/config/env.ts';
import { emptySeries } from '../../../shared/domain/candles.ts';
import { launchBrowser } from '../../support/browser.ts';
import { readModelDeps } from '../../support/read-model-deps.ts';

// Callbacks given to page.evaluate run in the page; the project compiles without the DOM library.
// biome-ignore lint/suspicious/noExplicitAny: page globals, read where they are used.
declare const window: any;

const NOW = Date.UTC(2026, 11, 3, 12);
const HOUR = 3_600_000;
const SYMBOL = '1000PEPEUSDT';
const config = loadConfig({ SYMBOLS: SYMBOL });
let dashboard: Awaited<ReturnType<typeof startLocalDashboard>>;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  const deps = readModelDeps(NOW, config);
  const rules = { symbol: SYMBOL, tickSize: 0.0000001, stepSize: 1, minQuantity: 1, minNotional: 5 };
  await deps.store.putView('markets', {
    at: NOW,
    futures: { [SYMBOL]: { ...rules, brackets: [] } },
    spot: {},
  });
  await deps.store.putView('account', {
    at: NOW,
    balances: {
      futures: { walletBalance: 1_000, unrealizedPnl: -0.2, equity: 999.8, availableBalance: 900 },
      spot: { XYZ: 7, USDT: 10 },
    },
    positions: [
      {
        symbol: SYMBOL,
        side: 'long',
        quantity: 1_200,
        entryPrice: 0.012345678912,
        markPrice: 0.01217901234,
        leverage: 5,
        marginMode: 'isolated',
        isolatedMargin: 3,
        unrealizedPnl: -0.2,
        liquidationPrice: 0.0099876543,
        maintenanceMargin: 0.15,
        openedAt: NOW - HOUR,
      },
    ],
    marks: { [SYMBOL]: 0.01217901234 },
    spotPrices: {},
    unpricedSpot: ['XYZ'],
  });
  const candles = emptySeries(48);
  for (let i = 0; i < 48; i++) {
    const close = 0.0121 + i * 0.0000043;
    candles.time[i] = NOW - (48 - i) * HOUR;
    candles.open[i] = close - 0.000002;
    candles.high[i] = close + 0.000005;
    candles.low[i] = close - 0.000006;
    candles.close[i] = close;
    candles.volume[i] = 1e6;
  }
  dashboard = await startLocalDashboard({
    deps: { ...deps, candles: async () => candles },
    allowedChatIds: [LOCAL_CHAT_ID],
    chatId: LOCAL_CHAT_ID,
    infoFile: false,
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
});

describe('a 1000PEPEUSDT position in the browser', () => {
  it('shows prices at the tick, the quantity at the step, the dust unpriced, the chart scale at the tick', async () => {
    const context = await browser.newContext();
    // Nothing leaves 127.0.0.1.
    await context.route('**/*', (route) =>
      route.request().url().startsWith(`${dashboard.url}/`) ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(dashboard.newLink());
    await page.waitForSelector('body[data-ready="1"]');
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a trader reads.
    const risk = await page.locator('#risk').innerText();
    expect(risk).toContain(`${SYMBOL} long 1,200`);
    // Tick 0.0000001 → 7 decimals: 0.012345678912 → 0.0123457, 0.01217901234 → 0.0121790.
    expect(risk).toMatch(/Entry \/ mark\s+0\.0123457 \/ 0\.0121790/);
    expect(risk).toMatch(/Liquidation\s+0\.0099877 \(/);
    // biome-ignore lint/performance/useDomNodeTextContent: as above.
    const account = await page.locator('#account').innerText();
    expect(account).toMatch(/Unpriced spot coins\s+7 XYZ \(no USDT market: counted as 0\)/);
    // The candle series of the trade chart carries the tick as its price format (lightweight-charts'
    // default is 2 decimals: every candle would read 0.01).
    const format = await page.evaluate(
      () => window.dashboard.chart.panes()[0].getSeries()[0].options().priceFormat,
    );
    expect(format).toMatchObject({ type: 'price', precision: 7, minMove: 0.0000001 });
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
