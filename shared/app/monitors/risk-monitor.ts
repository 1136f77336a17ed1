// risk-monitor (the guardian's risk step, ./guardian.ts; every 30 s while exposed): account risk metrics; the daily loss limit halts trading (new exposure is
// then rejected by the executor; reduce-only still works); a margin ratio at the critical threshold
// queues reduce-only de-risking — half of the position holding the most maintenance margin first.
// Repeated exchange failures halt trading too: a monitor that cannot see the account must not let
// strategies keep opening positions blind.
import { makeIntentId, OrderIntentSchema } from '../../domain/order.ts';
import { floorToStep } from '../../domain/precision.ts';
import { ExchangeError } from '../../ports/exchange-errors.ts';
import { loadAccountSnapshot } from '../account-snapshot.ts';
import { publishSafely } from '../publish.ts';
import { alertOncePerWindow } from './alerts.ts';
import type { MonitorDeps } from './position-monitor.ts';

const STATE = 'risk-monitor';
export const MAX_CONSECUTIVE_ERRORS = 3;

async function halt(deps: MonitorDeps, reason: string, at: number): Promise<boolean> {
  const h = await deps.store.getHalt();
  if (h.halted) return false;
  await deps.store.setHalt(true, reason, at, h.version);
  await publishSafely(deps.bus, { type: 'Halted', time: at, reason });
  return true;
}

export async function riskMonitorOnce(
  deps: MonitorDeps,
  slotTime: number,
): Promise<{ halted: boolean; deRisked: string[] }> {
  const stored = await deps.store.getStrategyState(STATE, 'account');
  const errors = (stored?.state as { errors?: number } | undefined)?.errors ?? 0;
  const save = (n: number) =>
    deps.store.putStrategyState({
      strategy: STATE,
      symbol: 'account',
      state: { errors: n },
      lastTick: slotTime,
      version: (stored?.version ?? 0) + 1,
    });
  let snapshot: Awaited<ReturnType<typeof loadAccountSnapshot>>['snapshot'];
  try {
    ({ snapshot } = await loadAccountSnapshot(deps));
  } catch (err) {
    if (!(err instanceof ExchangeError)) throw err;
    await save(errors + 1);
    if (errors + 1 >= MAX_CONSECUTIVE_ERRORS) {
      const halted = await halt(
        deps,
        `risk monitor: ${errors + 1} consecutive exchange failures (${err.name})`,
        slotTime,
      );
      return { halted, deRisked: [] };
    }
    return { halted: false, deRisked: [] };
  }
  if (errors > 0) await save(0);

  const c = deps.config;
  const mm = snapshot.positions.reduce((a, p) => a + p.maintenanceMargin, 0);
  const marginRatioPct = snapshot.equity > 0 ? (mm / snapshot.equity) * 100 : Number.POSITIVE_INFINITY;
  const dailyPnlPct =
    snapshot.startOfDayEquity > 0
      ? ((snapshot.equity - snapshot.startOfDayEquity) / snapshot.startOfDayEquity) * 100
      : 0;
  const notional = snapshot.positions.reduce((a, p) => a + p.quantity * p.markPrice, 0);
  // Metrics only while in a position (CloudWatch bills a metric by the hours it receives data): flat, the
  // margin ratio is 0 and equity and the day's PnL move only with the trader's own coins — still checked
  // against the daily loss limit below on every check, and logged.
  const exposed = snapshot.positions.length > 0;
  deps.metrics.add(exposed ? 'Equity' : 'EquityFlat', snapshot.equity, 'None');
  if (exposed) deps.metrics.add('MarginRatioPct', marginRatioPct, 'Percent');
  deps.metrics.add(exposed ? 'DailyPnlPct' : 'DailyPnlPctFlat', dailyPnlPct, 'Percent');
  deps.metrics.add('EffectiveLeverage', snapshot.equity > 0 ? notional / snapshot.equity : 0, 'None');

  let halted = false;
  if (-dailyPnlPct >= c.DAILY_LOSS_LIMIT) {
    halted = await halt(
      deps,
      `daily loss limit reached: ${dailyPnlPct.toFixed(2)} % of start-of-day equity (limit ${c.DAILY_LOSS_LIMIT} %)`,
      slotTime,
    );
    deps.metrics.add('DailyLossHalt', 1, 'Count');
  }

  const deRisked: string[] = [];
  if (marginRatioPct >= c.MARGIN_RATIO_CRITICAL_PCT && snapshot.positions.length > 0) {
    const markets = await deps.exchange.loadMarkets();
    const worst = [...snapshot.positions].sort((a, b) => b.maintenanceMargin - a.maintenanceMargin)[0]!;
    const step = markets.futures[worst.symbol]?.stepSize ?? 0.001;
    const quantity = Math.max(step, floorToStep(worst.quantity / 2, step));
    const intent = OrderIntentSchema.parse({
      id: makeIntentId({
        source: 'risk-monitor:derisk',
        symbol: worst.symbol,
        tickTime: slotTime,
        sequence: 0,
      }),
      strategy: 'risk-monitor',
      symbol: worst.symbol,
      market: 'futures',
      side: worst.side === 'long' ? 'sell' : 'buy',
      type: 'market',
      quantity: Math.min(quantity, worst.quantity),
      reduceOnly: true,
      leverage: Math.min(125, Math.max(1, worst.leverage)),
      marginMode: worst.marginMode,
      createdAt: slotTime,
      reason: `de-risk: margin ratio ${marginRatioPct.toFixed(1)} % ≥ ${c.MARGIN_RATIO_CRITICAL_PCT} %`,
    });
    await deps.queue.send({ kind: 'intent', intent });
    deRisked.push(worst.symbol);
  }
  if (marginRatioPct >= c.MARGIN_RATIO_WARN_PCT) {
    const level = marginRatioPct >= c.MARGIN_RATIO_CRITICAL_PCT ? 'critical' : 'warning';
    await alertOncePerWindow(deps, 'margin_ratio', {
      type: 'RiskAlert',
      time: slotTime,
      kind: 'margin_ratio',
      level,
      value: marginRatioPct,
      threshold: level === 'critical' ? c.MARGIN_RATIO_CRITICAL_PCT : c.MARGIN_RATIO_WARN_PCT,
      message: `Margin ratio ${marginRatioPct.toFixed(1)} % (${level})${deRisked.length ? `: reducing ${deRisked.join(', ')} by half` : ''}`,
    });
  }
  return { halted, deRisked };
}
