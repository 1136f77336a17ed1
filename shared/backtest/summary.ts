// The machine-readable result of a backtest (`--json`): deterministic, no run timestamps.
import type { BacktestResult } from './engine.ts';
import { roundMetrics } from './metrics.ts';

export function summarize(
  r: BacktestResult,
  meta: { strategy: string; symbol: string; params: unknown; settings: Record<string, unknown> },
) {
  const round = (x: number) => Math.round(x * 1e8) / 1e8;
  const reasons = new Map<string, number>();
  for (const rej of r.rejections) {
    for (const reason of rej.reasons) {
      const key = reason.replace(/[\d.]+/g, '#');
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
  }
  return {
    strategy: meta.strategy,
    symbol: meta.symbol,
    from: new Date(r.from).toISOString(),
    to: new Date(r.to).toISOString(),
    params: meta.params,
    settings: meta.settings,
    dataNotes: r.dataNotes,
    metrics: roundMetrics(r.metrics),
    trades: r.trades.map((t) => ({
      ...t,
      openedAt: new Date(t.openedAt).toISOString(),
      closedAt: new Date(t.closedAt).toISOString(),
      entryPrice: round(t.entryPrice),
      exitPrice: round(t.exitPrice),
      netPnl: round(t.netPnl),
    })),
    liquidations: r.liquidations.map((l) => ({
      ...l,
      time: new Date(l.time).toISOString(),
      loss: round(l.loss),
    })),
    rejections: {
      count: r.rejections.length,
      byReason: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])),
    },
  };
}
