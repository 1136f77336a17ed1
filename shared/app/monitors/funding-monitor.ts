// funding-monitor (hourly): the current and predicted funding rate and next time per symbol, cached in
// DynamoDB for /funding_rate and dashboards; funding received/paid since the start of the UTC day,
// recomputed from the exchange's settlements each run (idempotent: a re-run never double-counts), each
// new settlement published once as FundingSettled; an alert when a rate is extreme.

import type { CurrentFunding } from '../../ports/exchange.ts';
import { utcDate } from '../../ports/state-store.ts';
import { publishSafely } from '../publish.ts';
import { writeFundingView } from '../read-model.ts';
import { alertOncePerWindow } from './alerts.ts';
import type { MonitorDeps } from './position-monitor.ts';

const STATE = 'funding-monitor';
const DAY_MS = 86_400_000;

interface FundingState {
  /** Settlements already published (symbol:time), for today. */
  seen: string[];
  date: string;
  todayTotal: number;
  rates: Record<string, { fundingRate: number; nextFundingTime: number; at: number }>;
}

export async function fundingMonitorOnce(
  deps: MonitorDeps,
  slotTime: number,
): Promise<{ settled: number; todayTotal: number }> {
  const stored = await deps.store.getStrategyState(STATE, 'account');
  const date = utcDate(slotTime);
  const prev = stored?.state as FundingState | undefined;
  const seen = new Set(prev?.date === date ? prev.seen : []);

  const rates: FundingState['rates'] = {};
  const current: Record<string, CurrentFunding> = {};
  for (const symbol of deps.config.SYMBOLS) {
    const f = await deps.exchange.fetchFundingRate(symbol);
    current[symbol] = f;
    rates[symbol] = { fundingRate: f.fundingRate, nextFundingTime: f.nextFundingTime, at: slotTime };
    deps.metrics.add('FundingRatePct', f.fundingRate * 100, 'Percent', { symbol });
    const limit = deps.config.FUNDING_ALERT_RATE_PCT;
    if (Math.abs(f.fundingRate * 100) >= limit) {
      await alertOncePerWindow(
        deps,
        `funding_rate:${symbol}`,
        {
          type: 'RiskAlert',
          time: slotTime,
          kind: 'funding_rate',
          level: 'warning',
          symbol,
          value: f.fundingRate * 100,
          threshold: limit,
          message: `${symbol} funding is ${(f.fundingRate * 100).toFixed(4)} % per interval (alert at ±${limit} %): ${f.fundingRate > 0 ? 'longs' : 'shorts'} pay`,
        },
        8 * 3_600_000,
      );
    }
  }

  await writeFundingView(deps, slotTime, current);

  const startOfDay = Math.floor(slotTime / DAY_MS) * DAY_MS;
  const payments = (await deps.exchange.fetchFundingPayments(startOfDay)).filter(
    (p) => p.time < startOfDay + DAY_MS,
  );
  const todayTotal = payments.reduce((s, p) => s + p.amount, 0);
  let settled = 0;
  for (const p of payments) {
    const key = `${p.symbol}:${p.time}`;
    if (seen.has(key)) continue;
    seen.add(key);
    settled++;
    await publishSafely(deps.bus, {
      type: 'FundingSettled',
      time: p.time,
      symbol: p.symbol,
      amount: p.amount,
      todayTotal,
    });
  }
  deps.metrics.add('FundingPnlToday', todayTotal, 'None');
  deps.metrics.add('Heartbeat', 1, 'Count', { function: 'funding-monitor' });
  const state: FundingState = { seen: [...seen], date, todayTotal, rates };
  await deps.store.putStrategyState({
    strategy: STATE,
    symbol: 'account',
    state,
    lastTick: slotTime,
    version: (stored?.version ?? 0) + 1,
  });
  return { settled, todayTotal };
}
