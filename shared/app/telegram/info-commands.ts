// Telegram commands that report: status, funding, liquidation risk, PnL, help.

import { z } from 'zod';
import { liquidationDistancePct, marginRatio, roePct } from '../../domain/futures-math.ts';
import { utcDate } from '../../ports/state-store.ts';
import { loadAccountSnapshot } from '../account-snapshot.ts';
import { getStrategyPause, getStrategyPerformance } from '../monitors/performance-monitor.ts';
import { symbolArg, tooMany } from './args.ts';
import { advancedOrderLines } from './bracket-lines.ts';
import { lineChartPng } from './chart-png.ts';
import { escapeHtml, pct, unpricedCoins, usdt } from './format.ts';
import { marketFormat } from './market-format.ts';
import { ownerLines } from './owner-lines.ts';
import { defineCommand, type Reply } from './registry.ts';

export const futuresStatus = defineCommand({
  name: 'futures_status',
  usage: '/futures_status',
  description: 'equity, margin ratio, today’s PnL vs the daily limit, halt state, every position',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps }): Promise<Reply> {
    const { snapshot: s, halt, unpricedSpot } = await loadAccountSnapshot(deps);
    const mm = s.positions.reduce((a, p) => a + p.maintenanceMargin, 0);
    const day = s.equity - s.startOfDayEquity;
    const limit = (deps.config.DAILY_LOSS_LIMIT / 100) * s.startOfDayEquity;
    const lines = [
      `<b>Equity</b> ${usdt(s.equity)} (wallet ${usdt(s.walletBalance)}, available ${usdt(s.availableBalance)})`,
      ...(unpricedSpot.length > 0
        ? [
            `<b>Unpriced spot coins</b> ${escapeHtml(unpricedCoins(unpricedSpot, s.spotBalances))} — no USDT market prices them: counted as 0 in equity`,
          ]
        : []),
      `<b>Margin ratio</b> ${pct(marginRatio({ maintenanceMargin: mm, marginBalance: s.equity }) * 100)}`,
      `<b>Today</b> ${day >= 0 ? '+' : ''}${usdt(day)} (daily loss limit ${usdt(-limit)})`,
      `<b>Trading</b> ${halt.halted ? `HALTED — ${escapeHtml(halt.reason)}` : 'active'}`,
    ];
    const perf = await getStrategyPerformance(deps.store);
    for (const strategy of deps.config.strategies) {
      const p = perf[strategy];
      const pause = await getStrategyPause(deps.store, strategy);
      const record =
        p && p.trades > 0
          ? `${p.wins}/${p.trades} winning closes, ${usdt(p.realizedPnl)}`
          : 'no closed trades yet';
      lines.push(
        `<b>${strategy}</b> ${pause ? `PAUSED — ${escapeHtml(pause.reason)}` : 'running'} (${record})`,
      );
    }
    lines.push('<b>By strategy</b> (equity contribution of each book since the performance monitor began)');
    lines.push(...(await ownerLines(deps, s.positions)));
    if (s.positions.length === 0) lines.push('No open positions.');
    const fmt = await marketFormat(deps.exchange);
    for (const p of s.positions) {
      const roe = roePct({
        side: p.side,
        entryPrice: p.entryPrice,
        markPrice: p.markPrice,
        quantity: p.quantity,
        leverage: p.leverage,
      });
      const dist = liquidationDistancePct({
        side: p.side,
        markPrice: p.markPrice,
        liquidationPrice: p.liquidationPrice,
      });
      lines.push(
        `\n<b>${escapeHtml(p.symbol)}</b> ${p.side} ${fmt.quantity(p.symbol, p.quantity)} @ ${fmt.price(p.symbol, p.entryPrice)}, mark ${fmt.price(p.symbol, p.markPrice)}\n` +
          `PnL ${usdt(p.unrealizedPnl)} (ROE ${pct(roe)}), ${p.leverage}x ${p.marginMode}\n` +
          `liquidation ${p.liquidationPrice > 0 ? fmt.price(p.symbol, p.liquidationPrice) : 'none'} (${pct(dist)} away)`,
      );
    }
    lines.push(...(await advancedOrderLines(deps, fmt)));
    return { text: lines.join('\n') };
  },
});

export const fundingRate = defineCommand({
  name: 'funding_rate',
  usage: '/funding_rate [SYMBOL]',
  description: 'current and predicted funding, next time, annualised, recent history',
  args: (words, deps) => {
    tooMany(words, 1);
    return { symbol: symbolArg(deps).parse(words[0] ?? deps.config.SYMBOLS[0]) };
  },
  async run({ args, deps, at }): Promise<Reply> {
    const f = await deps.exchange.fetchFundingRate(args.symbol);
    const history = await deps.exchange.fetchFundingHistory(args.symbol, at - 3 * 86_400_000, 9);
    const perYear = (24 / f.intervalHours) * 365;
    const minutes = Math.max(0, Math.round((f.nextFundingTime - at) / 60_000));
    return {
      text: [
        `<b>${escapeHtml(args.symbol)} funding</b>: ${(f.fundingRate * 100).toFixed(4)} % per ${f.intervalHours} h (${pct(f.fundingRate * perYear * 100)} a year)`,
        `next settlement ${new Date(f.nextFundingTime).toISOString().slice(0, 16)} UTC (in ${Math.floor(minutes / 60)} h ${minutes % 60} min); ${f.fundingRate >= 0 ? 'longs pay shorts' : 'shorts pay longs'}`,
        history.length
          ? `recent: ${history.map((h) => `${(h.fundingRate * 100).toFixed(4)} %`).join(', ')}`
          : 'no recent history',
      ].join('\n'),
    };
  },
});

export const liquidationRisk = defineCommand({
  name: 'liquidation_risk',
  usage: '/liquidation_risk',
  description: 'positions by distance to liquidation, with the alert thresholds',
  args: (words) => {
    tooMany(words, 0);
    return {};
  },
  async run({ deps }): Promise<Reply> {
    const warn = deps.config.LIQUIDATION_DISTANCE_WARN_PCT;
    const critical = deps.config.LIQUIDATION_DISTANCE_CRITICAL_PCT;
    const rows = (await deps.exchange.fetchPositions())
      .map((p) => ({
        p,
        d: liquidationDistancePct({
          side: p.side,
          markPrice: p.markPrice,
          liquidationPrice: p.liquidationPrice,
        }),
      }))
      .sort((a, b) => a.d - b.d);
    const head = `Thresholds: warning under ${warn} %, critical under ${critical} %.`;
    if (rows.length === 0) return { text: `${head}\nNo open positions.` };
    const fmt = await marketFormat(deps.exchange);
    return {
      text: [
        head,
        ...rows.map(
          ({ p, d }) =>
            `${d < critical ? '🔴' : d < warn ? '🟠' : '🟢'} <b>${escapeHtml(p.symbol)}</b> ${p.side}: ${pct(d)} to ${p.liquidationPrice > 0 ? fmt.price(p.symbol, p.liquidationPrice) : 'none'} (mark ${fmt.price(p.symbol, p.markPrice)})`,
        ),
      ].join('\n'),
    };
  },
});

const PERIOD_DAYS = { day: 1, week: 7, month: 30 } as const;

export const pnl = defineCommand({
  name: 'pnl',
  usage: '/pnl [day|week|month]',
  description: 'PnL over the period with an equity chart (start-of-day equity per day, then now)',
  args: (words) => {
    tooMany(words, 1);
    return {
      period: z
        .enum(['day', 'week', 'month'], { error: 'period must be day, week or month' })
        .parse(words[0] ?? 'day'),
    };
  },
  async run({ args, deps, at }): Promise<Reply> {
    const { snapshot } = await loadAccountSnapshot(deps);
    const days = PERIOD_DAYS[args.period];
    const points: number[] = [];
    for (let d = days - 1; d >= 0; d--) {
      const record = await deps.store.getDay(utcDate(at - d * 86_400_000));
      if (record) points.push(record.startOfDayEquity);
    }
    points.push(snapshot.equity);
    const start = points[0]!;
    const change = snapshot.equity - start;
    return {
      text: `<b>PnL (${args.period})</b>: ${change >= 0 ? '+' : ''}${usdt(change)} (${pct((change / start) * 100)}), equity ${usdt(snapshot.equity)}; ${points.length} points\n<b>By strategy</b> (since the books began)\n${(await ownerLines(deps, snapshot.positions)).join('\n')}`,
      photo: lineChartPng(points, { base: start }),
    };
  },
});
