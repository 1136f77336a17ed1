// The dashboard's JSON: every panel loaded on its own (a stale view empties one panel, not the page),
// and the trade chart of one symbol.

import { decimalsOf } from '../../domain/precision.ts';
import { AccountViewSchema } from '../read-model.ts';
import { marketFormat } from '../telegram/market-format.ts';
import { accountPanel, riskPanel } from './account-risk.ts';
import { readActivity } from './activity-log.ts';
import type { Viewer } from './auth.ts';
import { type DashboardDeps, openOrders, panel } from './deps.ts';
import { activityPanel, gridLevels, strategiesPanel } from './strategies-activity.ts';

export async function loadDashboard(deps: DashboardDeps, viewer: Viewer) {
  const [account, risk, strategies, activity] = await Promise.all([
    panel(() => accountPanel(deps)),
    panel(() => riskPanel(deps)),
    panel(() => strategiesPanel(deps)),
    panel(() => activityPanel(deps)),
  ]);
  return {
    at: deps.clock.now(),
    chatId: viewer.chatId,
    mayControl: viewer.mayControl,
    symbols: deps.config.SYMBOLS,
    account,
    risk,
    strategies,
    activity,
  };
}

const CANDLES = 200;

/** Candles of `symbol` with fills as markers and the lines of its stops, take-profits, entry and grid. */
export async function loadChart(deps: DashboardDeps, symbol: string) {
  if (!deps.config.SYMBOLS.includes(symbol)) return undefined;
  const series = deps.candles ? await deps.candles(symbol, CANDLES) : undefined;
  const candles = [];
  for (let i = 0; series && i < series.time.length; i++)
    candles.push({
      time: Math.floor(series.time[i]! / 1000),
      open: series.open[i]!,
      high: series.high[i]!,
      low: series.low[i]!,
      close: series.close[i]!,
    });
  const first = candles[0]?.time ?? 0;
  const fills = (await readActivity(deps.store)).filter(
    (e) => e.type === 'OrderFilled' && e.symbol === symbol && e.time / 1000 >= first,
  );
  const markers = fills
    .map((e) => ({
      time: Math.floor(e.time / 3_600_000) * 3_600,
      side: String(e.side),
      exit: Boolean(e.reduceOnly),
      price: Number(e.price),
    }))
    .sort((a, b) => a.time - b.time);
  const view = AccountViewSchema.safeParse(await deps.store.getView('account'));
  const lines: { price: number; kind: 'stop' | 'take-profit' | 'entry' | 'grid'; label: string }[] = [];
  if (view.success) {
    for (const o of (await openOrders(deps.store)) ?? []) {
      if (o.symbol !== symbol || !o.reduceOnly) continue;
      const at = o.stopPrice ?? o.price;
      if (at === undefined) continue;
      const stop = o.type.startsWith('stop');
      lines.push({ price: at, kind: stop ? 'stop' : 'take-profit', label: stop ? 'stop' : 'TP' });
    }
    for (const p of view.data.positions)
      if (p.symbol === symbol) lines.push({ price: p.entryPrice, kind: 'entry', label: `${p.side} entry` });
  }
  for (const l of (await gridLevels(deps, symbol))?.levels ?? [])
    lines.push({ price: l.price, kind: 'grid', label: `grid ${l.side}` });
  // The price scale at the symbol's tick (lightweight-charts defaults to 2 decimals: 1000PEPEUSDT's
  // 0.0123456 would read 0.01).
  const tick = (await marketFormat(deps.exchange)).tickSize(symbol);
  return {
    symbol,
    candles,
    available: series !== undefined,
    markers,
    lines,
    priceFormat: tick ? { precision: decimalsOf(tick), minMove: tick } : undefined,
  };
}
